"""Demo content: the 2027 台州(杜桥)国际眼镜展 two weeks ahead, with two halls on the plan, exhibitors
(康波 through its admin, others as they would have applied), booths allocated by the allocation run,
pre-registered buyers from several countries (each with a personal link; one link is printed and has
asked 康波 for a meeting), a buyer login (fair_buyer) whose meetings with 康波 are scheduled by the
events app's scheduler, and a few leads an operator recorded from a pre-show meeting; plus the 杜桥眼镜 zone at the Shanghai fair
in preparation."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from jingxiang.core.demo import DEMO_PASSWORD
from jingxiang.core.search import searchable_text
from jingxiang.events import services as events
from jingxiang.events.models import Participant, ParticipantKind, ScheduleRun
from jingxiang.fairs import services
from jingxiang.fairs.models import BoothPreference, ExhibitorApplication
from jingxiang.identifiers import generate_uscc
from jingxiang.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
)

PRODUCTS = [
    "TR90 光学镜架",
    "钛金属镜架",
    "太阳镜",
    "儿童镜架",
    "老花镜",
    "板材镜架",
    "运动眼镜",
    "镜片与镀膜",
]
BUYERS = [
    ("Marco Bianchi", "Ottica Bianchi S.r.l.", "IT", "retailer", "+393331112233", "意大利眼镜店连锁采购"),
    ("Anna Schmidt", "Brillenhaus Schmidt GmbH", "DE", "chain", "+491701234567", "钛架、轻量化镜架"),
    ("Carlos Mendes", "Óptica Mendes Ltda", "BR", "wholesaler", "+5511987654321", "中低价位板材架"),
    ("Ahmed Al Mansouri", "Gulf Vision Trading LLC", "AE", "trader", "+971501234567", "太阳镜 OEM"),
    ("Nguyen Van An", "Saigon Eyewear Co.", "VN", "wholesaler", "+84901234567", "儿童镜架"),
    ("Priya Sharma", "Lens & Frame India", "IN", "ecommerce", "+919812345678", "电商爆款镜架"),
    ("John Miller", "Miller Optical Supply", "US", "wholesaler", "+12125550143", "老花镜、阅读镜"),
    ("陈志强", "义乌志强眼镜批发", "CN", "wholesaler", "13857600111", "大批量光学架"),
    ("刘芳", "丹阳明亮眼镜店", "CN", "retailer", "13912300222", "镜片与镀膜"),
    ("Kim Soo-jin", "Seoul Glasses Mall", "KR", "ecommerce", "+821012345678", "时尚太阳镜"),
]


def _user(username: str, name: str, mobile: str) -> Any:
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"display_name": name, "mobile": mobile}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _buyer_firm(name: str, admin: Any) -> Organisation:
    firm = Organisation.objects.create(
        name=name,
        kind=OrganisationKind.FIRM,
        uscc=generate_uscc(random.Random(2027), region_code="310101"),
        region="上海市",
        status=OrganisationStatus.APPROVED,
        search_text=searchable_text(name),
    )
    Membership.objects.create(user=admin, organisation=firm, role=Role.ORG_ADMIN)
    return firm


def load(context: Any) -> None:
    operator = context.users["operator"]
    firm_admin = context.users["firm_admin"]
    kangbo = context.organisations["kangbo"]
    start = timezone.localdate() + dt.timedelta(days=14)
    fair = services.fair_create(
        actor=operator,
        code="TZ2027",
        title="2027 台州(杜桥)国际眼镜展",
        city="临海",
        venue="中国·杜桥眼镜城 会展中心",
        starts_on=start,
        ends_on=start + dt.timedelta(days=2),
        description="杜桥眼镜产业集群年度展会:光学镜架、太阳镜、镜片与设备,国内外采购商现场采购洽谈。",
        slot_minutes=30,
        meeting_tables=8,
    )
    hall1 = services.hall_add(
        actor=operator,
        fair=fair,
        code="1",
        name="1 号馆 · 光学镜架",
        width_m=Decimal("44"),
        depth_m=Decimal("20"),
    )
    hall2 = services.hall_add(
        actor=operator,
        fair=fair,
        code="2",
        name="2 号馆 · 太阳镜与镜片",
        width_m=Decimal("30"),
        depth_m=Decimal("14"),
    )
    booths = []
    for row, letter in enumerate("AB"):
        for n in range(10):
            booths.append(
                services.booth_add(
                    actor=operator,
                    hall=hall1,
                    code=f"1{letter}{n + 1:02d}",
                    width_m=Decimal("3"),
                    depth_m=Decimal("3"),
                    x_m=Decimal(2 + n * 4),
                    y_m=Decimal(2 + row * 9),
                    price=Decimal("9800"),
                )
            )
    for n in range(3):
        booths.append(
            services.booth_add(
                actor=operator,
                hall=hall1,
                code=f"1S{n + 1:02d}",
                width_m=Decimal("6"),
                depth_m=Decimal("3"),
                x_m=Decimal(2 + n * 8),
                y_m=Decimal("15.5"),
                price=Decimal("18800"),
            )
        )
    for n in range(6):
        booths.append(
            services.booth_add(
                actor=operator,
                hall=hall2,
                code=f"2A{n + 1:02d}",
                width_m=Decimal("3"),
                depth_m=Decimal("3"),
                x_m=Decimal(2 + n * 4.5),
                y_m=Decimal("2"),
                price=Decimal("8800"),
            )
        )
    by_code = {b.code: b for b in booths}
    services.booth_set_state(actor=operator, booth=by_code["1S01"], state="held", note="主办方形象展位")
    services.booth_set_state(actor=operator, booth=by_code["1B10"], state="blocked", note="消防通道")
    fair = services.fair_open(actor=operator, fair=fair)

    # 康波 applies through its admin; other demo firms as if their admins had applied (same records).
    kangbo_app = services.application_submit(
        actor=firm_admin,
        fair=fair,
        organisation=kangbo,
        booth_ids=[by_code["1A05"].pk, by_code["1A06"].pk],
        products="TR90 光学镜架、钛架",
        contact_name="林晓峰",
    )
    firms = [
        o
        for o in context.organisations.values()
        if o.kind == OrganisationKind.FIRM and o.pk != kangbo.pk and o.status == OrganisationStatus.APPROVED
    ][:9]
    event = fair.event
    slots = list(event.slots.all())
    now = timezone.now()
    wishes = ["1A05", "1A01", "1A02", "1A03", "1S02", "2A01", "2A02", "1A05", "1S01"]
    for index, (firm, wish) in enumerate(zip(firms, wishes, strict=False)):
        participant = Participant.objects.create(
            event=event,
            kind=ParticipantKind.FIRM,
            organisation=firm,
            name=firm.name,
            contact_name=firm.contact_name or firm.name,
            needs=PRODUCTS[index % len(PRODUCTS)],
            max_meetings=event.max_meetings_cap,
            registered_by=operator,
        )
        participant.slots.set(slots)
        application = ExhibitorApplication.objects.create(
            fair=fair,
            organisation=firm,
            products=PRODUCTS[index % len(PRODUCTS)],
            contact_name=firm.contact_name or "—",
            submitted_at=now + dt.timedelta(seconds=index + 1),
            submitted_by=operator,
            participant=participant,
        )
        extra = by_code[f"1B{index + 1:02d}"]
        BoothPreference.objects.create(application=application, booth=by_code[wish], rank=1)
        BoothPreference.objects.create(application=application, booth=extra, rank=2)
    services.allocation_run(actor=operator, fair=fair, progress=lambda _p, _t: None)

    # Buyers: ten pre-registered without a login; one buyer login acting for a trading firm.
    anonymous = AnonymousUser()
    registered = [
        services.buyer_register(
            actor=anonymous,
            fair=fair,
            name=name,
            company=company,
            country=country,
            kind=kind,
            mobile=mobile,
            interests=interests,
        )
        for name, company, country, kind, mobile, interests in BUYERS
    ]
    buyer_user = _user("fair_buyer", "孙采购", "13916600123")
    buyer_firm = _buyer_firm("上海视界眼镜贸易有限公司", buyer_user)
    buyer = services.buyer_register(
        actor=buyer_user,
        fair=fair,
        name="孙采购",
        company=buyer_firm.name,
        country="CN",
        kind="chain",
        mobile="13916600123",
        interests="连锁店自有品牌镜架",
        organisation_id=buyer_firm.pk,
    )
    context.users["fair_buyer"] = buyer_user
    context.logins.append(("fair_buyer", "fair_buyer", "孙采购 上海视界眼镜贸易(眼镜展采购商)"))

    # Meetings through the events app: the buyer asks 康波 and two other exhibitors; 康波 accepts.
    exhibitors = list(
        ExhibitorApplication.objects.filter(fair=fair, status="allocated").exclude(pk=kangbo_app.pk)[:2]
    )
    kangbo_app.refresh_from_db()
    meeting = services.meeting_request(
        actor=buyer_user, buyer=buyer, application=kangbo_app, priority="must", message="想看 TR90 新款"
    )
    events.meeting_request_respond(actor=firm_admin, meeting=meeting, accept=True)
    for other in exhibitors:
        services.meeting_request(actor=buyer_user, buyer=buyer, application=other, priority="nice")
    run = ScheduleRun.objects.create(event=event, created_by=operator, time_limit=3)
    events.schedule_compute(run_id=run.pk, progress=lambda _p, _t: None)
    run.refresh_from_db()
    if run.status == "ready":
        events.schedule_publish(actor=operator, run=run)

    # Three buyers met 康波 at the pre-show buyers' meeting: before the fair's dates only an operator
    # records a lead, with the reason (a time-rule override); at the booth 康波's people scan badges.
    for visitor in registered[:3]:
        services.lead_capture(
            actor=operator,
            application=kangbo_app,
            code=visitor.badge_number,
            note="展前采购商见面会",
            backdate_reason="展前采购商见面会上交换的名片,由主办方统一补录",
        )
    # The first buyer without a login asks 康波 for a meeting through her personal link.
    guest = registered[0]
    guest_link = guest.links.get(revoked_at__isnull=True)
    services.meeting_request(
        actor=anonymous,
        buyer=guest,
        application=kangbo_app,
        priority="nice",
        message="想了解儿童镜架",
        link=guest_link,
    )

    # The 杜桥眼镜 zone at the Shanghai optical fair, in preparation.
    shanghai = services.fair_create(
        actor=operator,
        code="SIOF2027",
        title="2027 上海国际眼镜展 · 杜桥眼镜专区",
        city="上海",
        venue="上海世博展览馆 W3 馆",
        starts_on=start + dt.timedelta(days=60),
        ends_on=start + dt.timedelta(days=62),
        meeting_tables=4,
    )
    zone = services.hall_add(
        actor=operator,
        fair=shanghai,
        code="W3",
        name="W3 馆 · 杜桥专区",
        width_m=Decimal("24"),
        depth_m=Decimal("10"),
    )
    for n in range(5):
        services.booth_add(
            actor=operator,
            hall=zone,
            code=f"W3-{n + 1:02d}",
            width_m=Decimal("3"),
            depth_m=Decimal("3"),
            x_m=Decimal(2 + n * 4),
            y_m=Decimal("2"),
            price=Decimal("16800"),
        )
    context.notes.append(
        "眼镜展:operator 管理 2027 台州(杜桥)国际眼镜展(展位图、参展申请、采购商、洽谈排程);firm_admin 为康波参展,"
        "可在展位上记录线索、查看参展报告;fair_buyer 是采购商,可向参展商预约洽谈。"
    )
    context.notes.append(
        f"眼镜展:没有登录账号的采购商 {guest.name} 的专属链接(无需登录即可预约洽谈) "
        + reverse("fairs:buyer_page", args=[guest_link.token])
    )
