"""Importing a course's question bank from Excel: one row per question, the whole file checked first.

Columns: 题型 (单选题 / 多选题 / 判断题, or single / multiple / true_false), 题目, 选项A–选项F, 答案
(letters such as ``B`` or ``ACD``; for a true/false question 正确/错误, 对/错, √/×, true/false) and an
optional 知识点. Nothing is saved if any row is wrong; each bad row is reported with its row number.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.academy.models import Course, Question, QuestionKind
from jingxiang.core.forms import PlainTextField
from jingxiang.core.imports import (
    ImportColumn,
    ImportSpec,
    ProgressCallback,
    RowError,
    ValidRow,
    choice_value,
)

LETTERS = "ABCDEF"
TRUE_WORDS = {"正确", "对", "是", "√", "true", "t", "yes", "y"}
FALSE_WORDS = {"错误", "错", "否", "×", "x", "false", "f", "no", "n"}


class QuestionRowForm(forms.Form):
    kind = forms.CharField(label=gettext_lazy("题型"))
    text = PlainTextField(label=gettext_lazy("题目"), max_length=1000)
    option_a = PlainTextField(label=gettext_lazy("选项A"), max_length=200, required=False)
    option_b = PlainTextField(label=gettext_lazy("选项B"), max_length=200, required=False)
    option_c = PlainTextField(label=gettext_lazy("选项C"), max_length=200, required=False)
    option_d = PlainTextField(label=gettext_lazy("选项D"), max_length=200, required=False)
    option_e = PlainTextField(label=gettext_lazy("选项E"), max_length=200, required=False)
    option_f = PlainTextField(label=gettext_lazy("选项F"), max_length=200, required=False)
    answer = forms.CharField(label=gettext_lazy("答案"), max_length=20)
    topic = PlainTextField(label=gettext_lazy("知识点"), max_length=50, required=False)

    def clean_kind(self) -> str:
        return choice_value(self.cleaned_data["kind"], list(QuestionKind.choices), _("题型"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        raw = str(data.get("answer") or "").strip()
        if not kind or not raw:
            return data
        from jingxiang.academy.services import TRUE_FALSE_OPTIONS, _clean_question

        if kind == QuestionKind.TRUE_FALSE:
            word = raw.lower()
            if word in TRUE_WORDS:
                answer = [0]
            elif word in FALSE_WORDS:
                answer = [1]
            else:
                raise ValidationError({"answer": _("判断题的答案请填“正确”或“错误”。")})
            options = list(TRUE_FALSE_OPTIONS)
        else:
            options_by_letter = [(letter, data.get(f"option_{letter.lower()}") or "") for letter in LETTERS]
            # Options are read up to the last one given: a gap (A, B, D) is a mistake, not a shorter list.
            last = max((i for i, (_l, text) in enumerate(options_by_letter) if text.strip()), default=-1)
            options = [text for _l, text in options_by_letter[: last + 1]]
            if any(not text.strip() for text in options):
                raise ValidationError({"option_a": _("选项之间不能有空缺(如填了 A、B、D 却没有 C)。")})
            letters = "".join(ch for ch in raw.upper() if not ch.isspace() and ch not in ",,、")
            if not letters or any(ch not in LETTERS for ch in letters):
                raise ValidationError({"answer": _("答案请用选项字母填写,如 B 或 ACD。")})
            answer = sorted({LETTERS.index(ch) for ch in letters})
        try:
            data["options"], data["answer_indexes"] = _clean_question(kind, options, answer)
        except ValidationError as error:
            field_errors = error.message_dict
            raise ValidationError(
                {"answer" if key == "answer" else "option_a": value for key, value in field_errors.items()}
            ) from error
        return data


class QuestionImport(ImportSpec):
    name = "academy_questions"
    title = gettext_lazy("题库")
    columns = (
        ImportColumn("kind", gettext_lazy("题型"), "Type", required=True, example="单选题"),
        ImportColumn(
            "text", gettext_lazy("题目"), "Question", required=True, example="树脂镜片的折射率通常为?"
        ),
        ImportColumn("option_a", gettext_lazy("选项A"), "Option A", example="1.50–1.74"),
        ImportColumn("option_b", gettext_lazy("选项B"), "Option B", example="2.0 以上"),
        ImportColumn("option_c", gettext_lazy("选项C"), "Option C", example="1.0 以下"),
        ImportColumn("option_d", gettext_lazy("选项D"), "Option D"),
        ImportColumn("option_e", gettext_lazy("选项E"), "Option E"),
        ImportColumn("option_f", gettext_lazy("选项F"), "Option F"),
        ImportColumn("answer", gettext_lazy("答案"), "Answer", required=True, example="A"),
        ImportColumn("topic", gettext_lazy("知识点"), "Topic", example="镜片材料"),
    )
    form_class = QuestionRowForm

    def __init__(self, course: Course) -> None:
        self.course = course

    def check_rows(self, rows: list[ValidRow], actor: Any) -> list[RowError]:
        errors: list[RowError] = []
        header = self.header_for("text")
        existing = set(
            Question.objects.filter(course=self.course, archived_at__isnull=True).values_list(
                "text", flat=True
            )
        )
        seen: dict[str, int] = {}
        for row in rows:
            text = row.cleaned["text"].strip()
            if text in seen:
                errors.append(
                    RowError(row.row, header, _("与第 %(row)s 行的题目重复。") % {"row": seen[text]})
                )
            elif text in existing:
                errors.append(RowError(row.row, header, _("题库中已有相同的题目。")))
            seen.setdefault(text, row.row)
        return errors

    def save(self, rows: list[ValidRow], actor: Any, progress: ProgressCallback) -> int:
        from jingxiang.academy.permissions import may_teach

        if not may_teach(actor, self.course):
            raise PermissionError
        Question.objects.bulk_create(
            [
                Question(
                    course=self.course,
                    kind=row.cleaned["kind"],
                    text=row.cleaned["text"].strip(),
                    options=row.cleaned["options"],
                    answer=row.cleaned["answer_indexes"],
                    topic=row.cleaned.get("topic", ""),
                    created_by=actor,
                )
                for row in rows
            ]
        )
        return len(rows)
