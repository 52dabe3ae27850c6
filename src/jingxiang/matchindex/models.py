"""Change counters of the index's sources: the cheap freshness check every rank call makes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceVersion(models.Model):
    """One counter per source of the index (suppliers, demands, feedback, knowledge), bumped after every
    committed write to it.

    A rank call reads these few rows by primary key and compares them with what its process last caught up
    with; only a changed counter leads to reading the source itself. Technical state, not a business record:
    it is not audited.
    """

    name = models.CharField(_("来源"), max_length=20, primary_key=True)
    value = models.BigIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("匹配索引来源版本")
        verbose_name_plural = _("匹配索引来源版本")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
