"""The competition's defaults as data (``rules.yaml``): tracks, stage criteria and scales, award levels."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _

from jingxiang.core.timerules import NotBefore

RULES_PATH = Path(__file__).with_name("rules.yaml")

EDITION_RULES = (
    NotBefore(
        "registration_closes",
        "registration_opens",
        label=_("报名截止"),
        other_label=_("报名开始"),
        strict=True,
    ),
)


@cache
def rules() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    for kind in ("preliminary", "semifinal", "final"):
        stage = data["stages"][kind]
        if not stage["criteria"] or stage["scale"]["max"] <= stage["scale"]["min"]:
            raise ValueError(f"{RULES_PATH.name}: stage {kind} needs criteria and a scale")
    if not data["awards"] or data["awards"][-1]["count"] is not None:
        raise ValueError(f"{RULES_PATH.name}: the last award level takes the rest (count: null)")
    return data
