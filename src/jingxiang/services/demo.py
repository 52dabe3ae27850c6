"""Demo content: 长江创服 (the town's service agency) with a staff login, services of the agency and of
the 东华 lab, this year's 创新券 programme, and 康波's approved voucher with one order under way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from jingxiang.core.demo import DEMO_PASSWORD
from jingxiang.core.search import searchable_text
from jingxiang.organisations.models import Organisation, OrganisationKind, OrganisationStatus
from jingxiang.services import services
from jingxiang.services.models import ProviderStaff, ServiceCategory, VoucherProgramme

SERVICES = (
    ("镜架外观设计专利申请", ServiceCategory.IP, Decimal("3800"), 30, "专利申请受理通知书"),
    ("眼镜品牌商标注册(国内)", ServiceCategory.REGISTRATION, Decimal("1500"), 20, "商标注册申请受理通知书"),
    ("跨境电商出口合规咨询", ServiceCategory.CONSULTING, None, 10, "合规诊断报告与整改清单"),
    ("镜架结构与外观设计打样", ServiceCategory.DESIGN, None, 25, "设计图纸与 3D 打印样品"),
)


def load(context: Any) -> None:
    operator = context.users["operator"]
    agency = Organisation.objects.create(
        name="长江创服(台州)企业服务有限公司",
        short_name="长江创服",
        kind=OrganisationKind.SERVICE_AGENCY,
        region="杜桥镇",
        status=OrganisationStatus.APPROVED,
        description="杜桥镇引进的企业服务机构,为眼镜企业提供知识产权、注册认证、设计与出口合规等定制服务。",
        search_text=searchable_text("长江创服(台州)企业服务有限公司", "长江创服"),
    )
    user, _created = get_user_model().objects.get_or_create(
        username="provider", defaults={"display_name": "陈思远", "mobile": "13957600318"}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    ProviderStaff.objects.create(provider=agency, user=user)
    context.users["provider"] = user
    context.logins.append(("provider", "provider_staff", f"陈思远 {agency.short_name}(服务机构人员)"))

    for title, category, price, days, deliverables in SERVICES:
        services.service_save(
            actor=user,
            provider=agency,
            data={
                "title": title,
                "category": category,
                "description": f"{title}:需求沟通、方案、执行与交付全程跟进。",
                "price": price,
                "lead_time_days": days,
                "deliverables": deliverables,
            },
        )
    lab = context.organisations["donghua_lab"]
    lab_service = services.service_save(
        actor=context.users["lab_staff"],
        provider=lab,
        data={
            "title": "太阳镜透光率与紫外防护检测",
            "category": ServiceCategory.TESTING,
            "description": "按 GB 39552.2 检测光透射比、紫外透射比和交通信号识别,出具 CMA 报告。",
            "price": Decimal("1200"),
            "lead_time_days": 7,
            "deliverables": "CMA 检测报告",
        },
    )

    today = timezone.localdate()
    kangbo = context.organisations["kangbo"]
    programme = VoucherProgramme.objects.create(
        name=f"临海市{today.year}年度科技创新券",
        eligible_sizes=sorted({"micro", "small", kangbo.size or "small"}),
        eligible_regions=[],
        categories=[ServiceCategory.TESTING, ServiceCategory.IP, ServiceCategory.DESIGN],
        share=Decimal("50"),
        cap_per_firm_year=Decimal("20000"),
        budget=Decimal("500000"),
        valid_from=dt.date(today.year, 1, 1),
        valid_to=dt.date(today.year, 12, 31),
    )
    admin = context.users["firm_admin"]
    if not kangbo.size:
        kangbo.size = "small"
        kangbo.save(update_fields=["size"])
    voucher = services.voucher_apply(
        actor=admin, programme=programme, firm=kangbo, purpose="新款太阳镜检测与外观专利"
    )
    services.voucher_decide(actor=operator, voucher=voucher, approve=True)
    order = services.order_request(
        actor=admin, service=lab_service, firm=kangbo, brief="新款偏光太阳镜 3 个型号"
    )
    services.order_place(actor=admin, order=order, voucher=voucher)
    context.notes.append("专业服务:provider(长江创服)发布服务与报价;康波已获批创新券,检测订单进行中。")
