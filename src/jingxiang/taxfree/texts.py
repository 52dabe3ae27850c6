"""What 离境退税 tells people: job titles and results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

RECOVERY_TITLE = message("taxfree.recovery_title", gettext_lazy("追回逾期即买即退预付金(截至 %(d)s)"))
RECOVERY_CHECKING = message("taxfree.recovery_checking", gettext_lazy("正在核对逾期申请单"))
RECOVERY_DONE = message("taxfree.recovery_done", gettext_lazy("已追回 %(n)s 张申请单的预付金。"))
