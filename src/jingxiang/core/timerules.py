"""Time is a rule: what cannot happen in the past, or before something else, is refused where it is entered.

A rule is data — ``NotInPast("starts_at")``, ``NotBefore("ends_at", "starts_at")`` — stated once per
record kind (usually in the app's ``rules.py``) and checked in two places with the same code:

* the form (``TimeRulesFormMixin``), so the user sees a date in the past next to every other error of
  the form at once;
* the service (``enforce_time_rules``), so nothing — an API call, an import, a stale form — gets past it.

Operators may back-date a record when reality requires it (entering a meeting that was held on paper):
they give a reason, the rule is waived for that record and the waiver is stored as a
``TimeRuleOverride`` (who, when, which rule, what value, why). Rules that are impossible rather than
late (an end before its start, a check-in before the session) cannot be waived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Moment = dt.date | dt.datetime

#: The name of the form field (and service keyword) that carries an operator's back-dating reason.
REASON_FIELD = "backdate_reason"


@dataclass(frozen=True)
class NotInPast:
    """``field`` may not lie before now (datetimes, with ``grace`` for the time it takes to fill a form)
    or before today (dates)."""

    field: str
    label: str | Promise = ""
    grace: dt.timedelta = dt.timedelta(minutes=5)
    overridable: bool = True

    @property
    def code(self) -> str:
        return f"not_in_past:{self.field}"

    def violation(self, values: Mapping[str, Any], now: dt.datetime) -> str | None:
        value = values.get(self.field)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            late = value < now - self.grace
        else:
            late = value < timezone.localtime(now).date()
        if not late:
            return None
        return gettext("%(what)s不能早于现在。") % {"what": self.label or gettext("时间")}


@dataclass(frozen=True)
class NotInFuture:
    """``field`` may not lie after now (a result, an hour worked: nothing is reported before it happened)."""

    field: str
    label: str | Promise = ""
    grace: dt.timedelta = dt.timedelta(minutes=5)
    overridable: bool = False

    @property
    def code(self) -> str:
        return f"not_in_future:{self.field}"

    def violation(self, values: Mapping[str, Any], now: dt.datetime) -> str | None:
        value = values.get(self.field)
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            early = value > now + self.grace
        else:
            early = value > timezone.localtime(now).date()
        if not early:
            return None
        return gettext("%(what)s不能晚于现在。") % {"what": self.label or gettext("时间")}


@dataclass(frozen=True)
class NotBefore:
    """``field`` may not lie before ``other`` (``strict``: nor at the same moment)."""

    field: str
    other: str
    label: str | Promise = ""
    other_label: str | Promise = ""
    strict: bool = False
    overridable: bool = False

    @property
    def code(self) -> str:
        return f"not_before:{self.field}:{self.other}"

    def violation(self, values: Mapping[str, Any], now: dt.datetime) -> str | None:
        value, other = values.get(self.field), values.get(self.other)
        if value in (None, "") or other in (None, ""):
            return None
        value, other = _comparable(value, other)
        if value > other or (value == other and not self.strict):
            return None
        template = (
            gettext("%(what)s必须晚于%(other)s。") if self.strict else gettext("%(what)s不能早于%(other)s。")
        )
        return template % {
            "what": self.label or gettext("时间"),
            "other": self.other_label or gettext("开始时间"),
        }


TimeRule = NotInPast | NotInFuture | NotBefore


def _comparable(a: Moment, b: Moment) -> tuple[Any, Any]:
    """Compare a date with a datetime by the datetime's local date (a session day vs its start time)."""
    if isinstance(a, dt.datetime) and not isinstance(b, dt.datetime):
        return timezone.localtime(a).date() if timezone.is_aware(a) else a.date(), b
    if isinstance(b, dt.datetime) and not isinstance(a, dt.datetime):
        return a, timezone.localtime(b).date() if timezone.is_aware(b) else b.date()
    return a, b


