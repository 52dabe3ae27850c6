"""What the fairs tell people: notifications and the background jobs' texts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

BOOTH_ALLOCATED = message(
    "fairs.booth_allocated", gettext_lazy("「%(fair)s」已为您分配展位 %(booth)s(%(hall)s)")
)
BOOTH_RELEASED = message(
    "fairs.booth_released", gettext_lazy("「%(fair)s」展位 %(booth)s 已释放"), "%(reason)s"
)
APPLICATION_REJECTED = message(
    "fairs.application_rejected", gettext_lazy("「%(fair)s」参展申请未通过"), "%(reason)s"
)
ALLOCATION_TITLE = message("fairs.allocation_title", gettext_lazy("按志愿分配展位:%(fair)s"))
ALLOCATION_PROGRESS = message(
    "fairs.allocation_progress", gettext_lazy("已处理 %(i)s / %(n)s 份申请,已分配 %(a)s 个展位")
)
ALLOCATION_DONE = message(
    "fairs.allocation_done", gettext_lazy("分配完成:%(a)s 份申请已分到展位,%(u)s 份待运营人员指定。")
)
BOOTH_IMPORT_TITLE = message("fairs.booth_import_title", gettext_lazy("导入展位:%(fair)s · %(file)s"))
BUYER_LINK = message(
    "fairs.buyer_link",
    gettext_lazy("「%(fair)s」采购商专属链接"),
    gettext_lazy(
        "%(name)s,您好!您的胸卡号是 %(badge)s。打开下面的专属链接即可查看参展商、在线预约洽谈和查看洽谈日程,"
        "无需登录。链接等同于您的身份,请勿转发。"
    ),
)
