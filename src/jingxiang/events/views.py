from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingxiang.core.documents import qr_svg
from jingxiang.core.links import absolute_url
from jingxiang.core.listing import ExportColumn, export_queryset, wants_export
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.events import documents, forms, selectors, services
from jingxiang.events.models import (
    Event,
    Feedback,
    FollowUp,
    Meeting,
    Participant,
    RequestStatus,
)
from jingxiang.events.permissions import (
    access_event,
    access_follow_up,
    access_meeting,
    access_participant,
    access_participant_by_code,
    access_participant_photo,
    access_run,
    access_session,
    access_slot,
    access_table,
    feedback_sides,
    may_browse_participants,
    may_change_layout,
    may_register_for,
    may_register_others,
    may_request_meetings,
    may_respond,
    may_withdraw,
    my_participants,
    registrable_profiles,
)
from jingxiang.events.targets import shown_target
from jingxiang.organisations.permissions import is_operator


def _operator_or_404(user: Any) -> None:
    if not is_operator(user):
        raise Http404


# Events -----------------------------------------------------------------------------------------------

EVENT_EXPORT = (
    ExportColumn(gettext_lazy("名称"), lambda e: e.title),
    ExportColumn(gettext_lazy("日期"), lambda e: e.event_date),
    ExportColumn(gettext_lazy("地点"), lambda e: e.venue),
    ExportColumn(gettext_lazy("状态"), lambda e: e.get_status_display()),
    ExportColumn(gettext_lazy("报名数"), lambda e: e.registered),
)


EVENT_LIST = ListSpec(
    template="events/list.html",
    partial="events/_event_table.html",
    filterset=forms.EventFilter,
    sort=("event_date", "title"),
    default_sort="-event_date",
    export=Export("events", EVENT_EXPORT),
)


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    queryset = Event.objects.visible_to(request.user).annotate(
        registered=Count("participants", filter=Q(participants__archived_at__isnull=True))
    )
    return list_page(request, queryset, EVENT_LIST, {"is_operator": is_operator(request.user)})


