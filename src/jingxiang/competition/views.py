"""Thin views of the competition: public pages, registration, a team's entry, organisers' pages,
judges' live scoring and the hall's scoreboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.competition import forms, selectors, services
from jingxiang.competition.carryover import may_carry_to_fund, open_fund_calls
from jingxiang.competition.documents import certificate_pdf
from jingxiang.competition.models import Attachment, Entry, Organiser, Stage, StageKind, Track
from jingxiang.competition.permissions import (
    access_edition,
    access_entry,
    access_stage,
    is_organiser,
    judge_stage,
    may_manage_edition,
    public_edition,
)
from jingxiang.core.forms import add_service_error
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page, redirect_to
from jingxiang.core.rendering import render_page
from jingxiang.identifiers.masking import mask_mobile
from jingxiang.organisations.permissions import is_operator


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


# -- public ----------------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    editions = list(selectors.public_editions())
    return render_page(
        request,
        "competition/home.html",
        {
            "editions": editions,
            "managed": {e.pk for e in editions if may_manage_edition(request.user, e.pk)},
            "may_create": is_operator(request.user),
        },
    )


def edition_page(request: HttpRequest, slug: str) -> HttpResponse:
    edition = public_edition(slug)
    return render_page(
        request,
        "competition/edition.html",
        {
            "edition": edition,
            "tracks": Track.objects.filter(edition=edition, active=True),
            "stages": selectors.stages_of(edition),
            "may_manage": may_manage_edition(request.user, edition.pk),
        },
    )


def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Two steps on one page for a visitor without a login (a code to the mobile, then the form); a
    signed-in user fills the form at once."""
    edition = public_edition(slug)
    anonymous = not request.user.is_authenticated
    step = request.POST.get("step")
    code_form = forms.CodeForm(request.POST if step == "code" else None)
    form = forms.RegisterForm(
        request.POST if step == "register" else None,
        request.FILES if step == "register" else None,
        edition=edition,
        anonymous=anonymous,
        initial={"mobile": request.session.get("competition_mobile", "")},
    )
    if anonymous and code_form.is_bound and code_form.is_valid():
        mobile = code_form.cleaned_data["mobile"]
        try:
            services.registration_code_send(mobile=mobile, ip=_ip(request))
        except ValidationError as error:
            add_service_error(code_form, error)
        else:
            request.session["competition_mobile"] = mobile
            messages.success(request, _("验证码已发送到 %(m)s。") % {"m": mask_mobile(mobile)})
            return redirect_to(request, reverse("competition:register", args=[slug]))
    if form.is_bound and form.is_valid():
        try:
            entry = services.entry_register(
                actor=request.user, edition=edition, ip=_ip(request), **form.service_data()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if anonymous:
                login(request, entry.leader, backend="jingxiang.accounts.backends.MobileOrUsernameBackend")
            messages.success(request, _("报名成功,报名编号 %(n)s。") % {"n": entry.number})
            return redirect_to(request, reverse("competition:entry", args=[entry.pk]))
    return render_page(
        request,
        "competition/register.html",
        {
            "edition": edition,
            "form": form,
            "code_form": code_form,
            "anonymous": anonymous,
            "open": edition.registration_open(),
        },
    )


def results(request: HttpRequest, slug: str) -> HttpResponse:
    edition = public_edition(slug)
    if edition.results_published_at is None and not may_manage_edition(request.user, edition.pk):
        raise Http404
    return render_page(
        request, "competition/results.html", {"edition": edition, **selectors.results(edition)}
    )


def board(request: HttpRequest, pk: int) -> HttpResponse:
    """The hall's live scoreboard (public, big type, refreshes itself)."""
    stage = get_object_or_404(Stage.objects.select_related("edition", "round", "current_entry"), pk=pk)
    if stage.kind == StageKind.PRELIMINARY or stage.round is None or stage.edition.is_archived:
        raise Http404
    return render_page(
        request, "competition/board.html", selectors.scoreboard(stage), partial="competition/_board.html"
    )


# -- teams -----------------------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render_page(
        request, "competition/mine.html", {"entries": list(selectors.my_entries(request.user))}
    )