def time_rule_violations(
    rules: Iterable[TimeRule], values: Mapping[str, Any], *, now: dt.datetime | None = None
) -> list[tuple[TimeRule, str]]:
    """Every rule that ``values`` break, with its message (values missing from ``values`` are skipped)."""
    moment = now or timezone.now()
    found = []
    for rule in rules:
        message = rule.violation(values, moment)
        if message:
            found.append((rule, message))
    return found


def may_override(actor: Any) -> bool:
    """Only platform operators may waive a time rule (and must say why)."""
    from jingxiang.organisations.permissions import is_operator

    return bool(actor is not None and getattr(actor, "is_authenticated", False) and is_operator(actor))


@dataclass
class TimeRuleCheck:
    """The outcome of ``enforce_time_rules``: the waived rules, to be recorded once the record exists."""

    actor: Any = None
    reason: str = ""
    waived: list[tuple[TimeRule, Any]] = field(default_factory=list)

    def record(self, subject: Any = None) -> None:
        """Store each waiver (call inside the service's transaction, after saving ``subject``)."""
        from django.contrib.contenttypes.models import ContentType

        from jingxiang.core.models import TimeRuleOverride

        for rule, value in self.waived:
            TimeRuleOverride.objects.create(
                actor=self.actor,
                rule=rule.code,
                field_name=rule.field,
                value=str(value)[:40],
                reason=self.reason,
                content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
                object_id=str(subject.pk) if subject is not None else "",
            )


def enforce_time_rules(
    rules: Sequence[TimeRule],
    values: Mapping[str, Any],
    *,
    actor: Any,
    reason: str = "",
    now: dt.datetime | None = None,
) -> TimeRuleCheck:
    """Refuse ``values`` that break a rule, all messages at once, keyed by field.

    An operator who gives ``reason`` waives the rules that may be waived; the returned check records
    the waivers (``.record(subject)``). Anyone else, or a rule that cannot be waived, is refused.
    """
    violations = time_rule_violations(rules, values, now=now)
    if not violations:
        return TimeRuleCheck()
    reason = (reason or "").strip()
    operator = may_override(actor)
    errors: dict[str, list[ValidationError]] = {}
    waived = []
    for rule, message in violations:
        if rule.overridable and operator and reason:
            waived.append((rule, values.get(rule.field)))
            continue
        if rule.overridable and operator:
            hint = gettext("如确需补录,请填写补录原因。")
            message = f"{message} {hint}"
        code = {NotInPast: "in_past", NotInFuture: "in_future"}.get(type(rule), "order")
        errors.setdefault(rule.field, []).append(ValidationError(message, code=code))
    if errors:
        raise ValidationError(errors)
    return TimeRuleCheck(actor=actor, reason=reason, waived=waived)


class TimeRulesFormMixin:
    """Check the form's ``time_rules`` in ``clean()``, next to the field errors, and offer operators a
    back-dating reason field. The service checks the same rules again with ``enforce_time_rules``.

    The form needs the acting user: pass ``actor=`` (or the form's own ``user`` attribute is used).
    """

    time_rules: Sequence[TimeRule] = ()
    #: Where a rule's value is shown when the form's field has another name (rule field → form field).
    time_rule_fields: Mapping[str, str] = {}

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.time_actor = actor if actor is not None else getattr(self, "user", None)
        if (
            self.time_rules
            and any(rule.overridable for rule in self.time_rules)
            and may_override(self.time_actor)
        ):
            from django import forms

            from jingxiang.core.forms import PlainTextField

            self.fields[REASON_FIELD] = PlainTextField(  # type: ignore[attr-defined]
                label=_("补录原因"),
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"class": "input"}),
                help_text=_("仅平台运营可补录过去的时间;原因会记入审计日志。"),
            )

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """The moments the rules compare; override to add values that are not form fields."""
        return cleaned

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        if not self.time_rules:
            return cleaned
        try:
            enforce_time_rules(
                self.time_rules,
                self.time_rule_values(cleaned),
                actor=self.time_actor,
                reason=cleaned.get(REASON_FIELD, ""),
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                name = self.time_rule_fields.get(name, name)
                target = name if name in self.fields else None  # type: ignore[attr-defined]
                for message in messages:
                    self.add_error(target, message)  # type: ignore[attr-defined]
        return cleaned
