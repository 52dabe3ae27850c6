"""Thin views of the review block: a reviewer's tasks and score sheet, a manager's round page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.core.pages import action, form_page
from jingxiang.core.rendering import render_page
from jingxiang.reviewing import selectors, services
from jingxiang.reviewing.forms import ScoreSheetForm
from jingxiang.reviewing.models import Criterion, Submission
from jingxiang.reviewing.permissions import access_assignment, access_round, scope_policy


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.my_assignments(request.user))
    return render_page(request, "reviewing/my_reviews.html", {"rows": rows})


@login_required
def score_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(request.user, pk)
    form = ScoreSheetForm(request.POST or None, assignment=assignment)
    return form_page(
        request,
        form,
        save=lambda data: services.scores_submit(
            actor=request.user, assignment=assignment, values=form.values(), comment=data.get("comment", "")
        ),
        success_url=request.POST.get("next") or reverse("reviewing:mine"),
        success_message=_("评分已提交。截止前可以修改。"),
        template="reviewing/score_sheet.html",
        context={
            "assignment": assignment,
            "round": assignment.round,
            "entry_url": _entry_url(assignment.submission),
            "title": assignment.submission.title,
            "back": reverse("reviewing:mine"),
        },
    )


def _entry_url(submission: Submission) -> str:
    entry = submission.entry
    getter = getattr(entry, "get_review_url", None)
    return str(getter()) if callable(getter) else ""


@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round = access_round(request.user, pk)
    policy = scope_policy(round.scope)
    owner_url = policy.owner_url(round.object_id) if policy and policy.owner_url else ""
    return render_page(
        request,
        "reviewing/round.html",
        {
            "round": round,
            "criteria": list(Criterion.objects.filter(round=round)),
            "progress": selectors.round_progress(round),
            "run": selectors.latest_run(round),
            "ranking": selectors.round_ranking(round),
            "owner_label": policy.label if policy else "",
            "owner_url": owner_url,
        },
        partial="reviewing/_round_live.html",
    )


@login_required
def round_assign(request: HttpRequest, pk: int) -> HttpResponse:
    round = access_round(request.user, pk)
    return action(
        request,
        lambda: services.assignment_start(actor=request.user, round=round),
        success_url=reverse("reviewing:round", args=[pk]),
        success_message=_("已开始分配评审专家(后台任务),完成后本页显示结果。"),
    )


@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round = access_round(request.user, pk)
    return action(
        request,
        lambda: services.round_close(actor=request.user, round=round),
        success_url=reverse("reviewing:round", args=[pk]),
        success_message=_("评分已截止。"),
    )


@login_required
def submission_detail(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    round = access_round(request.user, pk)
    submission = get_object_or_404(Submission, pk=submission_pk, round=round)
    if submission.withdrawn:
        raise Http404
    return render_page(
        request,
        "reviewing/submission.html",
        {"round": round, "submission": submission, **selectors.submission_scores(round, submission)},
    )
