"""Demo content for the calendars: the other apps' demo records already fill everyone's calendar; the
shared expert (``expert``) also gets a private feed URL, printed so it can be tried in a phone calendar."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jingxiang.calendars import services


def load(context: Any) -> None:
    expert = context.users.get("expert")
    if expert is None:
        return
    feed = services.feed_issue(actor=expert)
    context.notes.append(
        "日历:/calendar/ 显示预约、洽谈、课次、面试与截止日期;expert 的订阅链接 "
        + reverse("calendars:feed", args=[feed.token])
    )
