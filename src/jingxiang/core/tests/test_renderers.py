"""The fast form renderer writes exactly what Django's widget templates write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from jingxiang.core.renderers import FastFormRenderer


class Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'a "quoted" <b>', "class": "input"}))
    number = forms.DecimalField(required=False)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search"}), required=False)
    hidden = forms.IntegerField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    when = forms.DateTimeField(required=False)
    agree = forms.BooleanField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    choice = forms.ChoiceField(
        choices=[("", gettext_lazy("全部")), ("a&b", "A & B"), ("<x>", mark_safe("<i>safe</i>")), (3, 3)],
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("眼镜", [("f", "镜架"), ("l", "镜片")]), ("other", "其他")], required=False
    )
    many = forms.MultipleChoiceField(choices=[(n, f"选项 {n}") for n in range(5)], required=False)
    yesno = forms.NullBooleanField(required=False)
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True, required=False)


DATA = [
    {},
    {
        "text": '<script>"x"</script>',
        "number": "1234.5",
        "search": "wang",
        "hidden": "7",
        "email": "a@b.cn",
        "day": "2026-02-29",
        "when": "2026-03-01 09:30",
        "agree": "on",
        "password": "p&w",
        "choice": "a&b",
        "grouped": "l",
        "many": ["1", "3"],
        "yesno": "true",
    },
    {"number": "junk", "choice": "nope", "grouped": "other", "yesno": "false"},
]
INITIAL = {"number": Decimal("12345.60"), "day": dt.date(2026, 1, 5), "choice": 3, "many": [0]}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("data", [None, *DATA])
def test_same_markup_as_django_templates(data, language):
    with override(language):
        for bound in (Everything(data), Everything(initial=INITIAL)) if data is None else (Everything(data),):
            for name in bound.fields:
                field = bound[name]
                fast = field.as_widget()
                bound.renderer = DjangoTemplates()
                slow = bound[name].as_widget()
                bound.renderer = FastFormRenderer()
                assert fast == slow, name


def test_model_choices_render_the_same(db):
    from jingxiang.talents.models import Skill, SkillDomain

    domain = SkillDomain.objects.create(code="d", name_zh="领域", name_en="Domain")
    for n in range(3):
        Skill.objects.create(domain=domain, code=f"s{n}", name_zh=f"技能<{n}>", name_en=f"Skill {n}")

    class Pick(forms.Form):
        skill = forms.ModelChoiceField(Skill.objects.all(), required=False)
        skills = forms.ModelMultipleChoiceField(Skill.objects.all(), required=False)

    form = Pick({"skill": str(Skill.objects.first().pk)})
    fast = str(form["skill"]) + str(form["skills"])
    form.renderer = DjangoTemplates()
    assert fast == str(form["skill"]) + str(form["skills"])


def test_is_the_configured_renderer_and_overrides_still_win(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastFormRenderer)
    renderer = FastFormRenderer()
    # A template that is not Django's own goes through the engine (the picker widget, say).
    assert not renderer._overridden("django/forms/widgets/select.html")
