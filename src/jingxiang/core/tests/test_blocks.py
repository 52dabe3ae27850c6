"""The shared building blocks: time rules, numbering, form pages, actions and list pages."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from jingxiang.core.models import NumberSequence, TimeRuleOverride
from jingxiang.core.numbering import next_number
from jingxiang.core.pages import action, form_page
from jingxiang.core.timerules import (
    REASON_FIELD,
    NotBefore,
    NotInPast,
    TimeRulesFormMixin,
    enforce_time_rules,
    time_rule_violations,
)

RULES = (
    NotInPast("starts_at", label="开始时间"),
    NotBefore("ends_at", "starts_at", label="结束时间", other_label="开始时间", strict=True),
)


def _now() -> dt.datetime:
    return timezone.now()


class TestTimeRules:
    def test_future_and_ordered_values_pass(self):
        start = _now() + dt.timedelta(days=1)
        assert (
            time_rule_violations(RULES, {"starts_at": start, "ends_at": start + dt.timedelta(hours=1)}) == []
        )

    def test_past_start_and_reversed_end_are_both_reported(self):
        start = _now() - dt.timedelta(days=1)
        found = time_rule_violations(RULES, {"starts_at": start, "ends_at": start - dt.timedelta(hours=1)})
        assert [rule.field for rule, _message in found] == ["starts_at", "ends_at"]

    def test_grace_allows_the_time_it_takes_to_fill_a_form(self):
        assert time_rule_violations(RULES[:1], {"starts_at": _now() - dt.timedelta(minutes=2)}) == []
        assert time_rule_violations(RULES[:1], {"starts_at": _now() - dt.timedelta(minutes=6)})

    def test_dates_compare_with_today(self):
        today = timezone.localdate()
        rule = (NotInPast("day", label="日期"),)
        assert time_rule_violations(rule, {"day": today}) == []
        assert time_rule_violations(rule, {"day": today - dt.timedelta(days=1)})

    def test_a_date_against_a_datetime_compares_days(self):
        rule = (NotBefore("tested_on", "received_at", label="检测日期", other_label="收样时间"),)
        received = timezone.make_aware(dt.datetime(2026, 5, 3, 15, 0))
        assert time_rule_violations(rule, {"tested_on": dt.date(2026, 5, 3), "received_at": received}) == []
        assert time_rule_violations(rule, {"tested_on": dt.date(2026, 5, 2), "received_at": received})

    def test_missing_values_are_left_to_the_required_check(self):
        assert time_rule_violations(RULES, {"starts_at": None, "ends_at": ""}) == []

    @pytest.mark.django_db
    def test_refusal_names_each_field(self, cast):
        start = _now() - dt.timedelta(days=2)
        with pytest.raises(ValidationError) as raised:
            enforce_time_rules(RULES, {"starts_at": start, "ends_at": start}, actor=cast.firm_admin)
        assert set(raised.value.message_dict) == {"starts_at", "ends_at"}

    @pytest.mark.django_db
    def test_a_reason_does_not_help_a_non_operator(self, cast):
        with pytest.raises(ValidationError):
            enforce_time_rules(
                RULES[:1], {"starts_at": _now() - dt.timedelta(days=2)}, actor=cast.firm_admin, reason="补录"
            )

    @pytest.mark.django_db
    def test_operator_without_reason_is_told_to_give_one(self, cast):
        with pytest.raises(ValidationError) as raised:
            enforce_time_rules(RULES[:1], {"starts_at": _now() - dt.timedelta(days=2)}, actor=cast.operator)
        assert "补录原因" in raised.value.message_dict["starts_at"][0]

    @pytest.mark.django_db
    def test_operator_override_with_reason_is_audited(self, cast):
        value = _now() - dt.timedelta(days=2)
        check = enforce_time_rules(
            RULES[:1], {"starts_at": value}, actor=cast.operator, reason="纸质签到,事后补录"
        )
        check.record(cast.firm)
        override = TimeRuleOverride.objects.get()
        assert override.actor == cast.operator
        assert override.reason == "纸质签到,事后补录"
        assert override.field_name == "starts_at"
        assert override.subject == cast.firm

    @pytest.mark.django_db
    def test_impossible_order_cannot_be_waived_even_by_operators(self, cast):
        start = _now() + dt.timedelta(days=1)
        with pytest.raises(ValidationError):
            enforce_time_rules(
                RULES, {"starts_at": start, "ends_at": start}, actor=cast.operator, reason="想改就改"
            )


class MeetingForm(TimeRulesFormMixin, forms.Form):
    title = forms.CharField(max_length=10)
    starts_at = forms.DateTimeField()
    ends_at = forms.DateTimeField()
    time_rules = RULES


@pytest.mark.django_db
class TestFormsShowEveryError:
    def test_three_bad_fields_show_three_errors_at_once(self, cast):
        past = (timezone.localtime() - dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
        earlier = (timezone.localtime() - dt.timedelta(days=4)).strftime("%Y-%m-%d %H:%M")
        form = MeetingForm({"title": "x" * 20, "starts_at": past, "ends_at": earlier}, actor=cast.firm_admin)
        assert not form.is_valid()
        assert set(form.errors) == {"title", "starts_at", "ends_at"}

    def test_operators_get_a_reason_field_and_may_back_date(self, cast):
        past = timezone.localtime() - dt.timedelta(days=3)
        data = {
            "title": "补录",
            "starts_at": past.strftime("%Y-%m-%d %H:%M"),
            "ends_at": (past + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        }
        assert REASON_FIELD not in MeetingForm(actor=cast.firm_admin).fields
        assert not MeetingForm(data, actor=cast.operator).is_valid()
        assert MeetingForm({**data, REASON_FIELD: "纸质记录补录"}, actor=cast.operator).is_valid()


@pytest.mark.django_db
class TestNumbering:
    def test_numbers_count_per_scope_and_year(self):
        assert [next_number("a", 2026) for _ in range(3)] == [1, 2, 3]
        assert next_number("a", 2027) == 1
        assert next_number("b", 2026) == 1
        assert NumberSequence.objects.get(scope="a", year=2026).value == 3

    def test_a_rolled_back_registration_gives_its_number_back(self):
        from django.db import transaction

        next_number("c", 2026)
        with pytest.raises(RuntimeError), transaction.atomic():
            next_number("c", 2026)
            raise RuntimeError("registration failed")
        assert next_number("c", 2026) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_share_a_number():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL; runs in the PostgreSQL stage")
    taken: list[int] = []
    errors: list[BaseException] = []

    def take() -> None:
        from django.db import connections

        try:
            for _ in range(10):
                taken.append(next_number("race", 2026))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(taken) == list(range(1, 41))


def _request(method: str = "get", data: dict | None = None, user=None):
    from django.contrib.messages.storage.fallback import FallbackStorage

    factory = RequestFactory()
    request = getattr(factory, method)("/somewhere/", data or {})
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    request.user = user  # type: ignore[attr-defined]
    return request


class NameForm(forms.Form):
    name = forms.CharField(max_length=5)


@pytest.mark.django_db
class TestFormPageAndAction:
    def test_service_refusal_lands_on_the_field_and_nothing_redirects(self, cast):
        def save(data):
            raise ValidationError({"name": "名称已被占用。"})

        request = _request("post", {"name": "abc"}, cast.firm_admin)
        response = form_page(
            request,
            NameForm(request.POST),
            save=save,
            success_url="/done/",
            context={"title": "t", "back": "/"},
        )
        assert response.status_code == 200
        assert "名称已被占用。" in response.content.decode()

    def test_success_redirects_with_message(self, cast):
        request = _request("post", {"name": "abc"}, cast.firm_admin)
        response = form_page(
            request,
            NameForm(request.POST),
            save=lambda data: data["name"],
            success_url=lambda name: f"/done/{name}/",
            success_message="已保存。",
        )
        assert response.status_code == 302 and response["Location"] == "/done/abc/"

    def test_htmx_requests_are_told_where_to_go(self, cast):
        request = _request("post", {"name": "abc"}, cast.firm_admin)
        request.htmx = type("H", (), {"boosted": False, "__bool__": lambda self: True})()  # type: ignore[attr-defined]
        response = form_page(request, NameForm(request.POST), save=lambda data: 1, success_url="/done/")
        assert response.status_code == 204 and response["HX-Redirect"] == "/done/"

    def test_action_refusal_is_a_message_and_a_redirect_back(self, cast):
        def run():
            raise PermissionDenied("不能这样做。")

        request = _request("post", {}, cast.firm_admin)
        response = action(request, run, success_url="/ok/", failure_url="/back/")
        assert response.status_code == 302 and response["Location"] == "/back/"
        assert [str(m) for m in request._messages] == ["不能这样做。"]

    def test_action_is_post_only(self, cast):
        response = action(_request("get", {}, cast.firm_admin), lambda: None, success_url="/ok/")
        assert response.status_code == 405

    def test_action_follows_only_local_next(self, cast):
        request = _request("post", {"next": "https://evil.example/"}, cast.firm_admin)
        assert action(request, lambda: 1, success_url="/ok/")["Location"] == "/ok/"


@pytest.mark.django_db
class TestListPage:
    def test_a_filter_that_matches_nothing_says_so_and_offers_to_clear(self, cast, client):
        client.force_login(cast.operator)
        page = client.get("/organisations/", {"q": "不存在的机构名称"}).content.decode()
        assert "没有符合筛选条件的记录" in page
        assert "清除筛选" in page

    def test_an_unfiltered_list_shows_rows_and_the_export_button(self, cast, client):
        client.force_login(cast.operator)
        page = client.get("/organisations/").content.decode()
        assert cast.firm.name in page
        assert "export=xlsx" in page

    def test_export_keeps_the_filter(self, cast, client):
        from io import BytesIO

        from openpyxl import load_workbook

        client.force_login(cast.operator)
        response = client.get("/organisations/", {"q": cast.firm.name, "export": "xlsx"})
        rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
        assert [row[0] for row in rows[1:]] == [cast.firm.name]

    def test_htmx_filter_changes_render_only_the_rows(self, cast, client):
        client.force_login(cast.operator)
        page = client.get("/organisations/", {"q": cast.firm.name}, HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in page and cast.firm.name in page


@pytest.mark.django_db
class TestErrorPages:
    @pytest.mark.parametrize("path", ["/no-such-page/", "/organisations/999999/"])
    def test_missing_pages_show_our_page_even_in_debug(self, cast, client, settings, path):
        settings.DEBUG = True
        client.force_login(cast.firm_admin)
        response = client.get(path)
        page = response.content.decode()
        assert response.status_code == 404
        assert "页面不存在或您没有权限查看" in page
        assert "URLconf" not in page and "urlpatterns" not in page

    def test_english_users_read_it_in_english(self, cast, client, settings):
        settings.DEBUG = True
        client.force_login(cast.firm_admin)
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        page = client.get("/no-such-page/").content.decode()
        assert "页面不存在" not in page


def test_nothing_is_reported_before_it_happened():
    from jingxiang.core.timerules import NotInFuture

    rule = (NotInFuture("worked_on", label="工作日期"),)
    today = timezone.localdate()
    assert time_rule_violations(rule, {"worked_on": today}) == []
    assert time_rule_violations(rule, {"worked_on": today + dt.timedelta(days=1)})
    assert time_rule_violations(rule, {"worked_on": _now() + dt.timedelta(hours=1)})