@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_entry(request.user, pk)
    manager = may_manage_edition(request.user, entry.edition_id)
    own = entry.leader_id == request.user.pk
    return render_page(
        request,
        "competition/entry.html",
        {
            "entry": entry,
            "own": own,
            "manager": manager,
            "mobile": mask_mobile(entry.leader_mobile) if (own or manager) else "",
            "attachments": list(entry.attachments.all()),
            "stages": list(entry.stage_entries.select_related("stage").order_by("stage__order")),
            "award": getattr(entry, "award", None) if hasattr(entry, "award") else None,
            "fund_invited": may_carry_to_fund(request.user, entry),
            "fund_calls": open_fund_calls(request.user) if may_carry_to_fund(request.user, entry) else [],
        },
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Attachment, pk=pk)
    access_entry(request.user, item.entry_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_entry(request.user, pk)
    award = getattr(entry, "award", None) if hasattr(entry, "award") else None
    if award is None or award.revoked_at is not None:
        raise Http404
    if entry.leader_id != request.user.pk and not may_manage_edition(request.user, entry.edition_id):
        raise Http404
    response = HttpResponse(certificate_pdf(award), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{entry.number}.pdf"'
    return response


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_entry(request.user, pk)
    if entry.leader_id != request.user.pk and not may_manage_edition(request.user, entry.edition_id):
        raise Http404
    return action(
        request,
        lambda: services.entry_withdraw(actor=request.user, entry=entry),
        success_url=reverse("competition:entry", args=[pk]),
        success_message=_("已退赛。"),
    )


# -- organisers ------------------------------------------------------------------------------------------


@login_required
def edition_create(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    form = forms.EditionForm(request.POST or None, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.edition_create(
            actor=request.user,
            name=data["name"],
            year=data["year"],
            slug=data["slug"],
            description=data["description"],
            registration_opens=data["registration_opens"],
            registration_closes=data["registration_closes"],
            advance=(data["advance_preliminary"], data["advance_semifinal"]),
            backdate_reason=data.get("backdate_reason", ""),
        ),
        success_url=lambda edition: reverse("competition:manage", args=[edition.slug]),
        success_message=_("新一届大赛已设立。"),
        context={"title": _("设立新一届大赛"), "back": reverse("competition:home")},
    )


ENTRY_LIST = ListSpec(
    template="competition/manage.html",
    partial="competition/_entry_table.html",
    sort=("number", "title", "status"),
    default_sort="number",
    export=Export(
        "competition-entries",
        (
            ExportColumn(gettext_lazy("报名编号"), lambda e: e.number),
            ExportColumn(gettext_lazy("项目名称"), lambda e: e.title),
            ExportColumn(gettext_lazy("团队名称"), lambda e: e.team_name),
            ExportColumn(gettext_lazy("赛道"), lambda e: e.track.name),
            ExportColumn(gettext_lazy("负责人"), lambda e: e.leader_name),
            ExportColumn(gettext_lazy("负责人手机号"), lambda e: mask_mobile(e.leader_mobile)),
            ExportColumn(gettext_lazy("所属企业或单位"), lambda e: e.organisation_name),
            ExportColumn(gettext_lazy("状态"), lambda e: e.get_status_display()),
        ),
    ),
)


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    edition = access_edition(request.user, slug)
    return list_page(
        request,
        Entry.objects.filter(edition=edition).select_related("track"),
        ENTRY_LIST,
        {
            "edition": edition,
            "tracks": Track.objects.filter(edition=edition),
            "stages": selectors.stages_of(edition),
            "may_appoint": is_operator(request.user),
        },
    )


@login_required
def organisers(request: HttpRequest, slug: str) -> HttpResponse:
    """The edition's organising committee: operators appoint and remove its members."""
    edition = access_edition(request.user, slug)
    if not is_operator(request.user):
        raise Http404
    here = reverse("competition:organisers", args=[slug])
    return form_page(
        request,
        forms.OrganiserForm(request.POST or None, actor=request.user),
        save=lambda data: services.organiser_add(actor=request.user, edition=edition, user=data["user"]),
        success_url=here,
        success_message=lambda organiser: _("%(u)s 已加入组委会。") % {"u": organiser.user},
        template="competition/organisers.html",
        context={
            "title": _("组委会:%(e)s") % {"e": edition.name},
            "back": reverse("competition:manage", args=[slug]),
            "organisers": selectors.organisers_of(edition),
            "submit_label": _("加入组委会"),
        },
    )


@login_required
def organiser_remove(request: HttpRequest, pk: int) -> HttpResponse:
    organiser = get_object_or_404(Organiser.objects.select_related("edition", "user"), pk=pk)
    edition = access_edition(request.user, organiser.edition.slug)
    if not is_operator(request.user):
        raise Http404
    return action(
        request,
        lambda: services.organiser_remove(actor=request.user, organiser=organiser),
        success_url=reverse("competition:organisers", args=[edition.slug]),
        success_message=_("%(u)s 已移出组委会。") % {"u": organiser.user},
    )


@login_required
def track_add(request: HttpRequest, slug: str) -> HttpResponse:
    edition = access_edition(request.user, slug)
    back = reverse("competition:manage", args=[slug])
    return form_page(
        request,
        forms.TrackForm(request.POST or None),
        save=lambda data: services.track_save(actor=request.user, edition=edition, **data),
        success_url=back,
        success_message=_("赛道已保存。"),
        context={"title": _("添加赛道"), "back": back},
    )


@login_required
def track_edit(request: HttpRequest, pk: int) -> HttpResponse:
    track = get_object_or_404(Track.objects.select_related("edition"), pk=pk)
    edition = access_edition(request.user, track.edition.slug)
    back = reverse("competition:manage", args=[edition.slug])
    initial = {f: getattr(track, f) for f in ("code", "name", "description", "order", "active")}
    return form_page(
        request,
        forms.TrackForm(request.POST or None, initial=initial),
        save=lambda data: services.track_save(actor=request.user, edition=edition, track=track, **data),
        success_url=back,
        success_message=_("赛道已保存。"),
        context={"title": _("修改赛道:%(t)s") % {"t": track.name}, "back": back},
    )


@login_required
def stage_page(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(request.user, pk)
    return render_page(
        request,
        "competition/stage.html",
        {
            "stage": stage,
            "table": selectors.stage_table(stage),
            "judges": list(stage.round.reviewers.select_related("organisation")) if stage.round else [],
            "current_form": forms.CurrentEntryForm(stage=stage, initial={"entry": stage.current_entry_id}),
        },
    )


@login_required
def stage_round(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(request.user, pk)
    back = reverse("competition:stage", args=[pk])
    return form_page(
        request,
        forms.StageRoundForm(request.POST or None, actor=request.user),
        save=lambda data: services.stage_round_setup(
            actor=request.user,
            stage=stage,
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            backdate_reason=data.get("backdate_reason", ""),
        ),
        success_url=back,
        success_message=_("评审轮次已设立,参赛项目已加入。"),
        context={"title": _("设立评审轮次:%(s)s") % {"s": stage.name}, "back": back},
    )


@login_required
def judge_add(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(request.user, pk)
    back = reverse("competition:stage", args=[pk])
    form = forms.JudgeForm(request.POST or None, actor=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.judge_add(
            actor=request.user,
            stage=stage,
            user=data["talent"].user,
            expertise=form.expertise_list(),
            max_load=data["max_load"],
        ),
        success_url=back,
        success_message=_("评委已加入。"),
        context={"title": _("添加评委:%(s)s") % {"s": stage.name}, "back": back},
    )


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(request.user, pk)
    return action(
        request,
        lambda: services.stage_decide(actor=request.user, stage=stage),
        success_url=reverse("competition:stage", args=[pk]),
        success_message=_("赛段结果已确定。"),
    )


@login_required
def set_current(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(request.user, pk)
    form = forms.CurrentEntryForm(request.POST, stage=stage)
    return action(
        request,
        lambda: services.live_set_current(
            actor=request.user, stage=stage, entry=form.cleaned_data.get("entry")
        ),
        success_url=reverse("competition:stage", args=[pk]),
        success_message=_("已切换当前路演项目。"),
        form=form,
    )


@login_required
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    edition = access_edition(request.user, slug)
    return action(
        request,
        lambda: services.results_publish(actor=request.user, edition=edition),
        success_url=reverse("competition:results", args=[slug]),
        success_message=_("结果已公布。"),
        failure_url=reverse("competition:manage", args=[slug]),
    )


# -- judges: live scoring --------------------------------------------------------------------------------


@login_required
def live(request: HttpRequest, pk: int) -> HttpResponse:
    """A judge's phone during a live stage: the entry now on stage and their score sheet for it. A small
    status line polls; when the organiser moves to the next entry the page reloads itself."""
    stage = judge_stage(request.user, pk)
    shown = request.GET.get("shown", "")
    if request.GET.get("status"):
        response = render_page(request, "competition/_live_status.html", {"stage": stage})
        if shown != str(stage.current_entry_id or ""):
            response["HX-Refresh"] = "true"
        return response
    assignment = _current_assignment(request.user, stage)
    form = None
    if assignment is not None:
        from jingxiang.reviewing.forms import ScoreSheetForm

        form = ScoreSheetForm(request.POST or None, assignment=assignment)
    context: dict[str, Any] = {"stage": stage, "assignment": assignment, "form": form}
    if form is None:
        return render_page(request, "competition/live.html", context, partial="competition/_live_sheet.html")
    sheet = form
    return form_page(
        request,
        sheet,
        save=lambda data: services.live_score(
            actor=request.user, stage=stage, values=sheet.values(), comment=data.get("comment", "")
        ),
        success_url=reverse("competition:live", args=[pk]),
        success_message=_("评分已提交。"),
        template="competition/live.html",
        partial="competition/_live_sheet.html",
        context=context,
    )


def _current_assignment(user: Any, stage: Stage) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from jingxiang.reviewing.models import Assignment

    if stage.current_entry_id is None or stage.round_id is None:
        return None
    return (
        Assignment.objects.visible_to(user)
        .filter(
            round_id=stage.round_id,
            submission__content_type=ContentType.objects.get_for_model(Entry),
            submission__object_id=stage.current_entry_id,
        )
        .select_related("round", "submission")
        .first()
    )


@login_required
def judging(request: HttpRequest) -> HttpResponse:
    """A judge's live stages (semi-final and final rounds they sit on)."""
    from jingxiang.reviewing.models import Reviewer

    round_ids = Reviewer.objects.filter(user_id=int(request.user.pk or 0), active=True).values_list(
        "round_id", flat=True
    )
    stages = list(
        Stage.objects.filter(round_id__in=round_ids)
        .exclude(kind=StageKind.PRELIMINARY)
        .select_related("edition", "current_entry")
    )
    return render_page(
        request, "competition/judging.html", {"stages": stages, "organiser": is_organiser(request.user)}
    )
