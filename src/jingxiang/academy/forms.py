from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from jingxiang.academy.models import (
    CohortStatus,
    Course,
    Education,
    OccupationLevel,
    Session,
    SessionKind,
    SubsidyRule,
)
from jingxiang.academy.permissions import academy_org_ids
from jingxiang.academy.rules import COHORT_EDIT_RULES, COHORT_RULES, ORDER_RULES, QUIZ_RULES, SESSION_RULES
from jingxiang.core.forms import (
    MobileField,
    PlainTextAreaField,
    PlainTextField,
    ResidentIdField,
    StyledFormMixin,
    field_of,
)
from jingxiang.core.pickers import PickerField, PickerMultipleField
from jingxiang.core.timerules import TimeRulesFormMixin
from jingxiang.organisations.models import Organisation, OrganisationKind
from jingxiang.organisations.permissions import is_operator
from jingxiang.talents.models import Skill, Talent, TalentKind


class CourseForm(StyledFormMixin, forms.Form):
    code = forms.RegexField(
        label=_("课程编号"),
        regex=r"^[A-Za-z0-9-]{2,30}$",
        error_messages={"invalid": _("课程编号只能包含字母、数字和横线,2–30 位。")},
    )
    title = PlainTextField(label=_("课程名称"), max_length=100)
    provider = forms.ModelChoiceField(label=_("承办机构"), queryset=Organisation.objects.none())
    occupation_level = forms.ModelChoiceField(
        label=_("职业等级"),
        queryset=OccupationLevel.objects.select_related("occupation"),
        required=False,
        help_text=_("对应国家职业技能等级时选择;选择后技能与熟练程度按等级自动确定"),
    )
    skill = PickerField(
        label=_("技能"),
        source="talents.skills",
        queryset=Skill.objects.filter(is_active=True),
        required=False,
    )
    skill_level = forms.IntegerField(
        label=_("培养目标熟练程度(1–5)"), min_value=1, max_value=5, initial=2, required=False
    )
    theory_hours = forms.IntegerField(label=_("理论学时"), min_value=0, max_value=2000, initial=16)
    practice_hours = forms.IntegerField(label=_("实操学时"), min_value=0, max_value=2000, initial=16)
    prerequisites = PickerMultipleField(
        label=_("先修课程"), source="academy.courses", queryset=Course.objects.active(), required=False
    )
    trainers = PickerMultipleField(
        label=_("授课师资"),
        source="academy.trainers",
        queryset=Talent.objects.active().filter(kind__in=[TalentKind.CRAFTSMAN, TalentKind.EXPERT]),
        required=False,
        help_text=_("从人才库中选择工匠或专家"),
    )
    fee = forms.DecimalField(
        label=_("培训费(元/人)"), min_value=Decimal("0"), max_digits=10, decimal_places=2
    )
    subsidy_rule = forms.ModelChoiceField(
        label=_("适用补贴"), queryset=SubsidyRule.objects.all(), required=False
    )
    needs_approval = forms.BooleanField(label=_("报名需学院审核"), required=False)
    min_attendance = forms.DecimalField(
        label=_("考核所需出勤率(%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=Decimal("80"),
        decimal_places=1,
    )
    description = PlainTextAreaField(label=_("课程简介"), max_length=2000, required=False)

    def __init__(self, *args: Any, user: Any, instance: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        providers = Organisation.objects.approved().filter(kind=OrganisationKind.UNIVERSITY)
        if not is_operator(user):
            providers = providers.filter(pk__in=academy_org_ids(user))
        field_of(self, "provider", forms.ModelChoiceField).queryset = providers
        if instance is not None:
            field_of(
                self, "prerequisites", forms.ModelChoiceField
            ).queryset = Course.objects.active().exclude(pk=instance.pk)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].upper()
        clash = Course.objects.filter(code=code)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("课程编号已被使用。"), code="duplicate_code")
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("occupation_level") and not cleaned.get("skill") and "skill" not in self.errors:
            self.add_error("skill", _("不对应职业等级时,必须选择技能。"))
        if not cleaned.get("occupation_level") and not cleaned.get("skill_level"):
            cleaned["skill_level"] = 2
        if cleaned.get("min_attendance") is not None:
            cleaned["min_attendance"] = (cleaned["min_attendance"] / Decimal(100)).quantize(Decimal("0.01"))
        if cleaned.get("theory_hours", 0) == 0 and cleaned.get("practice_hours", 0) == 0:
            self.add_error("practice_hours", _("课程总学时必须大于 0。"))
        return cleaned


class CohortForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    """Opening (``editing=False``: not in the past) or changing a cohort (its dates in order)."""

    name = PlainTextField(label=_("班级名称"), max_length=100)
    venue = PlainTextField(label=_("上课地点"), max_length=200)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=500)
    starts_on = forms.DateField(label=_("开班日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结业日期"), widget=forms.DateInput(attrs={"type": "date"}))
    lead_trainer = forms.ModelChoiceField(label=_("主讲师资"), queryset=Talent.objects.none(), required=False)

    def __init__(self, *args: Any, course: Course, editing: bool = False, **kwargs: Any) -> None:
        self.time_rules = COHORT_EDIT_RULES if editing else COHORT_RULES
        super().__init__(*args, **kwargs)
        field_of(self, "lead_trainer", forms.ModelChoiceField).queryset = course.trainers.all()


class SessionForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = SESSION_RULES

    topic = PlainTextField(label=_("内容"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=SessionKind.choices)
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class FirmEnrolForm(StyledFormMixin, forms.Form):
    """A firm enrols its own workers (picked from its talent records)."""

    firm = forms.ModelChoiceField(label=_("报名企业"), queryset=Organisation.objects.none())
    talents = PickerMultipleField(
        label=_("选择本企业员工"), source="academy.firm_workers", queryset=Talent.objects.none()
    )
    years_experience = forms.DecimalField(
        label=_("从业年限(年)"),
        min_value=Decimal("0"),
        max_value=Decimal("60"),
        decimal_places=1,
        initial=1,
        help_text=_("用于核对等级申报条件"),
    )

    def __init__(self, *args: Any, firm_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "firm", forms.ModelChoiceField).queryset = Organisation.objects.filter(pk__in=firm_ids)
        if len(firm_ids) == 1:
            self.fields["firm"].initial = next(iter(firm_ids))
        field_of(self, "talents", forms.ModelChoiceField).queryset = Talent.objects.active().filter(
            home_organisation_id__in=firm_ids
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        firm = cleaned.get("firm")
        for talent in cleaned.get("talents") or []:
            if firm is not None and talent.home_organisation_id != firm.pk:
                self.add_error(
                    "talents", _("企业只能为本企业员工报名:%(name)s 不是本企业员工。") % {"name": talent.name}
                )
                break
        return cleaned


class WorkerAddForm(StyledFormMixin, forms.Form):
    """A firm adds a worker who has no profile yet and enrols them."""

    firm = forms.ModelChoiceField(label=_("报名企业"), queryset=Organisation.objects.none())
    name = PlainTextField(label=_("员工姓名"), max_length=50)
    mobile = MobileField(label=_("手机号"), required=False)
    resident_id = ResidentIdField(label=_("身份证号"), required=False)
    years_experience = forms.DecimalField(
        label=_("从业年限(年)"), min_value=Decimal("0"), max_value=Decimal("60"), decimal_places=1, initial=1
    )

    def __init__(self, *args: Any, firm_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "firm", forms.ModelChoiceField).queryset = Organisation.objects.filter(pk__in=firm_ids)
        if len(firm_ids) == 1:
            self.fields["firm"].initial = next(iter(firm_ids))

    def clean_resident_id(self) -> str:
        value = self.cleaned_data.get("resident_id") or ""
        if value and Talent.objects.filter(resident_id=value).exists():
            raise forms.ValidationError(_("该身份证号已有人才档案,请从员工列表中选择。"), code="duplicate")
        return value


class AcademyEnrolForm(StyledFormMixin, forms.Form):
    """The academy enrols anyone from the talent pool (e.g. students of an order cohort)."""

    talents = PickerMultipleField(
        label=_("学员"), source="academy.talent_pool", queryset=Talent.objects.active()
    )
    years_experience = forms.DecimalField(
        label=_("从业年限(年)"), min_value=Decimal("0"), max_value=Decimal("60"), decimal_places=1, initial=0
    )
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—"), *Education.choices], required=False)


class SelfEnrolForm(StyledFormMixin, forms.Form):
    years_experience = forms.DecimalField(
        label=_("本职业从业年限(年)"),
        min_value=Decimal("0"),
        max_value=Decimal("60"),
        decimal_places=1,
        initial=0,
    )
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—"), *Education.choices], required=False)


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[
            ("approve", pgettext_lazy("审核结论", "通过")),
            ("reject", pgettext_lazy("审核结论", "不通过")),
        ],
        widget=forms.RadioSelect,
    )
    note = PlainTextField(label=_("审核意见"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not cleaned.get("note"):
            self.add_error("note", _("不通过时必须写明原因。"))
        return cleaned


class AssessmentForm(StyledFormMixin, forms.Form):
    theory_score = forms.DecimalField(
        label=_("理论成绩"), min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=1
    )
    practical_score = forms.DecimalField(
        label=_("实操成绩"), min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=1
    )


class RevokeForm(StyledFormMixin, forms.Form):
    reason = PlainTextField(label=_("撤销原因"), max_length=300)


class CertificateCheckForm(StyledFormMixin, forms.Form):
    number = forms.RegexField(
        label=_("证书编号"),
        regex=r"^\s*[A-Za-z]{2}-[A-Za-z]{2}-\d{4}-\d{6}\s*$",
        error_messages={"invalid": _("证书编号格式应为 JX-GJ-2026-000123。")},
    )
    name = PlainTextField(label=_("持证人姓名"), max_length=50)


class OrderForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = ORDER_RULES

    firm = forms.ModelChoiceField(label=_("下单企业"), queryset=Organisation.objects.none())
    title = PlainTextField(label=_("订单名称"), max_length=100)
    headcount = forms.IntegerField(label=_("培养人数"), min_value=1, max_value=500)
    skills = PickerMultipleField(
        label=_("所需技能"), source="talents.skills", queryset=Skill.objects.filter(is_active=True)
    )
    due_on = forms.DateField(label=_("期望完成日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hires_committed = forms.IntegerField(label=_("本企业承诺录用人数"), min_value=1, max_value=500)
    requirements = PlainTextAreaField(label=_("培养要求"), max_length=2000, required=False)

    def __init__(self, *args: Any, firm_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "firm", forms.ModelChoiceField).queryset = Organisation.objects.filter(pk__in=firm_ids)
        if len(firm_ids) == 1:
            self.fields["firm"].initial = next(iter(firm_ids))

    def time_rule_values(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {**cleaned, "today": timezone.localdate()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("hires_committed")
            and cleaned.get("headcount")
            and cleaned["hires_committed"] > cleaned["headcount"]
        ):
            self.add_error("hires_committed", _("承诺录用人数不能超过培养人数。"))
        return cleaned


class CohortStatusForm(forms.Form):
    """The status a cohort's button moves it to."""

    status = forms.ChoiceField(
        choices=CohortStatus.choices,
        error_messages={"required": _("未知的班级状态。"), "invalid_choice": _("未知的班级状态。")},
    )


class OrderJoinForm(StyledFormMixin, forms.Form):
    firm = forms.ModelChoiceField(label=_("加入企业"), queryset=Organisation.objects.none())
    hires_committed = forms.IntegerField(label=_("承诺录用人数"), min_value=1, max_value=500)

    def __init__(self, *args: Any, firm_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "firm", forms.ModelChoiceField).queryset = Organisation.objects.filter(pk__in=firm_ids)


class OrderAcceptForm(StyledFormMixin, forms.Form):
    school = forms.ModelChoiceField(label=_("承接学校"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = Organisation.objects.approved().filter(kind=OrganisationKind.UNIVERSITY)
        if not is_operator(user):
            schools = schools.filter(pk__in=academy_org_ids(user))
        field_of(self, "school", forms.ModelChoiceField).queryset = schools


class FirmChoiceForm(StyledFormMixin, forms.Form):
    firm = forms.ModelChoiceField(label=_("企业"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, firms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "firm", forms.ModelChoiceField).queryset = firms


class HireForm(FirmChoiceForm):
    hired_on = forms.DateField(label=_("入职日期"), widget=forms.DateInput(attrs={"type": "date"}))


class RetentionForm(StyledFormMixin, forms.Form):
    months = forms.TypedChoiceField(
        label=_("跟踪节点"), choices=[(6, _("入职 6 个月")), (12, _("入职 12 个月"))], coerce=int
    )
    employed = forms.TypedChoiceField(
        label=_("是否在岗"),
        choices=[("yes", _("在岗")), ("no", _("已离职"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class FeedbackForm(StyledFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评分"), choices=[(n, f"{n} ★") for n in range(5, 0, -1)], coerce=int
    )
    comment = PlainTextAreaField(label=_("意见与建议"), max_length=1000, required=False)


class LevelForm(StyledFormMixin, forms.Form):
    theory_pass = forms.DecimalField(
        label=_("理论合格线"), min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=1
    )
    practical_pass = forms.DecimalField(
        label=_("实操合格线"), min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=1
    )
    eligibility = forms.CharField(
        label=_("申报条件(JSON)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_('可选路径列表,例如 [{"min_years": 1}, {"previous_level": true, "min_years": 4}]'),
    )

    _KEYS = {"min_years", "previous_level", "min_training_hours"}

    def clean_eligibility(self) -> list[dict[str, Any]]:
        try:
            paths = json.loads(self.cleaned_data["eligibility"])
        except ValueError as error:
            raise forms.ValidationError(_("不是有效的 JSON。")) from error
        if not isinstance(paths, list) or not all(isinstance(p, dict) for p in paths):
            raise forms.ValidationError(_("必须是由条件对象组成的列表。"))
        for path in paths:
            unknown = set(path) - self._KEYS
            if unknown:
                raise forms.ValidationError(
                    _("未知条件:%(keys)s。可用条件:min_years、previous_level、min_training_hours。")
                    % {"keys": pgettext("列表分隔符", "、").join(sorted(unknown))}
                )
            for key in ("min_years", "min_training_hours"):
                if key in path and (not isinstance(path[key], int | float) or path[key] < 0):
                    raise forms.ValidationError(_("%(key)s 必须是非负数字。") % {"key": key})
        return paths


# Course materials, question bank, quizzes and card check-in (issue 21) ---------------------------


class MaterialForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[])
    title = PlainTextField(label=_("标题"), max_length=100)
    file = forms.FileField(
        label=_("文件"),
        required=False,
        help_text=_("PDF、Word、Excel、PowerPoint、图片或 MP4 视频,最大 20 MB(按文件内容识别格式)"),
    )
    url = forms.URLField(
        label=_("链接地址"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("类型为链接或视频链接时填写,如课程视频的网址"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from jingxiang.academy.models import MaterialKind

        super().__init__(*args, **kwargs)
        field_of(self, "kind", forms.ChoiceField).choices = MaterialKind.choices

    def clean(self) -> dict[str, Any]:
        from jingxiang.academy.models import MaterialKind

        data = super().clean() or {}
        kind = data.get("kind")
        if kind == MaterialKind.FILE and not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("请选择要上传的文件。"))
        if (
            kind in (MaterialKind.LINK, MaterialKind.VIDEO)
            and not data.get("url")
            and "url" not in self.errors
        ):
            self.add_error("url", _("请填写链接地址。"))
        return data


class QuestionForm(StyledFormMixin, forms.Form):
    """One question: choices A–F as separate fields, the right one(s) ticked below them."""

    kind = forms.ChoiceField(label=_("题型"), choices=[])
    text = PlainTextAreaField(label=_("题目"), max_length=1000)
    option_a = PlainTextField(label=_("选项A"), max_length=200, required=False)
    option_b = PlainTextField(label=_("选项B"), max_length=200, required=False)
    option_c = PlainTextField(label=_("选项C"), max_length=200, required=False)
    option_d = PlainTextField(label=_("选项D"), max_length=200, required=False)
    option_e = PlainTextField(label=_("选项E"), max_length=200, required=False)
    option_f = PlainTextField(label=_("选项F"), max_length=200, required=False)
    answer = forms.MultipleChoiceField(
        label=_("正确答案"),
        choices=[(str(i), letter) for i, letter in enumerate("ABCDEF")],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("判断题:A 为“正确”,B 为“错误”"),
    )
    topic = PlainTextField(label=_("知识点"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from jingxiang.academy.models import QuestionKind

        super().__init__(*args, **kwargs)
        field_of(self, "kind", forms.ChoiceField).choices = QuestionKind.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["options"] = [data.get(f"option_{letter}") or "" for letter in "abcdef"]
        # Trailing empty options are not options; a gap in between is refused by the service.
        while data["options"] and not data["options"][-1].strip():
            data["options"].pop()
        data["answer"] = [int(value) for value in data.get("answer") or []]
        return data

    @classmethod
    def initial_for(cls, question: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": question.kind,
            "text": question.text,
            "topic": question.topic,
            "answer": [str(index) for index in question.answer],
        }
        for letter, option in zip("abcdef", question.options, strict=False):
            initial[f"option_{letter}"] = option
        return initial


class _SessionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # not subscriptable at run time
    def label_from_instance(self, obj: Session) -> str:
        return f"{obj.cohort.name} · {obj.topic} · {timezone.localtime(obj.starts_at):%Y-%m-%d %H:%M}"


class QuizForm(TimeRulesFormMixin, StyledFormMixin, forms.Form):
    time_rules = QUIZ_RULES

    title = PlainTextField(label=_("测验名称"), max_length=100)
    session = _SessionChoiceField(
        label=_("课次"),
        queryset=Session.objects.none(),
        required=False,
        help_text=_("留空则本课程各班学员都可参加"),
    )
    question_count = forms.IntegerField(label=_("抽题数量"), min_value=1, max_value=200, initial=10)
    pass_mark = forms.IntegerField(
        label=_("及格分"), min_value=1, max_value=100, initial=60, help_text=_("百分制")
    )
    max_attempts = forms.IntegerField(label=_("允许作答次数"), min_value=1, max_value=10, initial=1)
    opens_at = forms.DateTimeField(
        label=_("开放时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("截止时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, course: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "session", forms.ModelChoiceField).queryset = Session.objects.filter(
            cohort__course=course
        ).select_related("cohort")


class QuizAnswerForm(forms.Form):
    """The paper of one attempt: a radio group per single-choice or true/false question, checkboxes for
    a multiple-choice one. Every question needs an answer before handing in."""

    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        from jingxiang.academy.models import QuestionKind

        super().__init__(*args, **kwargs)
        for number, question in enumerate(questions, start=1):
            choices = [
                (str(i), f"{chr(ord('A') + i)}. {option}") for i, option in enumerate(question.options)
            ]
            label = f"{number}. {question.text}"
            if question.kind == QuestionKind.MULTIPLE:
                field: forms.Field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=pgettext("测验", "多选题:选出全部正确选项"),
                    error_messages={"required": pgettext("测验", "请至少选择一项。")},
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    help_text=question.get_kind_display(),
                    error_messages={"required": pgettext("测验", "请选择一个答案。")},
                )
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[str, list[int]]:
        result: dict[str, list[int]] = {}
        for name, value in self.cleaned_data.items():
            values = value if isinstance(value, list) else [value]
            result[name[1:]] = [int(v) for v in values]
        return result


class CardScanForm(StyledFormMixin, forms.Form):
    """The trainer's check-in: the camera scanner fills ``code``; it may also be typed from the card."""

    code = forms.CharField(
        label=_("学员码"),
        max_length=300,
        help_text=_("扫描学员卡上的二维码,或输入卡上印的学员码"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )
