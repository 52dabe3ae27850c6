"""What 权益链 tells people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

RENEWAL_DUE = message(
    "wagenorms.renewal_due", gettext_lazy("能级工资协议 %(number)s 将于 %(date)s 到期,请启动续签协商")
)
REPORT_TITLE = message("wagenorms.report_title", gettext_lazy("工资报表核查:%(firm)s · %(file)s"))
REPORT_READING = message("wagenorms.report_reading", gettext_lazy("正在读取并逐行校验工资表"))
REPORT_REFUSED = message("wagenorms.report_refused", gettext_lazy("文件有 %(n)s 处错误,未导入任何数据。"))
REPORT_DONE = message("wagenorms.report_done", gettext_lazy("已核查 %(rows)s 行,其中 %(failed)s 行不达标。"))
REPORT_SAVING = message("wagenorms.report_saving", gettext_lazy("已核查 %(i)s / %(n)s 行"))
