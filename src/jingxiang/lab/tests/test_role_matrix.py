"""Every lab route, visited as every persona and as an anonymous visitor."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jingxiang.lab import services
from jingxiang.lab.models import Instrument, RuleConfirmation, RulesFile
from jingxiang.lab.tests.conftest import GOOD_GOGGLES
from jingxiang.lab.tests.test_services import _new_edition_text
from jingxiang.testing.matrix import ALL_LOGGED_IN, ANONYMOUS, RouteCase, check_matrix

pytestmark = pytest.mark.django_db

FIRM = frozenset({"firm_admin", "talent_officer", "member"})
FIRMS = FIRM | {"other_firm_admin"}
USES_LAB = FIRMS | {"lab_staff", "operator"}
SEES_REQUEST = FIRM | {"lab_staff", "operator"}
LAB = frozenset({"lab_staff"})
OPERATOR = frozenset({"operator"})
EVERYONE = ALL_LOGGED_IN | {ANONYMOUS}


@pytest.fixture
def world(lab_setup):
    """Objects for the routes: a request with room for samples, a registered sample, a sample
    awaiting review, a report, a pending and an approved brand authorisation, an uploaded edition."""
    cast = lab_setup.cast
    request = lab_setup.submit(quantity=10)
    registered = lab_setup.register(request)
    waiting = lab_setup.register(request)
    lab_setup.enter(waiting, GOOD_GOGGLES)
    report = lab_setup.report(line="已获授权线")
    brand_active = services.brand_apply(actor=cast.firm_admin, product_line=report.product_line)
    services.brand_review(actor=cast.operator, brand=brand_active, approve=True)
    pending_report = lab_setup.report(line="待审批线")
    brand_pending = services.brand_apply(actor=cast.firm_admin, product_line=pending_report.product_line)
    rules = services.rules_upload(actor=cast.operator, filename="jx-hax-2027.yaml", text=_new_edition_text())
    confirmation = services.rule_confirm(
        actor=cast.operator, designation="JX-HA-2026", rule_id="HA-UV-B", note="原文核对"
    )
    brand_active.refresh_from_db()
    field_test = services.field_test_record(
        actor=cast.operator,
        product_line=request.product_line,
        site="拉萨",
        altitude_m=3650,
        test_date=timezone.localdate(),
        conditions="晴",
        uv_index=None,
        wearers=5,
        rating=4,
        feedback="清晰",
    )
    return {
        "field_test": field_test,
        "request": request,
        "registered": registered,
        "waiting": waiting,
        "report": report,
        "brand": brand_active,
        "pending": brand_pending,
        "rules": rules,
        "confirmation": confirmation,
        "line": request.product_line,
        "instrument": lab_setup.instrument,
    }


def cases(world) -> list[RouteCase]:  # type: ignore[no-untyped-def]
    w = world
    return [
        RouteCase("lab:request_list", "/lab/", USES_LAB),
        RouteCase("lab:request_list export", "/lab/?export=xlsx", USES_LAB),
        RouteCase("lab:request_create", "/lab/requests/new/", FIRMS),
        RouteCase("lab:request_create step 2", "/lab/requests/new/?product_type=sunglasses", FIRMS),
        RouteCase("lab:request_detail", f"/lab/requests/{w['request'].pk}/", SEES_REQUEST),
        RouteCase(
            "lab:request_cancel",
            f"/lab/requests/{w['request'].pk}/cancel/",
            SEES_REQUEST,
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "lab:sample_register",
            f"/lab/requests/{w['request'].pk}/samples/",
            LAB,
            method="post",
            ok_status=(302,),
        ),
        RouteCase("lab:sample_list", "/lab/samples/", USES_LAB),
        RouteCase("lab:sample_detail", f"/lab/samples/{w['waiting'].pk}/", SEES_REQUEST),
        RouteCase("lab:sample_label", f"/lab/samples/{w['registered'].pk}/label/", LAB),
        RouteCase("lab:sample_label_pdf", f"/lab/samples/{w['registered'].pk}/label.pdf", LAB),
        RouteCase("lab:request_labels_pdf", f"/lab/requests/{w['request'].pk}/labels.pdf", LAB),
        RouteCase(
            "lab:sample_split",
            f"/lab/samples/{w['registered'].pk}/split/",
            LAB,
            method="post",
            data={"parts": "1", "purpose": "抗冲击试验"},
            ok_status=(302,),
        ),
        RouteCase(
            "lab:custody_record",
            f"/lab/samples/{w['registered'].pk}/custody/",
            LAB,
            method="post",
            data={"kind": "stored"},
            ok_status=(302,),
        ),
        RouteCase(
            "lab:sample_assign",
            f"/lab/samples/{w['registered'].pk}/assign/",
            LAB,
            method="post",
            ok_status=(302,),
        ),
        RouteCase("lab:results_enter", f"/lab/samples/{w['registered'].pk}/results/", LAB),
        RouteCase(
            "lab:sample_review",
            f"/lab/samples/{w['waiting'].pk}/review/",
            LAB,
            method="post",
            data={"decision": "approve"},
            ok_status=(302,),
        ),
        RouteCase("lab:report_list", "/lab/reports/", USES_LAB),
        RouteCase("lab:report_detail", f"/lab/reports/{w['report'].pk}/", SEES_REQUEST),
        RouteCase("lab:report_pdf", f"/lab/reports/{w['report'].pk}/pdf/", SEES_REQUEST),
        RouteCase("lab:instrument_list", "/lab/instruments/", LAB | OPERATOR),
        RouteCase("lab:instrument_create", "/lab/instruments/new/", LAB),
        RouteCase(
            "lab:instrument_create post",
            "/lab/instruments/new/",
            LAB,
            method="post",
            data={
                "name": "色度计",
                "serial": "CM-9",
                "kind": "spectrophotometer",
                "calibration_due": "2099-12-31",
            },
            ok_status=(302,),
        ),
        RouteCase("lab:instrument_edit", f"/lab/instruments/{w['instrument'].pk}/", LAB),
        RouteCase("lab:standard_list", "/lab/standards/", USES_LAB),
        RouteCase("lab:standard_detail", "/lab/standards/edition/?designation=JX-HA-2026", USES_LAB),
        RouteCase(
            "lab:standard_detail confirm",
            "/lab/standards/edition/?designation=JX-HA-2026",
            OPERATOR,
            method="post",
            data={"rule_id": "HA-UV-A", "note": "原文核对"},
            ok_status=(302,),
            denied_status=(404,),
        ),
        RouteCase("lab:batch_upload", "/lab/batch/", LAB),
        RouteCase("lab:batch_template", "/lab/batch/template/", LAB),
        RouteCase("lab:quality", "/lab/quality/", USES_LAB),
        RouteCase("lab:quality_public", "/lab/quality/public/", EVERYONE),
        RouteCase("lab:brand_directory", "/lab/brand/directory/", EVERYONE),
        RouteCase("lab:product_line_list", "/lab/product-lines/", USES_LAB),
        RouteCase("lab:product_line_detail", f"/lab/product-lines/{w['line'].pk}/", SEES_REQUEST),
        RouteCase(
            "lab:field_test_create", f"/lab/product-lines/{w['line'].pk}/field-tests/new/", LAB | OPERATOR
        ),
        RouteCase(
            "lab:field_test_correct", f"/lab/field-tests/{w['field_test'].pk}/correct/", LAB | OPERATOR
        ),
        RouteCase("lab:brand_list", "/lab/brand/", FIRMS | OPERATOR),
        RouteCase("lab:brand_apply", "/lab/brand/apply/", FIRMS),
        RouteCase("lab:brand_detail", f"/lab/brand/{w['pending'].pk}/", FIRM | OPERATOR),
        RouteCase("lab:brand_print", f"/lab/brand/{w['brand'].pk}/print/", FIRM | OPERATOR),
        RouteCase(
            "lab:brand_review",
            f"/lab/brand/{w['pending'].pk}/review/",
            OPERATOR,
            method="post",
            data={"decision": "reject", "note": "材料不全"},
            ok_status=(302,),
        ),
        RouteCase(
            "verify report", f"/verify/report/{w['report'].verify_code}/", EVERYONE, anonymous_status=(200,)
        ),
        RouteCase(
            "verify brand", f"/verify/brand/{w['brand'].verify_code}/", EVERYONE, anonymous_status=(200,)
        ),
        RouteCase(
            "verify tampered",
            f"/verify/report/{w['report'].verify_code[:-1]}0X/",
            frozenset(),
            denied_status=(404,),
            anonymous_status=(404,),
        ),
        RouteCase(
            "lab:report_correct",
            f"/lab/reports/{w['report'].pk}/correct/",
            LAB,
            method="post",
            data={"reason": "抄录错误"},
            ok_status=(302,),
        ),
        RouteCase(
            "lab:rule_unconfirm",
            f"/lab/standards/confirmations/{w['confirmation'].pk}/withdraw/",
            OPERATOR,
            method="post",
            ok_status=(302,),
        ),
        RouteCase(
            "lab:standard_archive",
            f"/lab/standards/{w['rules'].pk}/archive/",
            OPERATOR,
            method="post",
            ok_status=(302,),
        ),
    ]


def test_every_lab_route_for_every_persona(world, lab_setup):
    problems = check_matrix(lab_setup.cast, cases(world))
    assert problems == []
    # Only the allowed persona's POSTs changed anything.
    world["pending"].refresh_from_db()
    assert world["pending"].status == "rejected"
    assert world["pending"].reviewed_by == lab_setup.cast.operator
    assert RulesFile.objects.active().count() == 0
    assert RuleConfirmation.objects.active().get().rule_id == "HA-UV-A"
    assert Instrument.objects.filter(serial="CM-9").count() == 1


def test_every_lab_route_is_in_the_matrix(world):
    from jingxiang.lab import urls

    names = {case.name.split(" ")[0] for case in cases(world)}
    assert {f"lab:{pattern.name}" for pattern in urls.urlpatterns} <= names
