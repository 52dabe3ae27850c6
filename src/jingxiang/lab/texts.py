"""What the testing centre tells people: notifications and the batch-entry job's texts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

REQUEST_RECEIVED = message(
    "lab.request_received",
    gettext_lazy("新的检测委托:%(n)s"),
    gettext_lazy("%(firm)s 委托检测 %(product)s,样品 %(q)s 件。"),
)
SAMPLE_ASSIGNED = message("lab.sample_assigned", gettext_lazy("新的检测任务:%(c)s"))
RESULTS_RETURNED = message("lab.results_returned", gettext_lazy("检测结果被退回:%(c)s"), "%(note)s")
REPORT_ISSUED = message("lab.report_issued", gettext_lazy("检测报告已签发:%(n)s(%(o)s)"))
BRAND_APPROVED = message("lab.brand_approved", gettext_lazy("区域品牌“杜桥眼镜”授权已批准:%(l)s"), "%(note)s")
BRAND_REJECTED = message("lab.brand_rejected", gettext_lazy("区域品牌申请未通过:%(l)s"), "%(note)s")
BRAND_SUSPENDED = message(
    "lab.brand_suspended",
    gettext_lazy("区域品牌授权 %(n)s 已自动暂停"),
    gettext_lazy("检测报告 %(report)s 结论为不合格(%(items)s)。"),
)

BATCH_TITLE = message("lab.batch_title", gettext_lazy("批量录入检测结果:%(f)s"))
BATCH_SAMPLES_SAVED = message("lab.batch_samples_saved", gettext_lazy("已保存 %(n)s 个样品"))
BATCH_REFUSED = message(
    "lab.batch_refused", gettext_lazy("文件中有 %(n)s 处错误,未保存任何结果。请修改后重新上传。")
)
BATCH_DONE = message("lab.batch_done", gettext_lazy("已录入 %(n)s 个样品的结果。"))
