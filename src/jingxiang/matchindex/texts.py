"""Messages of the matching index (its rebuild job's progress and outcome), rendered in the reader's
language when shown (``core.texts``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from jingxiang.core.texts import message

KNOWLEDGE_LOADING = message("matchindex.knowledge_loading", gettext_lazy("正在加载知识表"))
SUPPLIERS_READ = message("matchindex.suppliers_read", gettext_lazy("已读取 %(n)s 个供给方"))
INDEX_BUILT = message("matchindex.index_built", gettext_lazy("索引已建立,正在载入反馈和开放需求"))
KNOWLEDGE_UNLOADABLE = message("matchindex.knowledge_unloadable", gettext_lazy("知识表无法加载,未生效。"))
INDEX_REBUILT = message(
    "matchindex.index_rebuilt", gettext_lazy("匹配索引已重建(%(n)s 个供给方),新版本已生效。")
)
