"""The change log reads as people think: labels and human values from every app, never codes or JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from jingxiang.core.selectors import audit_timeline
from jingxiang.talents.models import Skill, TalentKind
from jingxiang.talents.services import skills_sync
from jingxiang.testing.factories import TalentFactory

pytestmark = pytest.mark.django_db


def changes(instance) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The newest change entry's lines, by label."""
    entry = next(entry for entry in audit_timeline(instance) if entry.changes)
    return {line.label: (line.before, line.after) for line in entry.changes}


def test_talent_changes_show_labels_names_money_yes_no_and_masks(cast):
    talent = TalentFactory(
        name="何师傅", kind=TalentKind.CRAFTSMAN, home_organisation=cast.firm, shares_talent=False, mobile=""
    )
    talent.home_organisation = cast.other_firm
    talent.kind = TalentKind.EXPERT
    talent.shares_talent = True
    talent.hourly_rate = Decimal("12350.5")
    talent.mobile = "13812345678"
    talent.save()
    lines = changes(talent)
    assert lines["所在单位"] == ("临海市康波眼镜有限公司", "临海市远方光学有限公司")
    assert lines["人才类别"] == ("工匠", "专家")
    assert lines["参与互聘共享"] == ("否", "是")
    assert lines["服务费率(元/小时)"][1] == "¥12,350.50"
    assert lines["手机号"] == ("—", "138****5678")
    assert not {"home_organisation", "kind", "shares_talent", "mobile"} & set(lines)


def test_demand_changes_show_dates_money_and_choice_labels(cast):
    from jingxiang.demands.models import Category, Visibility
    from jingxiang.demands.tests.conftest import make_demand

    demand = make_demand(cast, budget=None)
    demand.deadline = dt.date(2026, 6, 20)
    demand.budget = Decimal("50000")
    demand.category = Category.BRAND if demand.category != Category.BRAND else Category.MARKET
    demand.visibility = Visibility.ALLIANCE
    demand.save()
    lines = changes(demand)
    assert lines["期望完成日期"][1] == "2026-06-20"
    assert lines["预算(元)"] == ("—", "¥50,000.00")
    assert lines["类别"][1] == str(Category(demand.category).label)
    assert lines["可见范围"][1] == str(Visibility.ALLIANCE.label)
    assert all("{" not in before + after for before, after in lines.values())


def test_event_changes_show_local_times_and_yes_no(cast):
    from jingxiang.events.tests.conftest import make_event

    event = make_event(cast.operator)
    event.requests_expire_at = timezone.make_aware(dt.datetime(2026, 6, 20, 18, 30))
    event.allow_experts = False
    event.save()
    lines = changes(event)
    assert lines["未答复预约失效时间"][1] == "2026-06-20 18:30"  # Asia/Shanghai, not the stored UTC
    assert lines["专家可报名"] == ("是", "否")


def test_json_lists_read_as_lists(cast):
    skills_sync()
    skill = Skill.objects.get(code="ar_coating")
    skill.aliases = ["AR膜", "增透膜"]
    skill.save()
    assert changes(skill)["别名"][1] == "AR膜、增透膜"


def test_related_names_take_one_query_per_model_however_many_entries(cast):
    from jingxiang.academy.models import Cohort, Course
    from jingxiang.organisations.models import OrganisationKind
    from jingxiang.testing.factories import OrganisationFactory

    skills_sync()
    school = OrganisationFactory(name="工匠学院", kind=OrganisationKind.UNIVERSITY, uscc=None)
    course = Course.objects.create(
        code="DP-9", title="定配", provider=school, skill=Skill.objects.get(code="edging_fitting")
    )
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        course=course, name="一期", venue="驿站", capacity=5, starts_on=today, ends_on=today
    )
    trainers = [TalentFactory(name=f"师傅{n}") for n in range(8)]

    def measure(count: int) -> tuple[int, list]:
        for trainer in trainers[:count]:
            cohort.lead_trainer = trainer
            cohort.save()
        with CaptureQueriesContext(connection) as captured:
            timeline = audit_timeline(cohort)
        return len(captured.captured_queries), timeline

    few, _ = measure(2)
    many, timeline = measure(8)
    assert many == few
    names = [line.after for entry in timeline for line in entry.changes if line.label == "主讲师资"]
    assert names[0] == "师傅7" and "师傅0" in names


