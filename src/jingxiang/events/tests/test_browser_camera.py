"""Check-in at the door with the phone's camera, in the browser: Chromium's fake camera plays a video of
the participant's QR code (generated here, into a temporary folder), the shared scanner block
(core/includes/qr_scanner.html + jsQR) reads it and the participant is checked in with no typing.
The typed code still works as the fallback. Desktop and phone widths."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import segno
from django.urls import reverse
from PIL import Image

from jingxiang.conftest import CHROMIUM_ARGS, _close, _new_page
from jingxiang.core.links import absolute_url
from jingxiang.events.models import Participant
from jingxiang.testing.browser import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480


def qr_video(path: Path, text: str, frames: int = 4) -> Path:
    """A short Y4M video (4:2:0) of the QR code of ``text`` on a white page: what a camera would see."""
    qr = segno.make(text, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    side = min(HEIGHT - 40, code.width)
    code = code.resize((side, side), Image.NEAREST)
    picture = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    picture.paste(code, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    y, cb, cr = picture.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    frame = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _ in range(frames):
            out.write(b"FRAME\n" + frame)
    return path


@pytest.fixture
def camera_page(browser: Any, live_server: Any) -> Any:
    """Open a page in a Chromium whose camera plays the given video, with the camera permission granted."""
    opened: list[tuple[Any, Any]] = []

    def open_page(video: Path, *, phone: bool) -> Any:
        chromium = browser.browser_type.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        page = _new_page(chromium, phone=phone)
        page.context.grant_permissions(["camera"], origin=live_server.url)
        opened.append((chromium, page))
        return page

    yield open_page
    for chromium, page in opened:
        try:
            _close(page)
        finally:
            chromium.close()


def _scan(page: Any, base: str, participant: Participant, name: str) -> None:
    login(page, base, "operator")
    page.goto(f"{base}/events/{participant.event_id}/checkin/")
    page.click("[data-qr-start]")
    page.wait_for_selector(f"text={participant.name} 已签到", timeout=30_000)
    screenshot(page, name)


def test_camera_check_in_on_desktop_and_phone_and_the_typed_fallback(
    cast: Any, setup: Any, camera_page: Any, live_server: Any, tmp_path: Path
) -> None:
    base = live_server.url
    for participant, phone, name in (
        (setup.firm, False, "events-camera-checkin-desktop"),
        (setup.expert, True, "events-camera-checkin-phone"),
    ):
        qr_text = absolute_url(reverse("events:checkin_code", args=[participant.checkin_code]))
        page = camera_page(qr_video(tmp_path / f"{participant.pk}.y4m", qr_text), phone=phone)
        _scan(page, base, participant, name)
        participant.refresh_from_db()
        assert participant.checked_in_at is not None and participant.checked_in_by == cast.operator
        # No typing happened: the scanner filled the code and submitted the form.
        assert page.locator(".qr-scanner video").is_hidden()

    # The fallback: the code typed into the same field (on the last, phone-sized page).
    page.fill("#checkin-code", setup.lab.checkin_code.lower())
    page.click("#checkin-by-code button[type=submit]")
    page.wait_for_selector(f"text={setup.lab.name} 已签到")
    setup.lab.refresh_from_db()
    assert setup.lab.checked_in_at is not None
    # A wrong code says so and checks nobody in.
    page.fill("#checkin-code", "WRONG")
    page.click("#checkin-by-code button[type=submit]")
    page.wait_for_selector("text=没有找到该签到码")
