"""Demo content for 权益链: the example Linhai eyewear agreement taken through negotiation, vote, filing
and review by the union (union_staff), and one month of 康波's wage report (firm_admin) with two rows below
the norm, so the compliance page, the statistics and the self-check have something to show."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from jingxiang.core.demo import DEMO_PASSWORD
from jingxiang.organisations.models import Membership, Organisation, Role
from jingxiang.organisations.permissions import managed_firm_ids
from jingxiang.wagenorms import services
from jingxiang.wagenorms.checking import check_firm_rows


def _association_staff(context: Any, association: Organisation | None) -> Any:
    """The industry association's staff login (the employer side): confirms minutes, sees the totals."""
    if association is None:
        return None
    user, _created = get_user_model().objects.get_or_create(
        username="assoc_staff", defaults={"display_name": "周协会"}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    Membership.objects.get_or_create(user=user, organisation=association, defaults={"role": Role.MEMBER})
    context.users["assoc_staff"] = user
    context.logins.append(("assoc_staff", "association", f"周协会({association.name},能级工资企业方)"))
    return user


def load(context: Any) -> None:
    union_staff = context.users.get("union_staff")
    firm_admin = context.users.get("firm_admin")
    if union_staff is None or firm_admin is None:
        return
    text = (
        resources.files("jingxiang.wages")
        .joinpath("agreements/linhai-eyewear.yaml")
        .read_text(encoding="utf-8")
    )
    today = dt.date.today()
    association = Organisation.objects.filter(name="临海市眼镜协会").first()
    agreement = services.agreement_create(
        actor=union_staff,
        title="临海市眼镜行业技能人才能级工资集体协议(示例)",
        employers="临海市眼镜协会",
        text=text,
        employer_association=association,
    )
    services.round_record(
        actor=union_staff,
        agreement=agreement,
        held_on=today - dt.timedelta(days=40),
        union_proposal="各等级月最低工资标准上调 5%,学徒工不低于 2,480 元",
        employer_proposal="同意关键类、核心类上调 5%,基础类上调 4%",
        minutes="面对面协商一轮,议定按工会方案,2027 年起年增 5%",
    )
    staff = _association_staff(context, association)
    if staff is not None:
        services.round_confirm(actor=staff, negotiation_round=agreement.rounds.get(), remark="企业方同意纪要")
    services.vote_record(
        actor=union_staff,
        agreement=agreement,
        held_on=today - dt.timedelta(days=35),
        representatives=45,
        present=41,
        approve=38,
        against=2,
        abstain=1,
    )
    services.agreement_file(
        actor=union_staff,
        agreement=agreement,
        filed_on=today - dt.timedelta(days=30),
        authority="临海市人力资源和社会保障局",
    )
    services.agreement_review_result(actor=union_staff, agreement=agreement)
    firms = sorted(managed_firm_ids(firm_admin))
    if not firms:
        return
    month = f"{today:%Y-%m}"
    rows: list[tuple[int, dict[str, Any]]] = []
    posts = [("抛光", "中级工", 2760), ("镜架装配", "初级工", 2600), ("验光", "中级工", 3540)]
    number = 1
    for post, level, norm in posts:
        for i in range(6):
            number += 1
            rows.append(
                (
                    number,
                    {
                        "worker_id": f"KB{number:03d}",
                        "month": month,
                        "post": post,
                        "level": level,
                        "base_wage": str(norm + 40 * i),
                    },
                )
            )
    rows[2][1]["base_wage"] = "2700"  # 抛光 中级工 60 yuan under the norm
    rows[8][1].update(base_wage="2100", skill_allowance="600")  # total meets the norm, base under the minimum
    checked, problems = check_firm_rows(firms[0], rows)
    if problems:  # the month may fall outside the example terms on a far-future clock
        return
    with transaction.atomic():
        services.report_save(actor=firm_admin, firm_id=firms[0], source="excel", checked=checked)