def test_english_reader_sees_english_labels_and_words(cast):
    talent = TalentFactory(name="何师傅", kind=TalentKind.CRAFTSMAN, shares_talent=False)
    talent.shares_talent = True
    talent.kind = TalentKind.EXPERT
    talent.save()
    with translation.override("en"):
        lines = changes(talent)
        entry = audit_timeline(talent)[0]
        assert entry.action_label == "Changed" and entry.actor == "System"
    assert lines["Shares talent (互聘共享)"] == ("No", "Yes")
    assert lines["Talent category"] == ("Craftsman", "Expert")


def test_detail_page_timeline_has_no_field_names(cast, client):
    talent = TalentFactory(name="何师傅", home_organisation=cast.firm, shares_talent=False)
    talent.shares_talent = True
    talent.home_organisation = cast.other_firm
    talent.save()
    client.force_login(cast.operator)
    body = client.get(f"/talents/{talent.pk}/").content.decode()
    section = body[body.index("操作记录") :]
    assert (
        "参与互聘共享:否 → 是" in section
        and "所在单位:临海市康波眼镜有限公司 → 临海市远方光学有限公司" in section
    )
    assert "shares_talent" not in section and "True" not in section


def test_personal_values_logged_before_masking_are_masked_on_display(cast):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    talent = TalentFactory(name="何师傅")
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(talent),
        object_pk=str(talent.pk),
        object_id=talent.pk,
        object_repr=str(talent),
        action=LogEntry.Action.UPDATE,
        changes={"resident_id": ["", "33010219900101123X"], "mobile": ["13812345678", "138****5678"]},
    )
    lines = changes(talent)
    assert lines["身份证号"] == ("—", "3301**********123X")
    assert lines["手机号"] == ("138****5678", "138****5678")


def test_timeline_names_the_relations_the_page_already_holds_without_asking_again(cast):
    from jingxiang.talents.models import Talent

    talent = TalentFactory(name="蒋师傅", home_organisation=None)
    talent.home_organisation = cast.firm
    talent.save()

    def timeline_of(instance) -> tuple[int, dict[str, tuple[str, str]]]:  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as captured:
            entry = next(entry for entry in audit_timeline(instance) if entry.changes)
        return len(captured.captured_queries), {
            line.label: (line.before, line.after) for line in entry.changes
        }

    bare_queries, bare = timeline_of(Talent.objects.get(pk=talent.pk))
    held_queries, held = timeline_of(Talent.objects.select_related("home_organisation").get(pk=talent.pk))
    assert held == bare
    assert held["所在单位"] == ("—", "临海市康波眼镜有限公司")
    assert held_queries == bare_queries - 1

    # A former value is not what the page holds: it is still read, and both names are right.
    talent.home_organisation = cast.other_firm
    talent.save()
    _queries, lines = timeline_of(Talent.objects.select_related("home_organisation").get(pk=talent.pk))
    assert lines["所在单位"] == ("临海市康波眼镜有限公司", "临海市远方光学有限公司")


def test_a_held_relation_whose_name_needs_a_query_is_read_as_before(cast, monkeypatch):
    from jingxiang.organisations.models import Organisation
    from jingxiang.talents.models import Talent

    talent = TalentFactory(name="蒋师傅", home_organisation=None)
    talent.home_organisation = cast.firm
    talent.save()
    # A name that reads another record: lending it from the held object would hide that query, so the
    # timeline falls back to its own read (and never fails inside the refused query).
    monkeypatch.setattr(
        Organisation,
        "__str__",
        lambda self: f"{self.name}({Organisation.objects.filter(pk=self.pk).count()})",
    )
    entry = next(
        entry
        for entry in audit_timeline(Talent.objects.select_related("home_organisation").get(pk=talent.pk))
        if entry.changes
    )
    lines = {line.label: (line.before, line.after) for line in entry.changes}
    assert lines["所在单位"] == ("—", "临海市康波眼镜有限公司(1)")
