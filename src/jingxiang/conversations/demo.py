"""Demo content: conversations on the headline sharing invitation (with a PDF), a demand proposal and a
meeting request, written through the services as the people would."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from jingxiang.conversations import services
from jingxiang.conversations.permissions import side_of
from jingxiang.conversations.registry import kind_of
from jingxiang.conversations.services import recipients

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _party_users(subject: Any) -> list[Any]:
    """One person for each side of a subject (the first who may act for it), or [] when a side has none."""
    subject_kind = kind_of(subject)
    if subject_kind is None:
        return []
    people = []
    for side in subject_kind.parties(subject):
        found = [p for p in recipients([side], exclude=None, author_id=0) if side_of(p, [side]) is side]
        if not found:
            return []
        people.append(sorted(found, key=lambda p: p.pk)[0])
    return people


def load(context: Any) -> None:
    from jingxiang.demands.models import Proposal
    from jingxiang.events.models import Meeting
    from jingxiang.sharing.models import Invitation

    invitation = Invitation.objects.select_related("request__firm", "talent").order_by("pk").first()
    people = _party_users(invitation) if invitation is not None else []
    if invitation is not None and len(people) == 2:
        firm_person, talent = people
        services.message_post(
            actor=firm_person,
            subject=invitation,
            body="周老师您好,附件是近三个月的脱膜批次记录和膜系参数,方便您到厂前先看一下。",
            files=[ContentFile(PDF, name="脱膜批次记录.pdf")],
        )
        services.message_post(
            actor=talent, subject=invitation, body="收到,我周四上午到车间,先看前处理清洗线。"
        )
    proposal = Proposal.objects.select_related("demand__organisation", "talent", "organisation").first()
    people = _party_users(proposal) if proposal is not None else []
    if proposal is not None and len(people) == 2:
        services.message_post(actor=people[0], subject=proposal, body="报价里是否包含两次复测的检测费?")
        services.message_post(
            actor=people[1], subject=proposal, body="包含。复测在我们实验室做,三个工作日出报告。"
        )
    meeting = Meeting.objects.select_related("requester__talent", "recipient__talent").order_by("pk").first()
    people = _party_users(meeting) if meeting is not None else []
    if meeting is not None and len(people) == 2:
        services.message_post(
            actor=people[0], subject=meeting, body="洽谈时我们带样品过来,大约需要一张桌子。"
        )
    context.notes.append(
        "对话:康波的共享人才官与专家在共享邀请上的对话(含 PDF 附件)见「我的对话」/conversations/。"
    )