def _event_form_page(
    request: HttpRequest, form: forms.EventForm, save: Any, event: Event | None
) -> HttpResponse:
    crumbs = [(_("需求对接会"), reverse("events:list"))]
    if event is not None:
        crumbs.append((event.title, reverse("events:detail", args=[event.pk])))
    return form_page(
        request,
        form,
        save=save,
        success_url=lambda saved: reverse("events:detail", args=[saved.pk]),
        success_message=_("已保存。") if event else _("对接会已创建。请添加场次和洽谈桌,然后开放报名。"),
        context={"title": _("编辑对接会") if event else _("新建对接会"), "crumbs": crumbs},
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    _operator_or_404(request.user)
    form = forms.EventForm(request.POST or None, actor=request.user)
    return _event_form_page(
        request, form, lambda data: services.event_create(actor=request.user, data=data), None
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    initial = {field: getattr(event, field) for field in services.EVENT_FIELDS}
    initial["requests_expire_at"] = timezone.localtime(event.requests_expire_at)
    form = forms.EventForm(request.POST or None, initial=initial, actor=request.user)
    return _event_form_page(
        request, form, lambda data: services.event_update(actor=request.user, event=event, data=data), event
    )


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    operator = is_operator(request.user)
    return render_page(
        request,
        "events/detail.html",
        {
            "event": event,
            "sessions": list(event.sessions.prefetch_related("slots")),
            "tables": list(event.tables.all()),
            "mine": my_participants(request.user, event),
            "operator": operator,
            "can_register": may_register_for(request.user, event),
            "can_register_others": may_register_others(request.user, event),
            "role_rules": selectors.role_rules(event),
            "can_change_layout": may_change_layout(request.user, event),
            "latest_run": event.runs.first() if operator else None,
            "next_step": selectors.event_next_step(event),
            "report": selectors.event_report(event) if operator else None,
            "session_form": forms.SessionForm(event=event) if operator else None,
            "tables_form": forms.TablesForm() if operator else None,
            "timeline": audit_timeline(event) if operator else [],
        },
    )


def _event_part_form(
    request: HttpRequest, event: Event, form: Any, save: Any, title: str, message: str
) -> HttpResponse:
    """A form that adds to an event (a session, tables, a changed registration): back to the event."""
    detail = reverse("events:detail", args=[event.pk])
    return form_page(
        request,
        form,
        save=save,
        success_url=detail,
        success_message=message,
        context={"title": title, "back": detail, "back_label": event.title},
    )


@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    form = forms.SessionForm(request.POST or None, event=event, actor=request.user)
    return _event_part_form(
        request,
        event,
        form,
        lambda data: services.session_add(
            actor=request.user,
            event=event,
            name=data["name"],
            starts_at=form.moment(data["starts"]),
            ends_at=form.moment(data["ends"]),
            slot_minutes=data["slot_minutes"],
            backdate_reason=data.get("backdate_reason", ""),
        ),
        _("添加场次"),
        _("场次已添加,并已按时长切分为时段。"),
    )


@login_required
def tables_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    return _event_part_form(
        request,
        event,
        forms.TablesForm(request.POST or None),
        lambda data: services.tables_add(actor=request.user, event=event, **data),
        _("添加洽谈桌"),
        _("洽谈桌已添加。"),
    )


def _impact_message(impact: selectors.LayoutImpact) -> str:
    return _("已调整:%(m)s 场洽谈变动,%(d)s 场洽谈取消,已通知 %(t)s 个参会方。") % {
        "m": len(impact.moved),
        "d": len(impact.dropped),
        "t": len(impact.told),
    }


def _layout_page(
    request: HttpRequest,
    event: Event,
    form: Any,
    save: Any,
    *,
    title: str,
    impact: selectors.LayoutImpact | None,
    preview: Any = None,
) -> HttpResponse:
    """A change of sessions, slots or tables: what it does is shown before it is confirmed.

    Removals show their consequences at once; edits (``preview``) are first checked and their
    consequences shown with the values kept in hidden fields, then posted again with ``confirm``.
    """
    detail = reverse("events:detail", args=[event.pk])
    context = {"event": event, "title": title, "back": detail, "impact": impact, "confirming": False}
    if preview is not None and request.method == "POST" and request.POST.get("confirm") != "1":
        if form.is_valid():
            context.update(impact=preview(form.cleaned_data), confirming=True)
            return render_page(request, "events/layout_change.html", {"form": form, **context})
        return render_page(request, "events/layout_change.html", {"form": form, **context})
    return form_page(
        request,
        form,
        save=save,
        success_url=detail,
        success_message=_impact_message,
        template="events/layout_change.html",
        context=context,
    )


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk)
    event = session.event
    start = timezone.localtime(session.starts_at)
    form = forms.SessionEditForm(
        request.POST or None,
        on=session,
        actor=request.user,
        initial={"name": session.name, "starts": start.time()},
    )
    slot_ids = frozenset(session.slots.values_list("pk", flat=True))
    return _layout_page(
        request,
        event,
        form,
        lambda data: services.session_update(
            actor=request.user,
            session=session,
            name=data["name"],
            starts_at=form.moment(data["starts"]),
            backdate_reason=data.get("backdate_reason", ""),
        ),
        title=_("调整场次:%(n)s") % {"n": session.name},
        impact=None,
        preview=lambda data: selectors.shift_impact(
            event, slot_ids=slot_ids, delta=form.moment(data["starts"]) - session.starts_at
        ),
    )


@login_required
def session_remove(request: HttpRequest, pk: int) -> HttpResponse:
    session = access_session(request.user, pk)
    event = session.event
    slot_ids = frozenset(session.slots.values_list("pk", flat=True))
    return _layout_page(
        request,
        event,
        forms.RemovalForm(request.POST or None),
        lambda data: services.session_remove(actor=request.user, session=session, reason=data["reason"]),
        title=_("取消场次:%(n)s") % {"n": session.name},
        impact=selectors.removal_impact(event, slot_ids=slot_ids),
    )


@login_required
def slot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    slot = access_slot(request.user, pk)
    event = slot.event
    return _layout_page(
        request,
        event,
        forms.RemovalForm(request.POST or None),
        lambda data: services.slot_remove(actor=request.user, slot=slot, reason=data["reason"]),
        title=_("取消时段:%(s)s %(t)s") % {"s": slot.session.name, "t": slot},
        impact=selectors.removal_impact(event, slot_ids=frozenset({slot.pk})),
    )


@login_required
def slot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    slot = access_slot(request.user, pk)
    event = slot.event
    form = forms.SlotEditForm(
        request.POST or None,
        on=slot,
        actor=request.user,
        initial={
            "starts": timezone.localtime(slot.starts_at).time(),
            "ends": timezone.localtime(slot.ends_at).time(),
        },
    )
    return _layout_page(
        request,
        event,
        form,
        lambda data: services.slot_update(
            actor=request.user,
            slot=slot,
            starts_at=form.moment(data["starts"]),
            ends_at=form.moment(data["ends"]),
            backdate_reason=data.get("backdate_reason", ""),
        ),
        title=_("调整时段:%(s)s %(t)s") % {"s": slot.session.name, "t": slot},
        impact=None,
        preview=lambda data: selectors.slot_change_impact(
            event, slot=slot, starts_at=form.moment(data["starts"]), ends_at=form.moment(data["ends"])
        ),
    )


@login_required
def table_edit(request: HttpRequest, pk: int) -> HttpResponse:
    table = access_table(request.user, pk)
    event = table.event
    form = forms.TableEditForm(request.POST or None, initial={"name": table.name, "capacity": table.capacity})
    return _layout_page(
        request,
        event,
        form,
        lambda data: services.table_update(
            actor=request.user, table=table, name=data["name"], capacity=data["capacity"]
        ),
        title=_("修改洽谈桌:%(n)s") % {"n": table.name},
        impact=None,
        preview=lambda data: selectors.table_change_impact(event, table_id=table.pk, name=data["name"]),
    )


@login_required
def table_remove(request: HttpRequest, pk: int) -> HttpResponse:
    table = access_table(request.user, pk)
    event = table.event
    return _layout_page(
        request,
        event,
        forms.RemovalForm(request.POST or None),
        lambda data: services.table_remove(actor=request.user, table=table, reason=data["reason"]),
        title=_("取消洽谈桌:%(n)s") % {"n": table.name},
        impact=selectors.removal_impact(event, table_ids=frozenset({table.pk})),
    )


@login_required
@require_POST
def event_open(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    return action(
        request,
        lambda: services.event_open(actor=request.user, event=event),
        success_url=reverse("events:detail", args=[event.pk]),
        success_message=_("已开放报名。"),
    )


@login_required
@require_POST
def event_close(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    return action(
        request,
        lambda: services.event_close(actor=request.user, event=event),
        success_url=reverse("events:detail", args=[event.pk]),
        success_message=_("对接会已结束。"),
    )


# Registration ----------------------------------------------------------------------------------------


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    profiles = [(k, p) for k, p in registrable_profiles(request.user, event) if event.allows(k)]
    if not profiles:
        raise Http404
    firm = next((p for k, p in profiles if k == "firm"), None)
    form = forms.RegistrationForm(
        request.POST or None,
        request.FILES or None,
        event=event,
        profiles=profiles,
        demands=selectors.published_demands(firm),
        initial={"max_meetings": min(6, event.max_meetings_cap), "contact_name": str(request.user)},
    )

    def save(data: dict[str, Any]) -> Participant:
        kind, profile = data["profile"]
        return services.participant_register(
            actor=request.user,
            event=event,
            kind=kind,
            profile_id=profile.pk,
            slot_ids=[slot.pk for slot in data["slots"]],
            max_meetings=data["max_meetings"],
            needs=data["needs"],
            contact_name=data["contact_name"],
            demand=data.get("demand"),
            offers=data["offers"],
            seeks=data["seeks"],
            photo=data.get("photo") or None,
        )

    return form_page(
        request,
        form,
        save=save,
        success_url=lambda participant: (
            reverse("events:participants", args=[event.pk]) + f"?as={participant.pk}"
        ),
        success_message=_("报名成功。现在可以浏览其他参会者并预约洽谈。"),
        template="events/register.html",
        context={"event": event},
    )


@login_required
def register_for(request: HttpRequest, pk: int) -> HttpResponse:
    """An operator registers an organisation or an expert on their behalf (at the desk, by phone)."""
    event = access_event(request.user, pk, write=True)
    if not may_register_others(request.user, event):
        raise Http404
    form = forms.OperatorRegistrationForm(
        request.POST or None,
        request.FILES or None,
        event=event,
        actor=request.user,
        initial={"max_meetings": min(6, event.max_meetings_cap)},
    )

    def save(data: dict[str, Any]) -> Participant:
        return services.participant_register(
            actor=request.user,
            event=event,
            kind=data["kind"],
            profile_id=data["profile"].pk,
            slot_ids=[slot.pk for slot in data["slots"]],
            max_meetings=data["max_meetings"],
            needs=data["needs"],
            contact_name=data["contact_name"],
            offers=data["offers"],
            seeks=data["seeks"],
            photo=data.get("photo") or None,
        )

    return form_page(
        request,
        form,
        save=save,
        success_url=reverse("events:participants", args=[event.pk]),
        success_message=lambda participant: _("已代 %(n)s 报名,并已通知对方。") % {"n": participant.name},
        context={
            "title": _("代为报名:%(e)s") % {"e": event.title},
            "back": reverse("events:detail", args=[event.pk]),
            "back_label": event.title,
        },
    )


@login_required
def participant_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """The profile others see: photo, contact person, what the registration offers and seeks."""
    participant = access_participant(request.user, pk, write=True)
    form = forms.ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "contact_name": participant.contact_name,
            "offers": participant.offers,
            "seeks": participant.seeks,
        },
    )
    return _event_part_form(
        request,
        participant.event,
        form,
        lambda data: services.participant_profile_update(
            actor=request.user,
            participant=participant,
            offers=data["offers"],
            seeks=data["seeks"],
            contact_name=data["contact_name"],
            photo=data.get("photo") or None,
            remove_photo=data["remove_photo"],
        ),
        _("参会资料:%(n)s") % {"n": participant.name},
        _("参会资料已更新。"),
    )


@login_required
def participant_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A registration's photo (always a JPEG re-encoded on upload), for those who may see the directory."""
    participant = access_participant_photo(request.user, pk)
    response = FileResponse(participant.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk, write=True)
    event = participant.event
    form = forms.PresenceForm(
        request.POST or None,
        event=event,
        initial={
            "needs": participant.needs,
            "slots": list(participant.slots.all()),
            "max_meetings": participant.max_meetings,
        },
    )
    return _event_part_form(
        request,
        event,
        form,
        lambda data: services.participant_update(
            actor=request.user,
            participant=participant,
            slot_ids=[slot.pk for slot in data["slots"]],
            max_meetings=data["max_meetings"],
            needs=data["needs"],
        ),
        _("修改报名:%(n)s") % {"n": participant.name},
        _("报名信息已更新。"),
    )


@login_required
@require_POST
def participant_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk, write=True)
    return action(
        request,
        lambda: services.participant_withdraw(actor=request.user, participant=participant),
        success_url=reverse("events:detail", args=[participant.event_id]),
        success_message=_("已取消报名,相关洽谈已通知对方。"),
    )


