"""A record of one piece of background work, which the UI shows as a progress bar."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jingxiang.core.texts import Text


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: Any) -> JobQuerySet:
        """People see the jobs they started; operators see all."""
        from jingxiang.organisations.permissions import is_operator

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_operator(user):
            return self
        return self.filter(created_by=user)


class Job(models.Model):
    kind = models.CharField(_("任务类型"), max_length=50, db_index=True)
    # Title and status line are message ids with parameters (core.texts), rendered for each viewer.
    title_text = models.JSONField(_("标题"), default=dict)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    message_text = models.JSONField(_("说明"), default=dict, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    input_file = models.FileField(_("上传文件"), upload_to="jobs/input/%Y/%m/", blank=True)
    output_file = models.FileField(_("结果文件"), upload_to="jobs/output/%Y/%m/", blank=True)
    result_url = models.CharField(_("结果链接"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs", null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Touched by every progress report; a running job whose heartbeat stops was lost with its worker.
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}

    @property
    def title(self) -> str:
        """The title in the active language (the viewer's)."""
        return Text.from_json(self.title_text).title

    @property
    def message(self) -> str:
        """The latest progress line, outcome or error in the active language."""
        return Text.from_json(self.message_text).title if self.message_text else ""

    @property
    def row_errors(self) -> list[dict[str, Any]]:
        """An import's row errors in the viewer's language when they were recorded in it."""
        by_language = self.result.get("errors_by_language") if isinstance(self.result, dict) else None
        if isinstance(by_language, dict) and get_language() in by_language:
            return list(by_language[get_language()])
        errors = self.result.get("errors") if isinstance(self.result, dict) else None
        return list(errors) if isinstance(errors, list) else []


class PeriodicRun(models.Model):
    """One run of a calendar duty (`jobs.periodic`) for one date: claimed once, whoever runs it."""

    key = models.CharField(_("例行任务"), max_length=80)
    due_on = models.DateField(_("应执行日期"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        ordering = ["-due_on", "key"]
        constraints = [models.UniqueConstraint(fields=["key", "due_on"], name="periodic_run_once_per_date")]
        verbose_name = _("例行任务执行")
        verbose_name_plural = _("例行任务执行")

    def __str__(self) -> str:
        return f"{self.key} @ {self.due_on}"
