"""What people find of the sharing app in the global search: sharing agreements, by number, the
talent's name or the host firm's name (both with pinyin)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from jingxiang.core.search import SearchKind, register_search_kind
from jingxiang.sharing.models import Agreement


def register_search() -> None:
    register_search_kind(
        SearchKind(
            key="sharing.agreement",
            label=pgettext_lazy("搜索结果分组", "共享协议"),
            model=Agreement,
            visible=lambda user: Agreement.objects.visible_to(user),
            url=lambda agreement: reverse("sharing:agreement_detail", args=[agreement.pk]),
            title=lambda agreement: f"{agreement.number} v{agreement.version}",
            detail=lambda agreement: (
                f"{agreement.talent.name} → {agreement.host.name} · {agreement.get_status_display()}"
            ),
            fields=("number",),
            key_fields=("talent__search_text", "host__search_text"),
            select_related=("talent", "host"),
            order=60,
        )
    )
