"""What the talent fund tells people (notifications) and the catalogue's labels for the translator."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, gettext_noop

from jingxiang.core.texts import message

DECIDED = message("fund.decided", gettext_lazy("基金申请 %(number)s 评审结果:%(outcome)s"))
AWARDED = message("fund.awarded", gettext_lazy("资助协议 %(number)s 已签订,金额 %(amount)s 元"))
RELEASED = message("fund.released", gettext_lazy("第 %(seq)s 期资金 %(amount)s 元已拨付"))

#: The attachment kinds' labels in catalogue.yaml (marked here so the catalogue carries them).
ATTACHMENT_LABELS = (
    gettext_noop("商业计划书"),
    gettext_noop("知识产权证明"),
    gettext_noop("财务报表"),
    gettext_noop("人才认定证明"),
    gettext_noop("里程碑佐证"),
)