PARTICIPANT_EXPORT = (
    ExportColumn(gettext_lazy("名称"), lambda p: p.name),
    ExportColumn(gettext_lazy("类别"), lambda p: p.get_kind_display()),
    ExportColumn(gettext_lazy("参会人"), lambda p: p.contact_name),
    ExportColumn(gettext_lazy("洽谈需求/可提供的服务"), lambda p: p.needs),
    ExportColumn(gettext_lazy("洽谈上限"), lambda p: p.max_meetings),
    ExportColumn(
        gettext_lazy("签到时间"), lambda p: timezone.localtime(p.checked_in_at) if p.checked_in_at else ""
    ),
)

PARTICIPANT_LIST = ListSpec(
    template="events/participants.html",
    partial="events/_participant_table.html",
    filterset=forms.ParticipantFilter,
    sort=("name", "kind", "created_at"),
    default_sort="name",
    export=Export("event-participants", PARTICIPANT_EXPORT),
)


@login_required
def participant_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's directory: browse, filter, get suggestions and request meetings."""
    event = access_event(request.user, pk)
    if not may_browse_participants(request.user, event):
        raise Http404
    mine = my_participants(request.user, event)
    acting = next((p for p in mine if str(p.pk) == request.GET.get("as")), mine[0] if mine else None)
    # The engine's suggestions are shown on the full page only, not in the table an HTMX filter reloads.
    partial_reload = bool(request.htmx) and not request.htmx.boosted
    return list_page(
        request,
        event.participants.filter(archived_at__isnull=True),
        PARTICIPANT_LIST,
        {
            "event": event,
            "mine": mine,
            "acting": acting,
            "requested": selectors.open_requests_by_party(acting),
            "suggestions": selectors.suggestions_for(acting, top=6)
            if acting is not None and not partial_reload
            else [],
            "can_request": may_request_meetings(acting, event),
            "request_form": forms.MeetingRequestForm(),
        },
    )


