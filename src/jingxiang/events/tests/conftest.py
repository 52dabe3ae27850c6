"""A small event, set up through the services the way an operator and participants would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from jingxiang.events import services
from jingxiang.events.models import Event, Participant


@dataclass
class Setup:
    event: Event
    firm: Participant
    expert: Participant
    lab: Participant
    lab_admin: Any


#: The test event took place yesterday from 09:00, so that check-in and attendance (which may not come
#: before the session) can be recorded whatever time the tests run; the operator enters it with a reason.
BACKDATE = "测试:补录昨天的对接会"


def make_event(operator: Any, **overrides: Any) -> Event:
    today = timezone.localdate() - dt.timedelta(days=1)
    data = {
        "title": "2026 杜桥眼镜产业需求对接会",
        "venue": "中国·杜桥眼镜城 会展中心",
        "event_date": today,
        "allow_firms": True,
        "allow_experts": True,
        "allow_institutions": True,
        "max_meetings_cap": 6,
        "request_cap_firm": 3,
        "request_cap_expert": 3,
        "request_cap_institution": 3,
        "requests_expire_at": timezone.now() + dt.timedelta(days=1),
        "backdate_reason": BACKDATE,
    }
    data.update(overrides)
    event = services.event_create(actor=operator, data=data)
    start = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
    services.session_add(
        actor=operator,
        event=event,
        name="上午场",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        slot_minutes=20,
        backdate_reason=BACKDATE,
    )
    services.tables_add(actor=operator, event=event, count=2, capacity=2)
    return services.event_open(actor=operator, event=event)


def register(
    actor: Any, event: Event, kind: str, profile: Any, *, slots: list[int] | None = None, cap: int = 4
):
    return services.participant_register(
        actor=actor,
        event=event,
        kind=kind,
        profile_id=profile.pk,
        slot_ids=slots if slots is not None else list(event.slots.values_list("pk", flat=True)),
        max_meetings=cap,
        needs="镜片镀膜附着力不足,寻找镀膜工艺专家",
    )


def png_upload(size: tuple[int, int] = (900, 600), name: str = "photo.png") -> Any:
    """A real PNG upload (Pillow), as a browser would send it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def setup(cast: Any) -> Setup:
    from jingxiang.organisations.models import Role
    from jingxiang.testing.factories import MembershipFactory, UserFactory

    lab_admin = UserFactory(username="lab_admin")
    MembershipFactory(user=lab_admin, organisation=cast.lab, role=Role.ORG_ADMIN)
    event = make_event(cast.operator)
    return Setup(
        event=event,
        firm=register(cast.talent_officer, event, "firm", cast.firm),
        expert=register(cast.expert_user, event, "expert", cast.expert),
        lab=register(lab_admin, event, "institution", cast.lab),
        lab_admin=lab_admin,
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded photos go to a temporary folder, not the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
