"""Demo content: 中国·杜桥眼镜城 and the 小微眼镜创业园 with a park manager login, units, leases of demo
firms (one ending soon, for the reminder job) and an incubating start-up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from jingxiang.core.demo import DEMO_PASSWORD
from jingxiang.parks import services
from jingxiang.parks.models import ParkManager, Site, SiteKind


def load(context: Any) -> None:
    city = Site.objects.create(name="中国·杜桥眼镜城", kind=SiteKind.MARKET, address="临海市杜桥镇杜南大道")
    park = Site.objects.create(
        name="杜桥小微眼镜创业园", kind=SiteKind.STARTUP_PARK, address="临海市杜桥镇园区路 8 号"
    )
    manager, _created = get_user_model().objects.get_or_create(
        username="park_manager", defaults={"display_name": "郑园长", "mobile": "13957600418"}
    )
    manager.set_password(DEMO_PASSWORD)
    manager.save()
    for site in (city, park):
        ParkManager.objects.create(site=site, user=manager)
    context.users["park_manager"] = manager
    context.logins.append(("park_manager", "park_manager", "郑园长 眼镜城与创业园(园区管理员)"))

    units = []
    for floor in (1, 2):
        for n in range(1, 5):
            units.append(
                services.unit_add(
                    actor=manager,
                    site=city,
                    building="A 区",
                    code=f"{floor}{n:02d}",
                    floor=floor,
                    area=Decimal("36"),
                    monthly_rent=Decimal("4200"),
                )
            )
    workshops = [
        services.unit_add(
            actor=manager,
            site=park,
            building="1 号楼",
            code=f"10{n}",
            floor=1,
            area=Decimal("150"),
            monthly_rent=Decimal("3000"),
        )
        for n in range(1, 4)
    ]
    today = timezone.localdate()
    firms = [org for org in context.organisations.values() if org.kind == "firm"][:6]
    for index, (unit, firm) in enumerate(zip(units, firms[:5], strict=False)):
        services.lease_sign(
            actor=manager,
            unit=unit,
            tenant=firm,
            starts_on=today - dt.timedelta(days=300),
            ends_on=today + dt.timedelta(days=20 if index == 0 else 400),
        )
    startup = firms[5]
    services.lease_sign(
        actor=manager,
        unit=workshops[0],
        tenant=startup,
        starts_on=today - dt.timedelta(days=100),
        ends_on=today + dt.timedelta(days=630),
    )
    services.incubation_review(
        actor=manager,
        site=park,
        tenant=startup,
        kind="entry",
        passed=True,
        reason="镜架 3D 打印创业团队,技术与市场验证充分",
    )
    context.notes.append(
        "一城多园:park_manager 管理眼镜城与创业园;一份租约 20 天内到期,可在「租约」页发送到期提醒。"
    )
