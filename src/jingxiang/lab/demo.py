"""Demo content for the lab: 东华大学检测实验室 with two technicians, instruments, a year of reports.

Requests from other demo firms are created directly (they have no demo logins); everything the lab
does goes through the real services, so the verdicts come from the engine. Deterministic.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from jingxiang.core.demo import DEMO_PASSWORD
from jingxiang.lab import selectors, services
from jingxiang.lab.models import FieldTest, LabProfile, ProductLine, TestRequest
from jingxiang.organisations.models import Membership, Role

SEED = 7_2026


def _morning(day: datetime.date) -> datetime.datetime:
    """Samples of the demo's history arrived at 09:00 on the day they were tested."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _sunglass_case(rng: random.Random, failing: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    category = rng.choice([2, 3])
    # Category 2 is 18 % < τv ≤ 43 %, category 3 is 8 % < τv ≤ 18 %.
    tv = Decimal(rng.choice(["20.5", "25.0", "33.0"] if category == 2 else ["9.5", "12.0", "15.5"]))
    measured: dict[str, Any] = {
        "luminous_transmittance": str(tv),
        "min_spectral_transmittance_475_650": str((tv * Decimal("0.5")).quantize(Decimal("0.1"))),
        "q_red": "0.92",
        "q_yellow": "0.90",
        "q_green": "0.88",
        "q_blue": "0.65",
        "uvb_transmittance": "0.3",
        "uva_transmittance": "2.0",
        "marked_not_for_driving": False,
    }
    if failing:
        # The spot-check classics: wrong category for the declared one, or weak UV-A / signal quotients.
        kind = rng.choice(["category", "q", "category"])
        if kind == "category":
            measured["luminous_transmittance"] = "7.5"
            measured["min_spectral_transmittance_475_650"] = "2.0"
        else:
            measured["q_green"] = "0.55"
    return {"declared_category": category}, measured


