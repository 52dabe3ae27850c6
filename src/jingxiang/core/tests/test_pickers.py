"""The searchable picker: its endpoint per role, its fields' cleaning (with and without JavaScript)."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from jingxiang.core.pickers import LIMIT, PickerField, PickerMultipleField, SkillLevelField
from jingxiang.organisations.models import Organisation, OrganisationStatus
from jingxiang.talents.models import Skill, Talent
from jingxiang.talents.services import skills_sync
from jingxiang.testing.factories import OrganisationFactory, TalentFactory

pytestmark = pytest.mark.django_db


def options(client, user, source, query=""):  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(f"/pick/{source}/", {"q": query}, headers={"HX-Request": "true"})
    return response.status_code, response.content.decode()


def test_a_firm_is_offered_only_its_own_workers(cast, client):
    own = TalentFactory(name="王美玲", home_organisation=cast.firm)
    theirs = TalentFactory(name="王美丽", home_organisation=cast.other_firm)
    status, body = options(client, cast.talent_officer, "academy.firm_workers", "wml")
    assert status == 200 and own.name in body and theirs.name not in body
    assert f'data-value="{own.pk}"' in body and 'role="option"' in body
    status, body = options(client, cast.other_firm_admin, "academy.firm_workers", "wml")
    assert status == 200 and theirs.name in body and own.name not in body
    # A plain member, a lab and the expert do not enrol workers: the source refuses them.
    for user in (cast.member, cast.lab_staff, cast.expert_user, cast.outsider):
        assert options(client, user, "academy.firm_workers", "wml")[0] == 404


def test_academy_pickers_are_for_academy_staff(cast, client):
    TalentFactory(name="林师傅", kind="craftsman", home_organisation=cast.firm)
    status, body = options(client, cast.operator, "academy.trainers", "lsf")
    assert status == 200 and "林师傅(工匠)" in body
    assert options(client, cast.firm_admin, "academy.trainers", "lsf")[0] == 404
    assert options(client, cast.firm_admin, "academy.talent_pool", "")[0] == 404


def test_skills_by_name_pinyin_initials_and_alias(cast, client):
    skills_sync()
    for query in ("减反射", "jianfanshe", "jfsdm", "AR膜", "anti-reflective"):
        status, body = options(client, cast.expert_user, "talents.skills", query)
        assert status == 200 and "减反射镀膜" in body, query
        assert "加硬工艺" not in body, query


def test_firms_picker_offers_approved_firms_only(cast, client):
    pending = OrganisationFactory(name="临海市康宁眼镜有限公司", status=OrganisationStatus.PENDING)
    status, body = options(client, cast.expert_user, "organisations.firms", "临海")
    assert status == 200 and cast.firm.name in body and cast.other_firm.name in body
    assert pending.name not in body and cast.lab.name not in body
    assert options(client, cast.outsider, "organisations.firms", "临海")[0] == 404


def test_unknown_source_and_model_names_are_not_found(cast, client):
    for source in ("talents.Talent", "auth.user", "..", "academy.firm_workers.x"):
        assert options(client, cast.operator, source)[0] == 404
    client.logout()
    assert client.get("/pick/talents.skills/").status_code == 302


def test_many_matches_are_capped_with_a_hint_and_a_fixed_query_count(cast, client):
    def measure() -> tuple[int, str]:
        client.force_login(cast.firm_admin)
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/pick/academy.firm_workers/", {"q": "wsf"}).content.decode()
        return len(captured.captured_queries), body

    for n in range(3):
        TalentFactory(name=f"王师傅{n:02d}", home_organisation=cast.firm)
    few, body = measure()
    assert body.count('class="picker-option"') == 3 and "还有更多" not in body
    for n in range(3, LIMIT + 5):
        TalentFactory(name=f"王师傅{n:02d}", home_organisation=cast.firm)
    many, body = measure()
    assert body.count('class="picker-option"') == LIMIT and "还有更多" in body
    assert many == few


# Fields ----------------------------------------------------------------------------------------------


class PeopleForm(forms.Form):
    lead = PickerField(source="academy.firm_workers", queryset=Talent.objects.none(), required=False)
    people = PickerMultipleField(source="academy.firm_workers", queryset=Talent.objects.none())

    def __init__(self, *args, firm, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        workers = Talent.objects.filter(home_organisation=firm)
        self.fields["lead"].queryset = workers
        self.fields["people"].queryset = workers


def post(**values):  # type: ignore[no-untyped-def]
    data = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        else:
            data[key] = str(value)
    return data


def test_chosen_ids_clean_to_rows_of_the_fields_queryset(cast):
    a = TalentFactory(name="陈立新", home_organisation=cast.firm)
    b = TalentFactory(name="张建国", home_organisation=cast.firm)
    outsider = TalentFactory(name="外厂师傅", home_organisation=cast.other_firm)
    form = PeopleForm(post(people=[a.pk, b.pk], lead=b.pk), firm=cast.firm)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["people"]) == {a, b} and form.cleaned_data["lead"] == b
    # A crafted POST with another firm's worker is refused, as is garbage.
    form = PeopleForm(post(people=[a.pk, outsider.pk]), firm=cast.firm)
    assert not form.is_valid() and "people" in form.errors
    form = PeopleForm(post(people=["abc"], lead="1 OR 1=1"), firm=cast.firm)
    assert not form.is_valid() and set(form.errors) == {"people", "lead"}
    assert "abc" not in form.as_div() or 'value="abc"' not in form.as_div()


def test_typed_names_without_javascript(cast):
    a = TalentFactory(name="陈立新", home_organisation=cast.firm)
    b = TalentFactory(name="张建国", home_organisation=cast.firm)
    TalentFactory(name="张建华", home_organisation=cast.firm)
    TalentFactory(name="外厂师傅", home_organisation=cast.other_firm)
    form = PeopleForm(post(people__text="clx,张建国", lead__text="陈立新"), firm=cast.firm)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["people"]) == {a, b} and form.cleaned_data["lead"] == a
    # Every problem at once: an ambiguous name, one that matches nobody here, and two for a single choice.
    form = PeopleForm(post(people__text="张建、外厂师傅", lead__text="clx, zjg"), firm=cast.firm)
    assert not form.is_valid()
    people_errors = " ".join(form.errors["people"])
    assert "“张建”对应多项" in people_errors and "张建国" in people_errors
    assert "没有找到“外厂师傅”" in people_errors
    assert "只能选择一项" in " ".join(form.errors["lead"])
    # What was typed stays in the input after an error.
    assert 'value="张建、外厂师傅"' in str(form["people"])


def test_widget_shows_the_chosen_rows_as_ticked_checkboxes(cast):
    a = TalentFactory(name="陈立新", home_organisation=cast.firm)
    html = str(PeopleForm(initial={"people": [a]}, firm=cast.firm)["people"])
    assert f'name="people" value="{a.pk}" checked' in html and "陈立新(" in html
    assert 'role="combobox"' in html and 'aria-controls="id_people-listbox"' in html
    assert 'hx-get="/pick/academy.firm_workers/"' in html and 'name="people__text"' in html
    assert "<script" not in html and " on" not in html.replace(" one", "")
    bound = str(PeopleForm(post(people=[a.pk]), firm=cast.firm)["people"])
    assert f'value="{a.pk}" checked' in bound


def test_skill_levels(cast):
    skills_sync()
    coating = Skill.objects.get(code="ar_coating")
    fitting = Skill.objects.get(code="edging_fitting")

    class SkillsForm(forms.Form):
        skills = SkillLevelField(
            source="talents.skills", queryset=Skill.objects.filter(is_active=True), required=False
        )

    form = SkillsForm(post(skills=[coating.pk, fitting.pk], **{f"skills__level__{coating.pk}": 5}))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["skills"] == {coating: 5, fitting: 3}
    form = SkillsForm(post(skills__text="减反射镀膜:4, mbdp"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["skills"] == {coating: 4, fitting: 3}
    form = SkillsForm(post(skills=[coating.pk], **{f"skills__level__{coating.pk}": 9}))
    assert not form.is_valid() and "1–5" in " ".join(form.errors["skills"])
    html = str(SkillsForm(initial={"skills": {coating: 4}})["skills"])
    assert f'name="skills__level__{coating.pk}"' in html and '<option value="4" selected>' in html


def test_talent_form_keeps_certified_levels(cast, client):
    skills_sync()
    coating = Skill.objects.get(code="ar_coating")
    fitting = Skill.objects.get(code="edging_fitting")
    talent = TalentFactory(name="何师傅", home_organisation=cast.firm)
    talent.talent_skills.create(skill=coating, level=2, source="")
    talent.talent_skills.create(skill=fitting, level=4, source="JX-GJ-2026-000001")
    client.force_login(cast.firm_admin)
    page = client.get(f"/talents/{talent.pk}/edit/").content.decode()
    assert f'name="skills__level__{coating.pk}"' in page
    assert f'name="skills__level__{fitting.pk}"' not in page  # certified: not offered for editing
    response = client.post(
        f"/talents/{talent.pk}/edit/",
        {
            "name": "何师傅",
            "kind": "craftsman",
            "home_organisation": cast.firm.pk,
            "skills": [coating.pk, fitting.pk],
            f"skills__level__{coating.pk}": "3",
            f"skills__level__{fitting.pk}": "1",
            "monthly_hours": 0,
            "hourly_rate": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()
    levels = dict(talent.talent_skills.values_list("skill__code", "level"))
    assert levels == {"ar_coating": 3, "edging_fitting": 4}


def test_operator_places_a_talent_by_typing_the_organisation(cast, client):
    client.force_login(cast.operator)
    response = client.post(
        "/talents/new/", {"name": "顾师傅", "kind": "craftsman", "home_organisation__text": "ksfy"}
    )
    assert response.status_code == 200 and "没有找到“ksfy”" in response.content.decode()
    response = client.post(
        "/talents/new/",
        {"name": "顾师傅", "kind": "craftsman", "home_organisation__text": "yuanfang", "monthly_hours": 0},
    )
    assert response.status_code == 302, response.content.decode()
    assert Talent.objects.get(name="顾师傅").home_organisation == Organisation.objects.get(
        pk=cast.other_firm.pk
    )
