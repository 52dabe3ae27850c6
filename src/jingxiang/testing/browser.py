"""Helpers for browser tests (Playwright on Debian's Chromium); the fixtures live in the conftest."""

from __future__ import annotations

import pathlib
from typing import Any

SCREENSHOT_DIR = pathlib.Path("var/screenshots")


def login(page: Any, base_url: str, username: str, password: str = "correct-horse-9") -> None:
    """Log in through the real form, as a person would."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base_url}/**")


def screenshot(page: Any, name: str) -> None:
    """Keep a picture of the page for people to look at (var/screenshots)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def pick(page: Any, field_id: str, typed: str, label: str | None = None) -> None:
    """Choose in a searchable picker (core.pickers) as a person would: type, then click the option.

    ``label`` is the option's text when it differs from what is typed (pinyin, part of a name).
    """
    wanted = label or typed
    page.locator(f"#{field_id}").fill(typed)
    page.locator(f"#{field_id}-listbox [role=option]", has_text=wanted).first.click()
    page.locator(f".picker:has(#{field_id}) .picker-chip", has_text=wanted).wait_for()
