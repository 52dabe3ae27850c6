"""What people find of the marketplace in the global search: services by title, category or the
provider's name, in Chinese or pinyin."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from jingxiang.core.search import SearchKind, register_search_kind
from jingxiang.services.models import Service


def register_search() -> None:
    register_search_kind(
        SearchKind(
            key="services.service",
            label=pgettext_lazy("搜索结果分组", "专业服务"),
            model=Service,
            visible=lambda user: Service.objects.visible_to(user),
            url=lambda service: reverse("services:service_detail", args=[service.pk]),
            title=lambda service: service.title,
            detail=lambda service: f"{service.provider.name} · {service.get_category_display()}",
            fields=("title",),
            key_fields=("search_text", "provider__search_text"),
            select_related=("provider",),
            order=70,
        )
    )
