"""The searchable picker on the cohort enrolment form, driven only by the keyboard (issue 10, item 10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jingxiang.academy.models import Enrolment
from jingxiang.testing.browser import login, screenshot
from jingxiang.testing.factories import TalentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enrolment_picker_by_keyboard(cast, academy, workers, page, live_server):
    base = live_server.url
    # Same initials as 王美玲 (wml), but another firm's worker: the picker must never offer her.
    TalentFactory(name="王美丽", home_organisation=cast.other_firm)
    login(page, base, "firm_admin")
    page.goto(f"{base}/academy/cohorts/{academy.cohort.pk}/enrol/")
    box = page.locator("#id_pick-talents")
    listbox = page.locator("#id_pick-talents-listbox")
    chips = page.locator(".picker:has(#id_pick-talents) .picker-chip")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()

    # Initials, then Enter: the best match is highlighted and chosen.
    box.focus()
    page.keyboard.type("zjg")
    expect(listbox.locator("[role=option]")).to_have_count(1)
    expect(box).to_have_attribute("aria-expanded", "true")
    active = box.get_attribute("aria-activedescendant")
    assert active and listbox.locator(f"#{active}").inner_text().startswith("张建国")
    page.keyboard.press("Enter")
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text("张建国(工匠)")
    expect(box).to_have_value("")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".picker:has(#id_pick-talents) [role=status]")).to_contain_text("张建国")

    # Arrow keys walk the whole list (no text typed): the chosen worker is marked, another is added.
    page.keyboard.press("ArrowDown")
    expect(listbox.locator("[role=option]")).to_have_count(3)
    expect(listbox).not_to_contain_text("王美丽")
    page.keyboard.press("ArrowDown")
    first = listbox.locator("[role=option]").first
    expect(first).to_have_class("picker-option active")
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    second = listbox.locator("[role=option]").nth(1)
    expect(second).to_have_class("picker-option active")
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    page.keyboard.press("ArrowUp")
    expect(first).to_have_class("picker-option active")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chips).to_have_count(2)
    expect(chips.nth(1)).to_contain_text("王美玲")

    # Esc closes the list first, then clears what was typed.
    page.keyboard.type("clx")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("clx")
    page.keyboard.press("Escape")
    expect(box).to_have_value("")

    # A chip's remove button is a real button: reachable and pressed from the keyboard.
    remove = chips.first.locator("[data-picker-remove]")
    expect(remove).to_have_attribute("aria-label", "移除 张建国(工匠)")
    remove.focus()
    page.keyboard.press("Enter")
    expect(chips).to_have_count(1)
    expect(box).to_be_focused()

    page.keyboard.type("clx")
    expect(listbox.locator("[role=option]")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(chips).to_have_count(2)
    screenshot(page, "picker-enrol-keyboard")
    # With the list closed, Enter submits the form as usual.
    page.keyboard.press("Enter")
    page.wait_for_selector("text=已报名")
    enrolled = set(Enrolment.objects.filter(cohort=academy.cohort).values_list("talent__name", flat=True))
    assert enrolled == {"王美玲", "陈立新"}
