"""Demo content: the 2026 edition with ten registered teams, six judges, a finished preliminary round
(engine-assigned, scored by judges of different strictness, results fixed) and a semi-final roadshow
open for scoring. Logins: the organiser, a judge and a team leader."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.competition import services
from jingxiang.competition.models import Edition, Entry, Organiser, Stage, StageKind
from jingxiang.core.demo import DEMO_PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BACKDATE = "演示数据:补录已进行的赛程"
TEAMS = [
    ("镜界光学", "超疏水防雾镀膜镜片", "materials", ["镀膜", "镜片"]),
    ("明眸智能", "近视防控智能眼镜", "smart", ["智能眼镜", "近视防控"]),
    ("框艺设计", "钛合金 3D 打印镜架", "design", ["镜架", "3D打印"]),
    ("视界 AR", "轻量化 AR 光波导模组", "smart", ["AR光学", "智能眼镜"]),
    ("杜桥智造", "镜片自动检测产线", "manufacturing", ["质量检测", "自动化"]),
    ("青光科技", "蓝光防护树脂材料", "materials", ["镜片", "材料"]),
    ("眼健康云", "社区视光筛查平台", "smart", ["视光", "近视防控"]),
    ("匠心眼镜", "非遗手工板材镜架品牌", "design", ["镜架", "品牌"]),
    ("精密之光", "超薄高折射率镜片", "materials", ["镜片", "镀膜"]),
    ("数智眼镜", "眼镜 MES 工业软件", "manufacturing", ["工业软件", "自动化"]),
]
JUDGES = [
    ("judge_wang", "王教授", ["镜片", "镀膜", "材料"]),
    ("judge_li", "李研究员", ["智能眼镜", "AR光学"]),
    ("judge_zhao", "赵总", ["镜架", "品牌", "设计"]),
    ("judge_chen", "陈博士", ["视光", "近视防控"]),
    ("judge_zhou", "周工", ["自动化", "质量检测", "工业软件"]),
    ("judge_sun", "孙会长", ["镜片", "镜架", "品牌"]),
]


def pdf_upload(name: str = "计划书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def user(username: str, name: str, mobile: str = "") -> Any:
    account, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"display_name": name, "mobile": mobile or None}
    )
    account.set_password(DEMO_PASSWORD)
    account.save()
    return account


def make_edition(operator: Any, *, slug: str = "2026", advance: tuple[int, int] = (6, 4)) -> Edition:
    now = timezone.now()
    return services.edition_create(
        actor=operator,
        name=f"第三届全国眼镜产业人才创业创新大赛({slug})",
        year=now.year,
        slug=slug,
        description="面向眼镜产业的新材料、智能眼镜、设计品牌与智能制造项目,优胜项目可申请临海市人才科创基金。",
        registration_opens=now - dt.timedelta(days=40),
        registration_closes=now + dt.timedelta(days=20),
        advance=advance,
        backdate_reason=BACKDATE,
    )


def register_team(edition: Edition, leader: Any, index: int) -> Entry:
    team, title, track_code, tags = TEAMS[index % len(TEAMS)]
    return services.entry_register(
        actor=leader,
        edition=edition,
        track=edition.tracks.get(code=track_code),
        title=title if index < len(TEAMS) else f"{title} {index}",
        summary=f"{title}:面向杜桥眼镜产业的创新项目,已完成样品并与本地企业开展试用。",
        team_name=team if index < len(TEAMS) else f"{team}{index}",
        leader_name=leader.display_name or leader.username,
        members=f"{leader.display_name or leader.username}, 负责人, 60%\n成员甲, 技术, 25%\n成员乙, 市场",
        organisation_name="",
        tags=tags,
        plan=pdf_upload(),
    )


def run_assignment_now(actor: Any, stage: Stage) -> Any:
    """Demo and tests: the assignment job's work, in this process (the job itself is tested elsewhere)."""
    from jingxiang.reviewing import services as reviewing
    from jingxiang.reviewing.models import AssignmentRun

    assert stage.round is not None
    run = AssignmentRun.objects.create(round=stage.round, created_by=actor)
    return reviewing.assignment_compute(run_id=run.pk)