def _goggle_case(failing: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    measured: dict[str, Any] = {
        "luminous_transmittance": "5.2",
        "uvb_transmittance": "0.4",
        "uva_transmittance": "1.5",
        "marked_not_for_driving": True,
    }
    if failing:
        measured["marked_not_for_driving"] = False
    return {"declared_category": 4}, measured


def load(context: Any) -> None:
    rng = random.Random(SEED)
    lab = context.organisations["donghua_lab"]
    kangbo = context.organisations["kangbo"]
    technician = context.users["lab_staff"]
    reviewer, _created = get_user_model().objects.get_or_create(
        username="lab_reviewer", defaults={"display_name": "沈若兰", "mobile": "13957600218"}
    )
    reviewer.set_password(DEMO_PASSWORD)
    reviewer.save()
    Membership.objects.get_or_create(user=reviewer, organisation=lab, role=Role.LAB_STAFF)
    context.users["lab_reviewer"] = reviewer
    context.logins.append(("lab_reviewer", "lab_staff", f"沈若兰 {lab.name}(第二审核人)"))

    LabProfile.objects.create(
        lab=lab, code_prefix="DHU", accreditation="CMA 210020349123", phone="021-67792000"
    )
    today = timezone.localdate()
    photometer = services.instrument_register(
        actor=technician,
        lab=lab,
        name="分光光度计",
        kind="spectrophotometer",
        model_number="UV-3600i Plus",
        serial="DHU-SP-0417",
        calibration_due=today + datetime.timedelta(days=200),
    )
    services.instrument_register(
        actor=technician,
        lab=lab,
        name="焦度计",
        kind="focimeter",
        model_number="LM-1800P",
        serial="DHU-LM-0093",
        calibration_due=today - datetime.timedelta(days=12),
    )
    focimeter = services.instrument_register(
        actor=technician,
        lab=lab,
        name="自动焦度计",
        kind="focimeter",
        model_number="LM-1800PD",
        serial="DHU-LM-0141",
        calibration_due=today + datetime.timedelta(days=150),
    )

    firms = [kangbo] + [
        context.organisations[key] for key in ("yingchang", "daguangming", "yani", "firm-0001", "firm-0003")
    ]
    lines = {
        kangbo.pk: [
            ProductLine.objects.create(
                firm=kangbo, name="雪域 GX 高原护目镜", product_type="high_altitude_goggles"
            ),
            ProductLine.objects.create(firm=kangbo, name="康波偏光太阳镜 P 系列", product_type="sunglasses"),
        ]
    }
    for firm in firms[1:]:
        lines[firm.pk] = [
            ProductLine.objects.create(
                firm=firm, name=f"{firm.short_name or firm.name}太阳镜", product_type="sunglasses"
            )
        ]

    months_back = list(range(11, -1, -1))
    number = 0
    for firm in firms:
        for line in lines[firm.pk]:
            for month in months_back[rng.randint(0, 1) :: 4]:
                number += 1
                test_date = min(
                    today,
                    (today.replace(day=1) - datetime.timedelta(days=30 * month)).replace(
                        day=rng.randint(3, 26)
                    ),
                )
                failing = rng.random() < 0.22
                if line.product_type == "high_altitude_goggles":
                    nominal, measured = _goggle_case(failing and month > 2)
                    standard = "JX-HA-2026"
                else:
                    nominal, measured = _sunglass_case(rng, failing)
                    standard = "series:GB 39552.1"
                request = TestRequest.objects.create(
                    number=f"DHU-W{test_date.year}-D{number:03d}",
                    firm=firm,
                    lab=lab,
                    product_line=line,
                    product_type=line.product_type,
                    product_name=f"{line.name} {rng.choice(['A', 'B', 'C'])}{rng.randint(10, 99)}",
                    standard=standard,
                    quantity=1,
                    requested_by=context.users["firm_admin"] if firm == kangbo else technician,
                )
                sample = services.sample_register(
                    actor=technician,
                    request=request,
                    description="成品 3 副",
                    received_at=_morning(test_date),
                )
                services.results_enter(
                    actor=technician,
                    sample=sample,
                    test_date=test_date,
                    instrument=photometer,
                    nominal=nominal,
                    measured=measured,
                    submit=True,
                )
                services.result_review(actor=reviewer, sample=sample, approve=True, note="数据复核无误")

    # 大光明 makes reading glasses: three reports while GB 13511.1-2011 was in force, one failing the
    # optical-centre distance the way national spot checks keep finding.
    readers_firm = context.organisations["daguangming"]
    readers = ProductLine.objects.create(
        firm=readers_firm, name="大光明老花镜 R 系列", product_type="ready_made_readers"
    )
    for index, (day, right_oc) in enumerate(
        [
            (datetime.date(2025, 12, 10), "31.2"),
            (datetime.date(2026, 1, 14), "33.5"),
            (datetime.date(2026, 2, 11), "31.0"),
        ]
    ):
        if day > today:
            continue
        request = TestRequest.objects.create(
            number=f"DHU-W{day.year}-R{index + 1:03d}",
            firm=readers_firm,
            lab=lab,
            product_line=readers,
            product_type="ready_made_readers",
            product_name=f"R-{200 + index * 50} +2.00D",
            standard="series:GB 13511.1",
            quantity=1,
            requested_by=technician,
        )
        sample = services.sample_register(
            actor=technician, request=request, description="成镜 2 副", received_at=_morning(day)
        )
        services.results_enter(
            actor=technician,
            sample=sample,
            test_date=day,
            instrument=focimeter,
            nominal={"marked_oc_distance": "62", "right": {"sphere": "2.00"}, "left": {"sphere": "2.00"}},
            measured={
                "right": {"sphere": "2.04", "cylinder": "0", "oc_monocular": right_oc, "oc_height": "20.0"},
                "left": {"sphere": "1.97", "cylinder": "0", "oc_monocular": "31.0", "oc_height": "20.2"},
            },
            submit=True,
        )
        services.result_review(actor=reviewer, sample=sample, approve=True, note="复核无误")

    goggles = lines[kangbo.pk][0]
    if goggles.brand_authorisations.count() == 0 and selectors.brand_evidence(goggles)[1] is None:
        brand = services.brand_apply(
            actor=context.users["firm_admin"], product_line=goggles, note="用于雪域 GX 系列包装"
        )
        operator = context.users["operator"]
        services.brand_review(actor=operator, brand=brand, approve=True, note="报告齐全,同意授权")

    for index, (site, altitude, conditions, uv, rating, feedback) in enumerate(
        [
            (
                "拉萨 · 高原护目镜实践检测基地",
                3650,
                "晴,积雪反射强,气温 -4 ℃",
                "11.5",
                4,
                "佩戴 6 小时无眩光不适,鼻托略硬。",
            ),
            ("那曲 · 野外测试点", 4500, "多云转晴,风力 5 级", "9.0", 5, "防雾良好,侧面遮光充分。"),
        ]
    ):
        FieldTest.objects.create(
            product_line=goggles,
            site=site,
            altitude_m=altitude,
            test_date=today - datetime.timedelta(days=40 - 15 * index),
            conditions=conditions,
            uv_index=Decimal(uv),
            wearers=12 + index * 4,
            rating=rating,
            feedback=feedback,
            recorded_by=technician,
        )

    # A fresh request from 康波 waiting for the lab, so the demo starts with work to do.
    services.request_submit(
        actor=context.users["talent_officer"],
        firm=kangbo,
        lab=lab,
        product_type="high_altitude_goggles",
        product_line_name="雪域 GX 高原护目镜",
        product_name="GX-7 冬季款",
        standard="JX-HA-2026",
        items=[],
        quantity=2,
        nominal_note="标称 4 类,标注“不适用于驾驶”",
    )

    # Issue 11: a sample whose UVA row fails on an indicative (U) limit waits for the reviewer's
    # decision (confirm the limit or exclude it with a reason) — it cannot be approved before.
    waiting = services.request_submit(
        actor=context.users["firm_admin"],
        firm=kangbo,
        lab=lab,
        product_type="high_altitude_goggles",
        product_line_name="雪域 GX 高原护目镜",
        product_name="GX-9 试产款",
        standard="JX-HA-2026",
        items=[],
        quantity=1,
    )
    undecided = services.sample_register(actor=technician, request=waiting, description="试产 2 副")
    services.results_enter(
        actor=technician,
        sample=undecided,
        test_date=today,
        instrument=photometer,
        nominal={"declared_category": 4},
        measured={
            "luminous_transmittance": "5.4",
            "uvb_transmittance": "0.3",
            "uva_transmittance": "3.1",
            "marked_not_for_driving": True,
        },
        submit=True,
    )
    context.notes.append(
        f"质量检测:样品 {undecided.code} 的紫外A 按参考性限值不合格,等待 lab_reviewer 决定(确认限值或写明理由排除)。"
    )
