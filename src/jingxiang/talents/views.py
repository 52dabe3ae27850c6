from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingxiang.accounts.actors import SignedInRequest
from jingxiang.core.listing import ExportColumn
from jingxiang.core.pages import Export, ListSpec, action, form_page, list_page
from jingxiang.core.rendering import render_page
from jingxiang.core.selectors import audit_timeline
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import is_operator
from jingxiang.talents import selectors, services
from jingxiang.talents.filters import TalentFilter
from jingxiang.talents.forms import TalentForm
from jingxiang.talents.models import SkillDomain, Talent
from jingxiang.talents.permissions import (
    access_talent,
    may_create_any,
    may_edit,
    may_reveal_personal,
)
from jingxiang.talents.services import TALENT_FIELDS

PERSONAL_FIELDS = ("mobile", "resident_id")


def _skills_text(talent: Talent) -> str:
    return "; ".join(f"{link.skill.name}:{link.level}" for link in talent.talent_skills.all())


EXPORT_COLUMNS = (
    ExportColumn(_("姓名"), lambda t: t.name),
    ExportColumn(_("人才类别"), lambda t: t.get_kind_display()),
    ExportColumn(_("职称/职务"), lambda t: t.title),
    ExportColumn(_("层级/荣誉"), lambda t: t.level),
    ExportColumn(_("所在单位"), lambda t: t.home_organisation.name if t.home_organisation else _("独立")),
    ExportColumn(_("区域"), lambda t: t.region),
    ExportColumn(_("技能"), _skills_text),
    ExportColumn(_("手机号"), lambda t: t.masked_mobile),
    ExportColumn(_("服务费率(元/小时)"), lambda t: t.hourly_rate),
    ExportColumn(_("每月可共享小时"), lambda t: t.monthly_hours),
    ExportColumn(_("参与互聘共享"), lambda t: _("是") if t.shares_talent else _("否")),
)


TALENT_LIST = ListSpec(
    template="talents/list.html",
    partial="talents/_table.html",
    filterset=TalentFilter,
    sort=("name", "created_at", "monthly_hours", "hourly_rate"),
    default_sort="name",
    export=Export("talents", EXPORT_COLUMNS),
)


@login_required
def talent_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        selectors.directory(request.user),
        TALENT_LIST,
        {"can_create": may_create_any(request.user)},
    )


@login_required
def talent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    talent = access_talent(request.user, pk)
    can_edit = may_edit(request.user, talent)
    links = list(talent.talent_skills.select_related("skill__domain").order_by("-level"))
    return render_page(
        request,
        "talents/detail.html",
        {
            "talent": talent,
            "skill_links": links,
            "can_edit": can_edit,
            "can_reveal": may_reveal_personal(request.user, talent),
            "timeline": audit_timeline(talent) if can_edit else [],
        },
    )


def _talent_form_page(
    request: HttpRequest, form: TalentForm, save: Any, talent: Talent | None
) -> HttpResponse:
    back = reverse("talents:detail", args=[talent.pk]) if talent else reverse("talents:list")
    return form_page(
        request,
        form,
        save=save,
        success_url=lambda saved: reverse("talents:detail", args=[saved.pk]),
        success_message=_("已保存。") if talent else _("已添加人才档案。"),
        context={
            "title": _("编辑人才档案:%(name)s") % {"name": talent.name} if talent else _("添加人才"),
            "crumbs": [(_("人才名录"), reverse("talents:list"))],
            "back": back,
        },
    )


@login_required
def talent_create(request: SignedInRequest) -> HttpResponse:
    organisations = selectors.home_organisations_for(request.user)
    if not is_operator(request.user) and not organisations.exists():
        raise Http404
    initial = {"home_organisation": organisations.first()} if not is_operator(request.user) else {}
    form = TalentForm(request.POST or None, organisations=organisations, initial=initial)
    return _talent_form_page(
        request,
        form,
        lambda data: services.talent_create(
            actor=request.user,
            mobile=data.get("mobile") or "",
            resident_id=data.get("resident_id") or "",
            **form.profile(),
        ),
        None,
    )


@login_required
def talent_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    talent = access_talent(request.user, pk, write=True)
    organisations = selectors.home_organisations_for(request.user)
    if talent.home_organisation_id:
        organisations = organisations | Organisation.objects.filter(pk=talent.home_organisation_id)
    # Full personal numbers are never sent to the browser in a form: the fields start empty with the
    # masked value as a hint, and an empty field keeps what is stored.
    initial = {field: getattr(talent, field) for field in TALENT_FIELDS if field not in PERSONAL_FIELDS}
    initial["skills"] = list(talent.skills.all())
    form = TalentForm(request.POST or None, organisations=organisations, initial=initial, instance=talent)
    form.fields["mobile"].widget.attrs["placeholder"] = talent.masked_mobile
    form.fields["resident_id"].widget.attrs["placeholder"] = talent.masked_resident_id
    for field in PERSONAL_FIELDS:
        form.fields[field].help_text = _("留空则保持不变。")
    return _talent_form_page(
        request,
        form,
        lambda data: services.talent_update(
            actor=request.user,
            talent=talent,
            # An empty personal number keeps what is stored: the form never shows it in full.
            mobile=data.get("mobile") or None,
            resident_id=data.get("resident_id") or None,
            **form.profile(),
        ),
        talent,
    )


@login_required
@require_POST
def talent_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    talent = access_talent(request.user, pk, write=True)
    return action(
        request,
        lambda: services.talent_archive(actor=request.user, talent=talent),
        success_url=reverse("talents:list"),
        success_message=_("已归档。"),
    )


@login_required
def talent_me(request: SignedInRequest) -> HttpResponse:
    talent = Talent.objects.filter(user=request.user).first()
    if talent is None:
        raise Http404
    return redirect("talents:detail", pk=talent.pk)


@login_required
def skill_catalogue(request: HttpRequest) -> HttpResponse:
    domains = SkillDomain.objects.prefetch_related("skills")
    return render_page(
        request, "talents/skills.html", {"domains": domains, "is_operator": is_operator(request.user)}
    )
