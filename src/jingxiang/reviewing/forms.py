"""Forms of the review block: a score sheet (one number per criterion, big on a phone) and the manager's
reviewer form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingxiang.core.forms import PlainTextAreaField, StyledFormMixin
from jingxiang.reviewing.models import Assignment


class ScoreSheetForm(StyledFormMixin, forms.Form):
    """One field per criterion (``criterion_<pk>``); the service checks scale, step and the window again."""

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        self.assignment = assignment
        round = assignment.round
        self.criteria = list(round.criteria.all())
        super().__init__(*args, **kwargs)
        existing = {score.criterion_id: score.value for score in assignment.scores.all()}
        step = round.scale_step or Decimal("0.01")
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}(×{criterion.weight.normalize():f})",
                min_value=round.scale_min,
                max_value=round.scale_max,
                max_digits=7,
                decimal_places=2,
                initial=existing.get(criterion.pk),
                help_text=criterion.guidance
                or _("%(lo)s–%(hi)s 分")
                % {
                    "lo": format(round.scale_min.normalize(), "f"),
                    "hi": format(round.scale_max.normalize(), "f"),
                },
                widget=forms.NumberInput(
                    attrs={
                        "inputmode": "decimal",
                        "step": format(step.normalize(), "f"),
                        "min": format(round.scale_min.normalize(), "f"),
                        "max": format(round.scale_max.normalize(), "f"),
                        "class": "input input-score",
                        "data-testid": f"score-{criterion.code}",
                    }
                ),
                error_messages={
                    "max_value": _("不能高于 %(limit_value)s 分。"),
                    "min_value": _("不能低于 %(limit_value)s 分。"),
                    "required": _("请打分。"),
                    "invalid": _("请输入数字。"),
                },
            )
        self.fields["comment"] = PlainTextAreaField(
            label=_("评语"), required=False, max_length=2000, initial=assignment.comment
        )
        self.fields["comment"].widget.attrs.setdefault("class", "input")

    def values(self) -> dict[int, Any]:
        return {
            criterion.pk: self.cleaned_data.get(f"criterion_{criterion.pk}") for criterion in self.criteria
        }
