from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingxiang.core.documents import qr_svg
from jingxiang.core.forms import add_service_error, refusal_message
from jingxiang.core.listing import (
    ExportColumn,
    apply_sort,
    export_queryset,
    paginate,
    query_without,
    wants_export,
)
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.events import documents, forms, selectors, services
from jingxiang.events.models import (
    Attendance,
    Event,
    EventStatus,
    Feedback,
    FollowUp,
    Meeting,
    Participant,
    RequestStatus,
    ScheduleRun,
)
from jingxiang.events.permissions import (
    access_event,
    access_meeting,
    access_participant,
    may_browse_participants,
    my_participants,
    registrable_profiles,
)
from jingxiang.organisations.permissions import is_operator


def _int_or_none(value: Any) -> int | None:
    """Ids from forms and query strings; anything that is not a whole number means "none"."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


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


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    queryset = Event.objects.visible_to(request.user).annotate(
        registered=Count("participants", filter=Q(participants__archived_at__isnull=True))
    )
    filterset = forms.EventFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["event_date", "title"], "-event_date")
    if wants_export(request):
        return export_queryset("events", queryset, EVENT_EXPORT)
    return render_page(
        request,
        "events/list.html",
        {
            "filterset": filterset,
            "page": paginate(request, queryset),
            "sort": sort,
            "query": query_without(request, "page"),
            "query_nosort": query_without(request, "page", "sort"),
            "is_operator": is_operator(request.user),
        },
        partial="events/_event_table.html",
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    _operator_or_404(request.user)
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("对接会已创建。请添加场次和洽谈桌,然后开放报名。"))
            return redirect("events:detail", pk=event.pk)
    return render_page(request, "events/form.html", {"form": form, "event": None})


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    initial = {field: getattr(event, field) for field in services.EVENT_FIELDS}
    initial["requests_expire_at"] = timezone.localtime(event.requests_expire_at)
    form = forms.EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, data=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("events:detail", pk=event.pk)
    return render_page(request, "events/form.html", {"form": form, "event": event})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    operator = is_operator(request.user)
    mine = my_participants(request.user, event)
    sessions = list(event.sessions.prefetch_related("slots"))
    registered_keys = {(p.kind, p.organisation_id or p.talent_id) for p in mine}
    can_register = event.status == EventStatus.OPEN and any(
        (kind, profile.pk) not in registered_keys and event.allows(kind)
        for kind, profile in registrable_profiles(request.user)
    )
    latest_run = event.runs.first() if operator else None
    if event.status == EventStatus.DRAFT:
        next_step = _("等待 平台运营人员 添加场次、洽谈桌并开放报名")
    elif event.status == EventStatus.OPEN:
        next_step = _("报名与预约进行中;等待 平台运营人员 排程并发布日程")
    elif event.status == EventStatus.PUBLISHED:
        next_step = _("日程已发布;当天由 平台运营人员 签到并登记洽谈情况")
    else:
        next_step = _("已结束,可查看对接成果报告")
    return render_page(
        request,
        "events/detail.html",
        {
            "event": event,
            "sessions": sessions,
            "tables": list(event.tables.all()),
            "mine": mine,
            "operator": operator,
            "can_register": can_register,
            "latest_run": latest_run,
            "next_step": next_step,
            "report": selectors.event_report(event) if operator else None,
            "session_form": forms.SessionForm(event=event) if operator else None,
            "tables_form": forms.TablesForm() if operator else None,
            "timeline": audit_timeline(event) if operator else [],
        },
    )


@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    form = forms.SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_add(
                actor=request.user,
                event=event,
                name=data["name"],
                starts_at=form.moment(data["starts"]),
                ends_at=form.moment(data["ends"]),
                slot_minutes=data["slot_minutes"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("场次已添加,并已按时长切分为时段。"))
            return redirect("events:detail", pk=event.pk)
    return render_page(
        request, "events/simple_form.html", {"form": form, "event": event, "heading": _("添加场次")}
    )


@login_required
def tables_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    form = forms.TablesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tables_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("洽谈桌已添加。"))
            return redirect("events:detail", pk=event.pk)
    return render_page(
        request, "events/simple_form.html", {"form": form, "event": event, "heading": _("添加洽谈桌")}
    )


@login_required
@require_POST
def event_open(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    try:
        services.event_open(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("已开放报名。"))
    return redirect("events:detail", pk=event.pk)


@login_required
@require_POST
def event_close(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    try:
        services.event_close(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("对接会已结束。"))
    return redirect("events:detail", pk=event.pk)


# Registration ----------------------------------------------------------------------------------------


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    profiles = [(k, p) for k, p in registrable_profiles(request.user) if event.allows(k)]
    if not profiles:
        raise Http404
    firm = next((p for k, p in profiles if k == "firm"), None)
    form = forms.RegistrationForm(
        request.POST or None,
        event=event,
        profiles=profiles,
        demands=selectors.published_demands(firm),
        initial={"max_meetings": min(6, event.max_meetings_cap), "contact_name": str(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        kind, profile = form.cleaned_data["profile"]
        try:
            participant = services.participant_register(
                actor=request.user,
                event=event,
                kind=kind,
                profile_id=profile.pk,
                slot_ids=[slot.pk for slot in form.cleaned_data["slots"]],
                max_meetings=form.cleaned_data["max_meetings"],
                needs=form.cleaned_data["needs"],
                contact_name=form.cleaned_data["contact_name"],
                demand=form.cleaned_data.get("demand"),
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("报名成功。现在可以浏览其他参会者并预约洽谈。"))
            return redirect(reverse("events:participants", args=[event.pk]) + f"?as={participant.pk}")
    return render_page(request, "events/register.html", {"form": form, "event": event})


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
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                actor=request.user,
                participant=participant,
                slot_ids=[slot.pk for slot in form.cleaned_data["slots"]],
                max_meetings=form.cleaned_data["max_meetings"],
                needs=form.cleaned_data["needs"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("报名信息已更新。"))
            return redirect("events:detail", pk=event.pk)
    return render_page(
        request,
        "events/simple_form.html",
        {"form": form, "event": event, "heading": _("修改报名:%(n)s") % {"n": participant.name}},
    )


@login_required
@require_POST
def participant_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk, write=True)
    try:
        services.participant_withdraw(actor=request.user, participant=participant)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("已取消报名,相关洽谈已通知对方。"))
    return redirect("events:detail", pk=participant.event_id)


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


@login_required
def participant_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's directory: browse, filter, get suggestions and request meetings."""
    event = access_event(request.user, pk)
    if not may_browse_participants(request.user, event):
        raise Http404
    mine = my_participants(request.user, event)
    acting = next((p for p in mine if str(p.pk) == request.GET.get("as")), mine[0] if mine else None)
    queryset = event.participants.filter(archived_at__isnull=True)
    filterset = forms.ParticipantFilter(request.GET, queryset=queryset)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["name", "kind", "created_at"], "name")
    if wants_export(request):
        return export_queryset("event-participants", queryset, PARTICIPANT_EXPORT)
    page = paginate(request, queryset)
    requested: dict[int, Meeting] = {}
    if acting is not None:
        for meeting in Meeting.objects.filter(
            Q(requester=acting) | Q(recipient=acting),
            status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED],
        ):
            # Ids only: loading the other party would cost one query per meeting.
            other_id = meeting.recipient_id if meeting.requester_id == acting.pk else meeting.requester_id
            requested[other_id] = meeting
    # The engine's suggestions are shown on the full page only, not in the table an HTMX filter reloads.
    partial_reload = bool(request.htmx) and not request.htmx.boosted
    suggestions = (
        selectors.suggestions_for(acting, top=6) if acting is not None and not partial_reload else []
    )
    return render_page(
        request,
        "events/participants.html",
        {
            "event": event,
            "filterset": filterset,
            "page": page,
            "sort": sort,
            "query": query_without(request, "page"),
            "query_nosort": query_without(request, "page", "sort"),
            "mine": mine,
            "acting": acting,
            "requested": requested,
            "suggestions": suggestions,
            "can_request": acting is not None and event.status in {EventStatus.OPEN, EventStatus.PUBLISHED},
            "request_form": forms.MeetingRequestForm(),
        },
        partial="events/_participant_table.html",
    )


