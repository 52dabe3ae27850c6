from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet
from jingxiang.core.forms import PlainTextAreaField, PlainTextField, StyledFormMixin
from jingxiang.core.pickers import PickerField
from jingxiang.core.timerules import NotInPast, TimeRulesFormMixin
from jingxiang.events.models import (
    DEFAULT_REGISTRANT_ROLES,
    REGISTRANT_ROLE_CHOICES,
    Event,
    EventStatus,
    EventTable,
    FollowUpKind,
    Meeting,
    Participant,
    ParticipantKind,
    RequestPriority,
    RequestStatus,
    TimeSlot,
)
from jingxiang.events.rules import EVENT_RULES, SESSION_RULES, SLOT_RULES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EventForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = EVENT_RULES

    title = PlainTextField(label=_("名称"), max_length=100)
    event_date = forms.DateField(label=_("日期"), widget=DATE)
    venue = PlainTextField(label=_("地点"), max_length=200, required=False)
    description = PlainTextAreaField(label=_("简介"), max_length=2000, required=False)
    allow_firms = forms.BooleanField(label=_("企业可报名"), required=False, initial=True)
    allow_experts = forms.BooleanField(label=_("专家可报名"), required=False, initial=True)
    allow_institutions = forms.BooleanField(label=_("高校/机构可报名"), required=False, initial=True)
    max_meetings_cap = forms.IntegerField(label=_("每位参会者洽谈上限"), min_value=1, max_value=48, initial=8)
    request_cap_firm = forms.IntegerField(
        label=_("企业可发起的预约数上限"), min_value=0, max_value=200, initial=10
    )
    request_cap_expert = forms.IntegerField(
        label=_("专家可发起的预约数上限"), min_value=0, max_value=200, initial=10
    )
    request_cap_institution = forms.IntegerField(
        label=_("机构可发起的预约数上限"), min_value=0, max_value=200, initial=10
    )
    requests_expire_at = forms.DateTimeField(
        label=_("未答复预约失效时间"), widget=DATETIME, help_text=_("过了这个时间仍未答复的预约自动失效")
    )
    firm_roles = forms.MultipleChoiceField(
        label=_("可代表企业报名的成员角色"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_REGISTRANT_ROLES["firm"],
    )
    institution_roles = forms.MultipleChoiceField(
        label=_("可代表高校/机构报名的成员角色"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_REGISTRANT_ROLES["institution"],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from jingxiang.organisations.models import Role

        choices = [(role, Role(role).label) for role in REGISTRANT_ROLE_CHOICES]
        for name, kind in (("firm_roles", "firm"), ("institution_roles", "institution")):
            self.fields[name].choices = choices
            rules = (self.initial.get("registrant_roles") or {}) if self.initial else {}
            if kind in rules:
                self.initial[name] = list(rules[kind])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not any(cleaned.get(k) for k in ("allow_firms", "allow_experts", "allow_institutions")):
            self.add_error("allow_firms", _("至少允许一类参会者报名。"))
        if cleaned.get("allow_firms") and not cleaned.get("firm_roles"):
            self.add_error("firm_roles", _("企业可报名时,请至少选择一种可代表企业报名的角色。"))
        if cleaned.get("allow_institutions") and not cleaned.get("institution_roles"):
            self.add_error("institution_roles", _("高校/机构可报名时,请至少选择一种可代表机构报名的角色。"))
        cleaned["registrant_roles"] = {
            "firm": list(cleaned.pop("firm_roles", []) or []),
            "institution": list(cleaned.pop("institution_roles", []) or []),
        }
        return cleaned


class SessionForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = SESSION_RULES
    # The rules speak of the session's moments; the form's fields are the times of day.
    time_rule_fields = {"starts_at": "starts", "ends_at": "ends"}

    name = PlainTextField(label=_("场次名称"), max_length=50, help_text=_("如:上午场"))
    starts = forms.TimeField(label=_("开始时间"), widget=TIME)
    ends = forms.TimeField(label=_("结束时间"), widget=TIME)
    slot_minutes = forms.IntegerField(label=_("每个时段(分钟)"), min_value=5, max_value=240, initial=20)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def moment(self, value: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.event.event_date, value))

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        moments = {"starts_at": cleaned.get("starts"), "ends_at": cleaned.get("ends")}
        return {key: self.moment(value) if value else None for key, value in moments.items()}


class TablesForm(StyledFormMixin, forms.Form):
    count = forms.IntegerField(label=_("增加桌数"), min_value=1, max_value=200, initial=10)
    capacity = forms.IntegerField(label=_("每桌座位"), min_value=2, max_value=20, initial=2)
    prefix = PlainTextField(label=_("桌号前缀"), max_length=20, required=False, help_text=_("默认为“洽谈桌”"))


class PhotoField(forms.FileField):
    """A photo upload checked by its first bytes and decoded once (events.photos), on the form already."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("照片"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("JPEG、PNG 或 WebP,不超过 5 MB;会缩小后保存"))
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        from jingxiang.events.photos import clean_photo

        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read") and upload is not initial:
            clean_photo(upload)
            upload.seek(0)
        return upload


class ProfileFieldsMixin(forms.Form):
    offers = PlainTextAreaField(
        label=_("可提供"), max_length=1000, required=False, help_text=_("产品、工艺、检测、技术服务等")
    )
    seeks = PlainTextAreaField(
        label=_("寻求"), max_length=1000, required=False, help_text=_("想找的合作伙伴、技术或服务")
    )
    photo = PhotoField()


class SlotChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: TimeSlot) -> str:
        return f"{obj.session.name} {obj}"


class RegistrationForm(StyledFormMixin, ProfileFieldsMixin, forms.Form):
    profile = forms.ChoiceField(label=_("以谁的身份报名"))
    contact_name = PlainTextField(label=_("到场人姓名"), max_length=50, required=False)
    needs = PlainTextAreaField(
        label=_("洽谈需求/可提供的服务"),
        max_length=1000,
        required=False,
        help_text=_("写清楚想解决的问题或能提供的服务,系统据此推荐洽谈对象"),
    )
    demand = forms.ChoiceField(label=_("关联已发布的需求"), required=False)
    slots = SlotChoiceField(
        label=_("在场时段"), queryset=TimeSlot.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    max_meetings = forms.IntegerField(label=_("最多洽谈场数"), min_value=1)

    def __init__(
        self,
        *args: Any,
        event: Event,
        profiles: list[tuple[str, Any]],
        demands: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.profiles = {f"{kind}:{p.pk}": (kind, p) for kind, p in profiles}
        self.fields["profile"].choices = [
            (key, f"{ParticipantKind(kind).label} · {p.name}") for key, (kind, p) in self.profiles.items()
        ]
        self.demands = {str(d.pk): d for d in demands or []}
        if self.demands:
            self.fields["demand"].choices = [("", "—")] + [(k, str(d)) for k, d in self.demands.items()]
        else:
            del self.fields["demand"]
        self.fields["slots"].queryset = event.slots.select_related("session")
        self.fields["max_meetings"].help_text = _("本场上限 %(n)s 场") % {"n": event.max_meetings_cap}
        self.fields["max_meetings"].widget.attrs["max"] = event.max_meetings_cap

    def clean_profile(self) -> tuple[str, Any]:
        return self.profiles[self.cleaned_data["profile"]]

    def clean_demand(self) -> Any:
        return self.demands.get(self.cleaned_data.get("demand") or "")


class OperatorRegistrationForm(StyledFormMixin, ProfileFieldsMixin, forms.Form):
    """An operator registers an organisation or an expert on their behalf."""

    kind = forms.ChoiceField(label=_("类别"), choices=ParticipantKind.choices, widget=forms.RadioSelect)
    organisation = PickerField(
        label=_("机构"),
        source="events.organisations",
        required=False,
        help_text=_("企业或高校/机构报名时选择"),
    )
    talent = PickerField(
        label=_("专家"), source="events.talents", required=False, help_text=_("专家报名时选择")
    )
    contact_name = PlainTextField(label=_("到场人姓名"), max_length=50, required=False)
    needs = PlainTextAreaField(label=_("洽谈需求/可提供的服务"), max_length=1000, required=False)
    slots = SlotChoiceField(
        label=_("在场时段"), queryset=TimeSlot.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    max_meetings = forms.IntegerField(label=_("最多洽谈场数"), min_value=1)

    field_order = ["kind", "organisation", "talent", "contact_name", "needs", "offers", "seeks", "photo"]

    def __init__(self, *args: Any, event: Event, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from jingxiang.events.search import operator_organisations, operator_talents

        self.fields["kind"].choices = [(k, label) for k, label in ParticipantKind.choices if event.allows(k)]
        self.fields["organisation"].queryset = operator_organisations(actor)  # type: ignore[attr-defined]
        self.fields["talent"].queryset = operator_talents(actor)  # type: ignore[attr-defined]
        self.fields["slots"].queryset = event.slots.select_related("session")
        self.fields["max_meetings"].help_text = _("本场上限 %(n)s 场") % {"n": event.max_meetings_cap}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ParticipantKind.EXPERT:
            if not cleaned.get("talent"):
                self.add_error("talent", _("请选择要报名的专家。"))
            cleaned["profile"] = cleaned.get("talent")
        elif kind:
            if not cleaned.get("organisation"):
                self.add_error("organisation", _("请选择要报名的机构。"))
            cleaned["profile"] = cleaned.get("organisation")
        return cleaned


class ProfileForm(StyledFormMixin, ProfileFieldsMixin, forms.Form):
    contact_name = PlainTextField(label=_("到场人姓名"), max_length=50, required=False)
    remove_photo = forms.BooleanField(label=_("删除现有照片"), required=False)

    field_order = ["contact_name", "offers", "seeks", "photo", "remove_photo"]


class PresenceForm(StyledFormMixin, forms.Form):
    needs = PlainTextAreaField(label=_("洽谈需求/可提供的服务"), max_length=1000, required=False)
    slots = SlotChoiceField(
        label=_("在场时段"), queryset=TimeSlot.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    max_meetings = forms.IntegerField(label=_("最多洽谈场数"), min_value=1)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slots"].queryset = event.slots.select_related("session")
        self.fields["max_meetings"].help_text = _("本场上限 %(n)s 场") % {"n": event.max_meetings_cap}


PICK_BOTH = {"required": _("请选择预约对象和优先级。"), "invalid": _("请选择预约对象和优先级。")}


class MeetingRequestForm(StyledFormMixin, forms.Form):
    recipient = forms.IntegerField(widget=forms.HiddenInput, error_messages=PICK_BOTH)
    priority = forms.ChoiceField(
        label=_("优先级"),
        choices=RequestPriority.choices,
        initial=RequestPriority.NICE,
        widget=forms.RadioSelect,
        error_messages=PICK_BOTH,
    )
    message = PlainTextField(label=_("留言"), max_length=300, required=False)


class RespondForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("答复"), choices=[("accept", _("接受")), ("decline", _("婉拒"))], widget=forms.RadioSelect
    )
    reason = PlainTextField(label=_("婉拒原因"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason"):
            self.add_error("reason", _("婉拒时请写明原因,对方会看到。"))
        return cleaned


class RunForm(StyledFormMixin, forms.Form):
    time_limit = forms.IntegerField(
        label=_("计算时限(秒)"), min_value=1, max_value=300, initial=20, help_text=_("时间越长,越接近最优")
    )


PICK_PLACE = {"required": _("请选择时段和洽谈桌。"), "invalid_choice": _("请选择时段和洽谈桌。")}


class PlaceForm(StyledFormMixin, forms.Form):
    slot = forms.ModelChoiceField(
        label=_("时段"), queryset=TimeSlot.objects.none(), error_messages=PICK_PLACE
    )
    table = forms.ModelChoiceField(
        label=_("洽谈桌"), queryset=EventTable.objects.none(), error_messages=PICK_PLACE
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = event.slots.all()
        self.fields["table"].queryset = event.tables.all()


class AttendanceForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("到场情况"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择到场情况。"), "invalid_choice": _("请选择到场情况。")},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["outcome"].choices = [
            ("held", _("已洽谈")),
            (f"no_show:{meeting.requester_id}", _("缺席:%(n)s") % {"n": meeting.requester.name}),
            (f"no_show:{meeting.recipient_id}", _("缺席:%(n)s") % {"n": meeting.recipient.name}),
        ]

    def no_show_party(self) -> Participant | None:
        """The side that did not come (one of the meeting's two parties), or None when it was held."""
        outcome = self.cleaned_data["outcome"]
        for party in (self.meeting.requester, self.meeting.recipient):
            if outcome == f"no_show:{party.pk}":
                return party
        return None


class FeedbackForm(StyledFormMixin, forms.Form):
    wants_cooperation = forms.ChoiceField(
        label=_("这次洽谈是否应当促成合作?"),
        choices=[("yes", _("是,希望继续合作")), ("no", _("否"))],
        widget=forms.RadioSelect,
    )
    follow_up_kind = forms.ChoiceField(
        label=_("跟进方式"), choices=[("", "—"), *FollowUpKind.choices], required=False
    )
    note = PlainTextField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            # Posted with the side the user records for (a hidden input per side on the meeting page).
            sides = Participant.objects.filter(pk__in=[meeting.requester_id, meeting.recipient_id])
            missing = {"required": _("请选择代表哪一方登记。"), "invalid_choice": _("请选择代表哪一方登记。")}
            self.fields["participant"] = forms.ModelChoiceField(
                queryset=sides, widget=forms.HiddenInput, error_messages=missing
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("wants_cooperation") == "yes" and not cleaned.get("follow_up_kind"):
            self.add_error("follow_up_kind", _("希望继续合作时,请选择跟进方式。"))
        return cleaned


class CheckInCodeForm(StyledFormMixin, forms.Form):
    """The personal code, scanned by the camera (the QR's address) or typed at the door."""

    code = PlainTextField(
        label=_("签到码"),
        max_length=300,
        error_messages={"required": _("请扫描或输入签到码。")},
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_code(self) -> Participant:
        from jingxiang.events.selectors import participant_by_code

        participant = participant_by_code(self.event, self.cleaned_data["code"])
        if participant is None:
            raise forms.ValidationError(_("没有找到该签到码对应的参会者。请核对签到码,或按姓名查找。"))
        return participant


class SameDayTimesMixin:
    """Times typed on a session's or slot's page are on that day (``moment``): ``on`` is the changed thing."""

    def __init__(self, *args: Any, on: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on = on

    def moment(self, value: dt.time) -> dt.datetime:
        day = timezone.localtime(self.on.starts_at).date()
        return timezone.make_aware(dt.datetime.combine(day, value))


class SessionEditForm(SameDayTimesMixin, TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = (NotInPast("starts_at", label=_("场次开始时间")),)
    time_rule_fields = {"starts_at": "starts"}

    name = PlainTextField(label=_("场次名称"), max_length=50)
    starts = forms.TimeField(label=_("开始时间"), widget=TIME, help_text=_("各时段随之整体平移,时长不变"))

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        starts = cleaned.get("starts")
        moved = starts is not None and self.moment(starts) != self.on.starts_at
        return {"starts_at": self.moment(starts) if moved and starts else None}


class SlotEditForm(SameDayTimesMixin, TimeRulesFormMixin, StyledFormMixin, forms.Form):
    """One time slot's start and end on its session's day (the service keeps it inside the session)."""

    time_rules = SLOT_RULES
    time_rule_fields = {"moved_to": "starts", "starts_at": "starts", "ends_at": "ends"}

    starts = forms.TimeField(label=_("开始时间"), widget=TIME)
    ends = forms.TimeField(label=_("结束时间"), widget=TIME)

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        starts_at = self.moment(starts) if starts else None
        return {
            "moved_to": starts_at if starts_at and starts_at != self.on.starts_at else None,
            "starts_at": starts_at,
            "ends_at": self.moment(ends) if ends else None,
        }


class TableEditForm(StyledFormMixin, forms.Form):
    name = PlainTextField(label=_("桌号/房间"), max_length=30)
    capacity = forms.IntegerField(label=_("座位数"), min_value=2, max_value=20)


class RemovalForm(StyledFormMixin, forms.Form):
    reason = PlainTextField(
        label=_("取消原因"),
        max_length=300,
        help_text=_("受影响的参会者会在通知中看到"),
        error_messages={"required": _("请写明调整原因,受影响的参会者会看到。")},
    )


class FollowUpLinkForm(StyledFormMixin, forms.Form):
    """Link a follow-up to the demand, sharing request or challenge it names (what the user may see)."""

    def __init__(self, *args: Any, follow_up: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from jingxiang.events.targets import target_choices

        self.fields["target"] = PickerField(
            label=follow_up.get_kind_display(),
            source=f"events.follow_up.{follow_up.kind}",
            queryset=target_choices(follow_up.kind, actor),
            error_messages={"required": _("请选择要关联的对象。"), "invalid_choice": _("没有找到该对象。")},
        )
        self.order_fields(["target"])


class CheckInForm(forms.Form):
    """The participant staff at the door check in (found by search or by their personal code)."""

    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(),
        error_messages={"required": _("没有找到该参会者。"), "invalid_choice": _("没有找到该参会者。")},
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = event.participants.all()


class EventFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=EventStatus.choices, empty_label=_("全部状态")
    )

    class Meta:
        model = Event
        fields = ["q", "status"]


class ParticipantFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=ParticipantKind.choices, empty_label=_("全部类别")
    )
    checked_in = django_filters.BooleanFilter(
        label=_("已签到"), field_name="checked_in_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Participant
        fields = ["q", "kind", "checked_in"]

    def filter_q(self, queryset, name, value):  # type: ignore[no-untyped-def]
        from django.db.models import Q

        return queryset.filter(
            Q(name__icontains=value) | Q(needs__icontains=value) | Q(contact_name__icontains=value)
        )


class MeetingFilter(FilterSet):
    box = django_filters.ChoiceFilter(
        label=_("方向"),
        choices=[("incoming", _("收到的")), ("outgoing", _("发出的"))],
        method="filter_box",
        empty_label=_("全部"),
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=RequestStatus.choices, empty_label=_("全部状态")
    )
    priority = django_filters.ChoiceFilter(
        label=_("优先级"), choices=RequestPriority.choices, empty_label=_("全部优先级")
    )
    event = django_filters.ModelChoiceFilter(
        label=_("对接会"), queryset=Event.objects.none(), empty_label=_("全部对接会")
    )

    class Meta:
        model = Meeting
        fields = ["box", "status", "priority", "event"]

    def __init__(self, *args: Any, mine: Any = None, events: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mine = mine
        if events is not None:
            self.filters["event"].queryset = events

    def filter_box(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if self.mine is None:
            return queryset
        if value == "incoming":
            return queryset.filter(recipient__in=self.mine)
        if value == "outgoing":
            return queryset.filter(requester__in=self.mine)
        return queryset