# Meeting requests ------------------------------------------------------------------------------------


@login_required
@require_POST
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk, write=True)
    form = forms.MeetingRequestForm(request.POST)
    target = reverse("events:participants", args=[participant.event_id]) + f"?as={participant.pk}"
    return action(
        request,
        lambda: services.meeting_request_create(
            actor=request.user,
            requester=participant,
            recipient_id=form.cleaned_data["recipient"],
            priority=form.cleaned_data["priority"],
            message=form.cleaned_data["message"],
        ),
        form=form,
        success_url=target,
        success_message=_("预约已发出,等待对方答复。"),
    )


MEETING_EXPORT = (
    ExportColumn(gettext_lazy("对接会"), lambda m: m.event.title),
    ExportColumn(gettext_lazy("发起方"), lambda m: m.requester.name),
    ExportColumn(gettext_lazy("被邀请方"), lambda m: m.recipient.name),
    ExportColumn(gettext_lazy("优先级"), lambda m: m.get_priority_display()),
    ExportColumn(gettext_lazy("状态"), lambda m: m.get_status_display()),
    ExportColumn(gettext_lazy("婉拒原因"), lambda m: m.decline_reason),
    ExportColumn(gettext_lazy("时段"), lambda m: str(m.slot) if m.slot_id else ""),
    ExportColumn(gettext_lazy("洽谈桌"), lambda m: m.table.name if m.table_id else ""),
    ExportColumn(gettext_lazy("洽谈情况"), lambda m: m.get_attendance_display()),
    ExportColumn(gettext_lazy("未排入原因"), lambda m: selectors.reason_label(m.unscheduled_reason)),
)