# Meeting requests ------------------------------------------------------------------------------------


@login_required
@require_POST
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk, write=True)
    form = forms.MeetingRequestForm(request.POST)
    target = reverse("events:participants", args=[participant.event_id]) + f"?as={participant.pk}"
    if not form.is_valid():
        messages.error(request, _("请选择预约对象和优先级。"))
        return redirect(target)
    try:
        services.meeting_request_create(
            actor=request.user,
            requester=participant,
            recipient_id=form.cleaned_data["recipient"],
            priority=form.cleaned_data["priority"],
            message=form.cleaned_data["message"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("预约已发出,等待对方答复。"))
    return redirect(target)


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


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    queryset = Meeting.objects.visible_to(request.user).select_related(
        "event", "requester", "recipient", "slot", "table"
    )
    mine = Participant.objects.acting_for(request.user).values("pk")
    events = Event.objects.visible_to(request.user)
    filterset = forms.MeetingFilter(request.GET, queryset=queryset, mine=mine, events=events)
    queryset = filterset.qs if filterset.is_valid() else queryset.none()
    queryset, sort = apply_sort(request, queryset, ["created_at", "status", "priority"], "-created_at")
    if wants_export(request):
        return export_queryset("meeting-requests", queryset, MEETING_EXPORT)
    return render_page(
        request,
        "events/requests.html",
        {
            "filterset": filterset,
            "page": paginate(request, queryset),
            "sort": sort,
            "query": query_without(request, "page"),
            "query_nosort": query_without(request, "page", "sort"),
            "mine_ids": set(Participant.objects.acting_for(request.user).values_list("pk", flat=True)),
        },
        partial="events/_request_table.html",
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
    if meeting.status == RequestStatus.PENDING:
        waiting_for = _("等待 %(n)s 答复") % {"n": meeting.recipient.name}
    elif meeting.status == RequestStatus.ACCEPTED and not scheduled:
        waiting_for = _("等待 平台运营人员 排程并发布日程")
    elif scheduled and meeting.attendance == Attendance.PLANNED:
        waiting_for = _("等待洽谈进行,之后双方登记合作意向")
    elif scheduled and len(given) < 2 and meeting.attendance == Attendance.HELD:
        missing = [p.name for p in (meeting.requester, meeting.recipient) if p.pk not in given]
        # Translators: separator between the names of the parties still to record their intention.
        separator = _("、")
        waiting_for = _("等待 %(n)s 登记合作意向") % {"n": separator.join(missing)}
    else:
        waiting_for = ""
    feedback_sides = [
        p
        for p in (meeting.requester, meeting.recipient)
        if p.pk not in given and (operator or p.pk in mine_ids)
    ]
    return render_page(
        request,
        "events/meeting.html",
        {
            "meeting": meeting,
            "event": meeting.event,
            "operator": operator,
            "my_side": my_side,
            "waiting_for": waiting_for,
            "scheduled": scheduled,
            "feedback": feedback,
            "follow_ups": list(meeting.follow_ups.all()),
            "can_respond": my_side is not None
            and my_side.pk == meeting.recipient_id
            and meeting.status == RequestStatus.PENDING,
            "can_withdraw": my_side is not None
            and my_side.pk == meeting.requester_id
            and meeting.status in {RequestStatus.PENDING, RequestStatus.ACCEPTED}
            and not meeting.announced,
            "feedback_sides": feedback_sides
            if scheduled and meeting.attendance != Attendance.NO_SHOW
            else [],
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


@login_required
@require_POST
def meeting_respond(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.RespondForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("events:meeting", pk=meeting.pk)
    try:
        services.meeting_request_respond(
            actor=request.user,
            meeting=meeting,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("已答复,对方会收到通知。"))
    return redirect("events:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, write=True)
    try:
        services.meeting_request_withdraw(actor=request.user, meeting=meeting)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("预约已撤回。"))
    return redirect("events:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_place(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.PlaceForm(request.POST, event=meeting.event)
    if not form.is_valid():
        messages.error(request, _("请选择时段和洽谈桌。"))
        return redirect("events:meeting", pk=meeting.pk)
    try:
        services.meeting_place(
            actor=request.user,
            meeting=meeting,
            slot=form.cleaned_data["slot"],
            table=form.cleaned_data["table"],
        )
    except ValidationError as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("已锁定到该位置,重新排程时保持不变。"))
    return redirect("events:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    meeting = access_meeting(request.user, pk, write=True)
    services.meeting_unlock(actor=request.user, meeting=meeting)
    messages.success(request, _("已解除锁定。"))
    return redirect("events:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.AttendanceForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("请选择到场情况。"))
        return redirect("events:meeting", pk=meeting.pk)
    outcome = form.cleaned_data["outcome"]
    no_show = None
    if outcome.startswith("no_show:"):
        no_show = Participant.objects.filter(pk=int(outcome.split(":", 1)[1])).first()
    try:
        services.meeting_attendance_mark(
            actor=request.user, meeting=meeting, held=outcome == "held", no_show=no_show
        )
    except ValidationError as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("到场情况已登记。"))
    return redirect(request.POST.get("next") or reverse("events:meeting", args=[meeting.pk]))


@login_required
@require_POST
def meeting_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk, write=True)
    form = forms.FeedbackForm(request.POST)
    participant = Participant.objects.filter(
        pk=_int_or_none(request.POST.get("participant")), pk__in=[meeting.requester_id, meeting.recipient_id]
    ).first()
    if participant is None or not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        if participant is None:
            messages.error(request, _("请选择代表哪一方登记。"))
        return redirect("events:meeting", pk=meeting.pk)
    try:
        services.meeting_feedback_record(
            actor=request.user,
            meeting=meeting,
            participant=participant,
            wants_cooperation=form.cleaned_data["wants_cooperation"] == "yes",
            follow_up_kind=form.cleaned_data["follow_up_kind"],
            note=form.cleaned_data["note"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, _("洽谈结果已登记。"))
    return redirect("events:meeting", pk=meeting.pk)


# Scheduling -----------------------------------------------------------------------------------------


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk, write=True)
    form = forms.RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.schedule_start(
                actor=request.user, event=event, time_limit=form.cleaned_data["time_limit"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("排程任务已开始,可以离开本页,完成后会通知您。"))
            return redirect("jobs:detail", pk=run.job_id)
    counts = event.meetings.aggregate(
        accepted=_count_status(RequestStatus.ACCEPTED),
        pending=_count_status(RequestStatus.PENDING),
        locked=_count_status(RequestStatus.ACCEPTED, locked=True),
    )
    return render_page(
        request,
        "events/schedule.html",
        {
            "event": event,
            "form": form,
            # The run list shows counts only: leave the large instance/result JSON in the database.
            "runs": list(
                event.runs.select_related("created_by").defer("instance", "result", "violations")[:20]
            ),
            "counts": counts,
        },
    )


def _count_status(status: str, **extra: Any) -> Any:
    return Count("pk", filter=Q(status=status, **extra))


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    run = ScheduleRun.objects.select_related("event", "job").filter(pk=pk).first()
    if run is None:
        raise Http404
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
    unscheduled = [
        (meetings.get(item["meeting_id"]), selectors.reason_label(item["reason"]), item["reason"])
        for item in run.result.get("unscheduled", [])
    ]
    released = [
        (meetings.get(item["meeting_id"]), selectors.reason_label(item["reason"]), item["reason"])
        for item in run.result.get("released", [])
    ]
    return render_page(
        request,
        "events/run.html",
        {
            "run": run,
            "event": event,
            "used_tables": used_tables,
            "rows": rows,
            "unscheduled": unscheduled,
            "released": released,
            "is_latest": event.runs.first() == run,
        },
    )


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _operator_or_404(request.user)
    run = ScheduleRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404
    try:
        services.schedule_publish(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, refusal_message(error))
        return redirect("events:run", pk=run.pk)
    messages.success(request, _("日程已发布,参会者可以查看个人日程。"))
    return redirect("events:detail", pk=run.event_id)


# On the day ---------------------------------------------------------------------------------------------


def _agenda_context(participant: Participant) -> dict[str, Any]:
    meetings = selectors.agenda(participant) if participant.event.is_published else []
    return {
        "participant": participant,
        "event": participant.event,
        "meetings": [(m, m.other_party(participant)) for m in meetings],
        "checkin_qr": qr_svg(
            settings.PUBLIC_BASE_URL.rstrip("/")
            + reverse("events:checkin_code", args=[participant.checkin_code]),
            scale=4,
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
    if request.method == "POST":
        participant = event.participants.filter(pk=_int_or_none(request.POST.get("participant"))).first()
        if participant is None:
            messages.error(request, _("没有找到该参会者。"))
        else:
            try:
                services.participant_check_in(actor=request.user, participant=participant)
            except ValidationError as error:
                messages.error(request, refusal_message(error))
            else:
                messages.success(request, _("%(n)s 已签到。") % {"n": participant.name})
        return redirect(reverse("events:checkin", args=[event.pk]) + "?q=" + request.POST.get("q", ""))
    query = request.GET.get("q", "").strip()
    code = query.rsplit("/", 2)[-2] if query.endswith("/") and "/checkin/" in query else query
    found = event.participants.filter(archived_at__isnull=True)
    if query:
        found = found.filter(
            Q(name__icontains=query) | Q(contact_name__icontains=query) | Q(checkin_code=code.upper())
        )
    counts = event.participants.filter(archived_at__isnull=True).aggregate(
        total=_count_where(), checked=_count_where(checked_in_at__isnull=False)
    )
    return render_page(
        request,
        "events/checkin.html",
        {"event": event, "query": query, "found": list(found[:30]), "counts": counts},
    )


def _count_where(**filters: Any) -> Any:
    return Count("pk", filter=Q(**filters)) if filters else Count("pk")


@login_required
def checkin_code(request: HttpRequest, code: str) -> HttpResponse:
    """The target of a participant's personal QR code: staff confirm the check-in with one tap."""
    _operator_or_404(request.user)
    participant = Participant.objects.select_related("event").filter(checkin_code=code.upper()).first()
    if participant is None:
        raise Http404
    if request.method == "POST":
        try:
            services.participant_check_in(actor=request.user, participant=participant)
        except ValidationError as error:
            messages.error(request, refusal_message(error))
        else:
            messages.success(request, _("%(n)s 已签到。") % {"n": participant.name})
        return redirect("events:checkin", pk=participant.event_id)
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
    counts = event.participants.filter(archived_at__isnull=True).aggregate(
        total=_count_where(), checked=_count_where(checked_in_at__isnull=False)
    )
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