def score_everything(stage: Stage, *, seed: int = 7) -> None:
    """Every judge scores every assignment: true quality + the judge's strictness + noise, on the scale."""
    from jingxiang.reviewing import services as reviewing
    from jingxiang.reviewing.models import Assignment

    assert stage.round is not None
    generator = random.Random(seed)
    round = stage.round
    low, high = float(round.scale_min), float(round.scale_max)
    width = high - low
    step = float(round.scale_step or 1)
    strictness: dict[int, float] = {}
    for assignment in Assignment.objects.filter(round=round, withdrawn=False).select_related(
        "reviewer", "submission"
    ):
        bias = strictness.setdefault(assignment.reviewer_id, generator.uniform(-0.15, 0.1) * width)
        quality = low + width * (0.45 + 0.05 * (assignment.submission.object_id % 10))
        values = {}
        for criterion in round.criteria.all():
            raw = quality + bias + generator.uniform(-0.05, 0.05) * width
            raw = min(high, max(low, round_to(raw, step)))
            values[criterion.pk] = Decimal(str(raw))
        reviewing.scores_submit(actor=assignment.reviewer.user, assignment=assignment, values=values)


def round_to(value: float, step: float) -> float:
    return float(Decimal(str(round(value / step) * step)).quantize(Decimal("0.01")))


def load(context: Any) -> None:
    from jingxiang.organisations.permissions import is_operator
    from jingxiang.reviewing import services as reviewing

    operator = next((u for u in context.users.values() if is_operator(u)), None)
    if operator is None:
        return
    edition = make_edition(operator)
    organiser = user("contest_organiser", "吴秘书长", "13957600520")
    Organiser.objects.create(edition=edition, user=organiser)
    organisations = [org for org in context.organisations.values() if org.kind != "firm"][:6]
    judges = [user(username, name, f"1395760061{i}") for i, (username, name, _tags) in enumerate(JUDGES)]
    teams = [user(f"team{i + 1:02d}", f"队长{i + 1}", f"1395760070{i}") for i in range(len(TEAMS))]
    for index, leader in enumerate(teams):
        register_team(edition, leader, index)
    now = timezone.now()
    preliminary = Stage.objects.get(edition=edition, kind=StageKind.PRELIMINARY)
    preliminary = services.stage_round_setup(
        actor=organiser if is_operator(organiser) else operator,
        stage=preliminary,
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=7),
        backdate_reason=BACKDATE,
    )
    for i, judge in enumerate(judges):
        services.judge_add(
            actor=organiser,
            stage=preliminary,
            user=judge,
            expertise=JUDGES[i][2],
            max_load=8,
            organisation=organisations[i] if i < len(organisations) else None,
        )
    run_assignment_now(organiser, preliminary)
    score_everything(preliminary)
    assert preliminary.round is not None
    reviewing.round_close(actor=organiser, round=preliminary.round)
    services.stage_decide(actor=organiser, stage=preliminary)
    semifinal = Stage.objects.get(edition=edition, kind=StageKind.SEMIFINAL)
    semifinal = services.stage_round_setup(
        actor=organiser,
        stage=semifinal,
        opens_at=now + dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=14),
    )
    for i, judge in enumerate(judges[:5]):
        services.judge_add(actor=organiser, stage=semifinal, user=judge, expertise=JUDGES[i][2], max_load=10)
    context.users["contest_organiser"] = organiser
    context.logins.append(("contest_organiser", "organiser", "吴秘书长 大赛组委会"))
    context.logins.append(("judge_wang", "judge", "王教授 大赛评委(初赛已评完)"))
    context.logins.append(("team01", "team", "队长1 参赛团队“镜界光学”"))
