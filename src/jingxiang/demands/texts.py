"""What the demand board tells people: notifications and the matching jobs' texts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

SCREENING_NEEDED = message("demands.screening_needed", gettext_lazy("新需求待审核:%(title)s"))
SCREENING_NEEDED_DUPLICATE = message(
    "demands.screening_needed_duplicate",
    gettext_lazy("新需求待审核:%(title)s"),
    gettext_lazy("疑似与 %(other)s 重复,请核对。"),
)
PUBLISHED = message(
    "demands.published",
    gettext_lazy("需求已发布:%(title)s"),
    gettext_lazy("平台已为您推荐匹配的专家和机构,可在需求页面邀请对接。"),
)
RETURNED = message("demands.returned", gettext_lazy("需求被退回修改:%(title)s"), "%(reason)s")
MERGED = message(
    "demands.merged",
    gettext_lazy("需求已合并:%(title)s"),
    gettext_lazy("与 %(other)s 内容重复,已合并到该需求继续对接。"),
)
ARCHIVED = message("demands.archived", gettext_lazy("需求已被平台归档:%(title)s"), "%(reason)s")
INVITED = message("demands.invited", gettext_lazy("%(firm)s 邀请您对接需求:%(title)s"), "%(note)s")
INVITATION_DECLINED = message(
    "demands.invitation_declined", gettext_lazy("%(name)s 婉拒了对接邀请"), "%(reason)s"
)
PROPOSAL_SUBMITTED = message(
    "demands.proposal_submitted", gettext_lazy("%(name)s 提交了对接方案:%(title)s"), "%(summary)s"
)
PROPOSAL_ACCEPTED = message(
    "demands.proposal_accepted", gettext_lazy("您的方案已被采纳:%(title)s"), "%(reason)s"
)
PROPOSAL_DECLINED = message(
    "demands.proposal_declined", gettext_lazy("您的方案未被采纳:%(title)s"), "%(reason)s"
)
OTHER_CHOSEN = message("demands.other_chosen", gettext_lazy("企业已采纳其他方案。"))
CHALLENGE_SET = message("demands.challenge_set", gettext_lazy("您的需求已设为揭榜挂帅榜单:%(title)s"))
CHALLENGE_APPLIED = message(
    "demands.challenge_applied", gettext_lazy("新的揭榜申请:%(title)s"), "%(supplier)s"
)
REVIEWER_INVITED = message("demands.reviewer_invited", gettext_lazy("邀请您评审揭榜挂帅榜单:%(title)s"))
CHALLENGE_WON = message("demands.challenge_won", gettext_lazy("恭喜中榜:%(title)s"))

REBUILD_TITLE = message("demands.rebuild_title", gettext_lazy("重建匹配索引(%(doc)s 第 %(v)s 版)"))
RERANK_TITLE = message("demands.rerank_title", gettext_lazy("重新匹配全部开放需求"))
RERANK_PROGRESS = message("demands.rerank_progress", gettext_lazy("已重新匹配 %(n)s / %(t)s 个需求"))
RERANK_DONE = message("demands.rerank_done", gettext_lazy("已重新匹配 %(n)s 个开放需求。"))