REQUEST_LIST = ListSpec(
    template="events/requests.html",
    partial="events/_request_table.html",
    filterset=forms.MeetingFilter,
    sort=("created_at", "status", "priority"),
    default_sort="-created_at",
    export=Export("meeting-requests", MEETING_EXPORT),
)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    queryset = Meeting.objects.visible_to(request.user).select_related(
        "event", "requester", "recipient", "slot", "table"
    )
    mine = Participant.objects.acting_for(request.user)
    return list_page(
        request,
        queryset,
        REQUEST_LIST,
        {"mine_ids": set(mine.values_list("pk", flat=True))},
        filter_kwargs={"mine": mine.values("pk"), "events": Event.objects.visible_to(request.user)},
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    operator = is_operator(request.user)
    mine_ids = {p.pk for p in my_participants(request.user, meeting.event)}
    my_side = next((p for p in (meeting.requester, meeting.recipient) if p.pk in mine_ids), None)
    feedback = list(meeting.feedback.select_related("participant"))
    given = {f.participant_id for f in feedback}
    scheduled = meeting.status == RequestStatus.ACCEPTED and meeting.slot_id is not None
    next_step = selectors.meeting_next_step(meeting, given)
    return render_page(
        request,
        "events/meeting.html",
        {
            "meeting": meeting,
            "event": meeting.event,
            "operator": operator,
            "my_side": my_side,
            "waiting_for": next_step.text if next_step else "",
            "scheduled": scheduled,
            "feedback": feedback,
            "follow_ups": [
                (f, shown_target(f, request.user), forms.FollowUpLinkForm(follow_up=f, actor=request.user))
                for f in meeting.follow_ups.filter(archived_at__isnull=True)
            ],
            "can_link": operator or my_side is not None,
            "parties": (meeting.requester, meeting.recipient),
            "can_respond": may_respond(my_side, meeting),
            "can_withdraw": may_withdraw(my_side, meeting),
            "feedback_sides": feedback_sides(request.user, meeting, given),
            "respond_form": forms.RespondForm(),
            "feedback_form": forms.FeedbackForm(),
            "attendance_form": forms.AttendanceForm(meeting=meeting) if operator and scheduled else None,
            "place_form": forms.PlaceForm(event=meeting.event)
            if operator and meeting.status == RequestStatus.ACCEPTED
            else None,
            "reason": selectors.reason_label(meeting.unscheduled_reason),
            "timeline": audit_timeline(meeting),
        },
    )


def _meeting_action(
    request: HttpRequest, meeting: Meeting, run: Any, message: str, form: Any = None
) -> HttpResponse:
    return action(
        request,
        run,
        form=form,
        success_url=reverse("events:meeting", args=[meeting.pk]),
        success_message=message,
    )


@login_required
@require_POST
def meeting_respond(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.RespondForm(request.POST)
    return _meeting_action(
        request,
        meeting,
        lambda: services.meeting_request_respond(
            actor=request.user,
            meeting=meeting,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        ),
        _("已答复,对方会收到通知。"),
        form,
    )


@login_required
@require_POST
def meeting_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, write=True)
    return _meeting_action(
        request,
        meeting,
        lambda: services.meeting_request_withdraw(actor=request.user, meeting=meeting),
        _("预约已撤回。"),
    )


@login_required
@require_POST
def meeting_place(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.PlaceForm(request.POST, event=meeting.event)
    return _meeting_action(
        request,
        meeting,
        lambda: services.meeting_place(
            actor=request.user,
            meeting=meeting,
            slot=form.cleaned_data["slot"],
            table=form.cleaned_data["table"],
        ),
        _("已锁定到该位置,重新排程时保持不变。"),
        form,
    )


@login_required
@require_POST
def meeting_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    meeting = access_meeting(request.user, pk, write=True)
    return _meeting_action(
        request,
        meeting,
        lambda: services.meeting_unlock(actor=request.user, meeting=meeting),
        _("已解除锁定。"),
    )


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.AttendanceForm(request.POST, meeting=meeting)
    return _meeting_action(
        request,
        meeting,
        lambda: services.meeting_attendance_mark(
            actor=request.user,
            meeting=meeting,
            held=form.cleaned_data["outcome"] == "held",
            no_show=form.no_show_party(),
        ),
        _("到场情况已登记。"),
        form,
    )


@login_required
@require_POST
def meeting_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.FeedbackForm(request.POST, meeting=meeting)
    return _meeting_action(
        request,
        meeting,
        lambda: services.meeting_feedback_record(
            actor=request.user,
            meeting=meeting,
            participant=form.cleaned_data["participant"],
            wants_cooperation=form.cleaned_data["wants_cooperation"] == "yes",
            follow_up_kind=form.cleaned_data["follow_up_kind"],
            note=form.cleaned_data["note"],
        ),
        _("洽谈结果已登记。"),
        form,
    )


@login_required
@require_POST
def follow_up_link(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = access_follow_up(request.user, pk)
    form = forms.FollowUpLinkForm(request.POST, follow_up=follow_up, actor=request.user)
    return _meeting_action(
        request,
        follow_up.meeting,
        lambda: services.follow_up_link(
            actor=request.user, follow_up=follow_up, target=form.cleaned_data["target"]
        ),
        _("跟进已关联。"),
        form,
    )


# Scheduling -----------------------------------------------------------------------------------------


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    return form_page(
        request,
        forms.RunForm(request.POST or None),
        save=lambda data: services.schedule_start(
            actor=request.user, event=event, time_limit=data["time_limit"]
        ),
        success_url=lambda run: reverse("jobs:detail", args=[run.job_id]),
        success_message=_("排程任务已开始,可以离开本页,完成后会通知您。"),
        template="events/schedule.html",
        context={
            "event": event,
            # The run list shows counts only: leave the large instance/result JSON in the database.
            "runs": list(
                event.runs.select_related("created_by").defer("instance", "result", "violations")[:20]
            ),
            "counts": selectors.request_counts(event),
        },
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = access_run(request.user, pk)
    event = run.event
    meetings = {m.pk: m for m in event.meetings.select_related("requester", "recipient")}
    slots = {s.pk: s for s in event.slots.all()}
    tables = {t.pk: t for t in event.tables.all()}
    grid: dict[int, dict[int, Meeting]] = defaultdict(dict)
    for assignment in run.result.get("assignments", []):
        meeting = meetings.get(assignment["meeting_id"])
        if meeting is not None:
            grid[assignment["slot"]][assignment["table"]] = meeting
    used_tables = [t for t in tables.values() if any(t.pk in row for row in grid.values())]
    rows = [(slot, [grid[slot.pk].get(t.pk) for t in used_tables]) for slot in slots.values()]

    def explained(key: str) -> list[tuple[Any, str, str]]:
        return [
            (meetings.get(item["meeting_id"]), selectors.reason_label(item["reason"]), item["reason"])
            for item in run.result.get(key, [])
        ]

    return render_page(
        request,
        "events/run.html",
        {
            "run": run,
            "event": event,
            "used_tables": used_tables,
            "rows": rows,
            "unscheduled": explained("unscheduled"),
            "released": explained("released"),
            "is_latest": event.runs.first() == run,
        },
    )


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = access_run(request.user, pk)
    return action(
        request,
        lambda: services.schedule_publish(actor=request.user, run=run),
        success_url=reverse("events:detail", args=[run.event_id]),
        success_message=_("日程已发布,参会者可以查看个人日程。"),
        failure_url=reverse("events:run", args=[run.pk]),
    )


# On the day ---------------------------------------------------------------------------------------------


def _agenda_context(participant: Participant) -> dict[str, Any]:
    meetings = selectors.agenda(participant) if participant.event.is_published else []
    return {
        "participant": participant,
        "event": participant.event,
        "meetings": [(m, m.other_party(participant)) for m in meetings],
        "checkin_qr": qr_svg(
            absolute_url(reverse("events:checkin_code", args=[participant.checkin_code])), scale=4
        ),
    }


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    return render_page(request, "events/agenda.html", _agenda_context(participant))


@login_required
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    event = participant.event
    if not event.is_published:
        messages.error(request, _("日程尚未发布。"))
        return redirect("events:agenda", pk=participant.pk)
    response = HttpResponse(documents.agenda_pdf(participant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agenda-{participant.pk}.pdf"'
    return response


@login_required
def table_cards(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    meetings = (
        Meeting.objects.filter(event=event, status=RequestStatus.ACCEPTED, slot__isnull=False)
        .select_related("slot", "requester", "recipient")
        .order_by("slot__starts_at")
    )
    tables = event.tables.prefetch_related(Prefetch("meetings", queryset=meetings, to_attr="scheduled"))
    return render_page(request, "events/table_cards.html", {"event": event, "tables": tables})


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff page at the door: scan (or type) the personal code, or search by name, then check in."""
    event = access_event(request.user, pk, write=True)
    if request.method == "POST" and "code" in request.POST:
        code_form = forms.CheckInCodeForm(request.POST, event=event)
        return action(
            request,
            lambda: services.participant_check_in(
                actor=request.user, participant=code_form.cleaned_data["code"]
            ),
            form=code_form,
            success_url=reverse("events:checkin", args=[event.pk]),
            success_message=lambda participant: _("%(n)s 已签到。") % {"n": participant.name},
        )
    if request.method == "POST":
        form = forms.CheckInForm(request.POST, event=event)
        return action(
            request,
            lambda: services.participant_check_in(
                actor=request.user, participant=form.cleaned_data["participant"]
            ),
            form=form,
            success_url=reverse("events:checkin", args=[event.pk]) + "?q=" + request.POST.get("q", ""),
            success_message=lambda participant: _("%(n)s 已签到。") % {"n": participant.name},
        )
    query = request.GET.get("q", "").strip()
    return render_page(
        request,
        "events/checkin.html",
        {
            "event": event,
            "query": query,
            "found": selectors.participants_matching(event, query)[:30],
            "counts": selectors.check_in_counts(event),
            "code_form": forms.CheckInCodeForm(event=event),
        },
    )


@login_required
def checkin_code(request: HttpRequest, code: str) -> HttpResponse:
    """The target of a participant's personal QR code: staff confirm the check-in with one tap."""
    participant = access_participant_by_code(request.user, code)
    if request.method == "POST":
        return action(
            request,
            lambda: services.participant_check_in(actor=request.user, participant=participant),
            success_url=reverse("events:checkin", args=[participant.event_id]),
            success_message=_("%(n)s 已签到。") % {"n": participant.name},
        )
    return render_page(
        request, "events/checkin_code.html", {"participant": participant, "event": participant.event}
    )


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """Live board: per table the meeting now and next, and who is checked in."""
    event = access_event(request.user, pk, write=True)
    now = timezone.now()
    slots = list(event.slots.all())
    current = next((s for s in slots if s.starts_at <= now < s.ends_at), None)
    upcoming = [s for s in slots if s.starts_at > now]
    following = upcoming[0] if upcoming else None
    finished = bool(slots) and current is None and following is None
    wanted = [s.pk for s in (current, following) if s is not None]
    meetings = Meeting.objects.filter(
        event=event, status=RequestStatus.ACCEPTED, slot_id__in=wanted
    ).select_related("requester", "recipient")
    by_table: dict[tuple[int, int], Meeting] = {(m.table_id, m.slot_id): m for m in meetings}
    rows = [
        (
            table,
            by_table.get((table.pk, current.pk)) if current else None,
            by_table.get((table.pk, following.pk)) if following else None,
        )
        for table in event.tables.all()
    ]
    counts = selectors.check_in_counts(event)
    return render_page(
        request,
        "events/board.html",
        {
            "event": event,
            "rows": rows,
            "current": current,
            "following": following,
            "finished": finished,
            "counts": counts,
            "now": now,
        },
        partial="events/_board.html",
    )


FOLLOW_UP_EXPORT = (
    ExportColumn(gettext_lazy("跟进类型"), lambda f: f.get_kind_display()),
    ExportColumn(gettext_lazy("洽谈"), lambda f: str(f.meeting)),
    ExportColumn(gettext_lazy("说明"), lambda f: f.note),
    ExportColumn(gettext_lazy("状态"), lambda f: f.get_status_display()),
    ExportColumn(gettext_lazy("创建时间"), lambda f: timezone.localtime(f.created_at)),
)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    meetings = event.meetings.select_related("event", "requester", "recipient", "slot", "table").order_by(
        "pk"
    )
    if wants_export(request):
        return export_queryset(f"event-{event.pk}-meetings", meetings, MEETING_EXPORT)
    follow_ups = FollowUp.objects.filter(event=event, archived_at__isnull=True).select_related(
        "meeting__requester", "meeting__recipient"
    )
    if request.GET.get("export") == "follow-ups":
        return export_queryset(f"event-{event.pk}-follow-ups", follow_ups, FOLLOW_UP_EXPORT)
    return render_page(
        request,
        "events/report.html",
        {
            "event": event,
            "report": selectors.event_report(event),
            "follow_ups": list(follow_ups[:100]),
            "feedback_yes": Feedback.objects.filter(meeting__event=event, wants_cooperation=True).count(),
        },
    )
