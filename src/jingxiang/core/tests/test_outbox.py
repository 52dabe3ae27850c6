"""E-mail goes through the outbox: written with the notification, sent by the task queue after commit,
claimed atomically, retried with backoff, and rendered in the recipient's language when it is sent."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from jingxiang.core.models import Notification, OutboxMessage, OutboxStatus
from jingxiang.core.services import mail_enqueue, notification_send, outbox_claim, outbox_deliver
from jingxiang.organisations import texts
from jingxiang.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
BROKEN = "jingxiang.core.tests.test_outbox.BrokenBackend"


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("mail server down")


def reader(language: str = "zh-hans", **fields):  # type: ignore[no-untyped-def]
    return UserFactory(email=f"reader-{language}@example.com", language=language, **fields)


def notify(user, name: str = "Duqiao Optical"):  # type: ignore[no-untyped-def]
    return notification_send(
        recipient=user, message=texts.APPLICATION_RECEIVED(name=name), url="/organisations/7/"
    )


def test_nothing_is_sent_inside_the_request_transaction(django_capture_on_commit_callbacks):
    user = reader("en")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notify(user)
    assert not mail.outbox, "no e-mail while the writing transaction is open"
    queued = OutboxMessage.objects.get(notification=notification)
    assert queued.status == OutboxStatus.PENDING and queued.to_address == user.email
    assert len(callbacks) == 1
    callbacks[0]()  # the commit hands delivery to the task queue (run at once by the tests' backend)
    queued.refresh_from_db()
    assert queued.status == OutboxStatus.SENT and queued.sent_at and queued.attempts == 1
    assert mail.outbox[0].subject == "New membership application: Duqiao Optical"
    assert "http://127.0.0.1:8000/organisations/7/" in mail.outbox[0].body


def test_one_delivery_task_per_transaction(django_capture_on_commit_callbacks):
    users = [reader("zh-hans", username=f"r{i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for user in users:
            notify(user)
    assert len(callbacks) == 1 and len(mail.outbox) == 3


def test_a_rolled_back_action_leaves_neither_notification_nor_mail():
    user = reader()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user)
        raise RuntimeError("the action failed after notifying")
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_the_recipients_language_at_sending_time_wins():
    user = reader("zh-hans")
    notify(user)
    user.language = "en"
    user.save(update_fields=["language"])
    assert outbox_deliver().sent == 1
    assert mail.outbox[0].subject == "New membership application: Duqiao Optical"
    user.language = "zh-hans"
    user.save(update_fields=["language"])
    notify(user, "杜桥光学")
    outbox_deliver()
    assert mail.outbox[1].subject == "新的入驻申请:杜桥光学"


def test_no_address_or_in_app_only_means_no_mail():
    silent = UserFactory()
    assert notification_send(recipient=silent, message=texts.APPLICATION_RECEIVED(name="x")).pk
    notification_send(recipient=reader(), message=texts.APPLICATION_RECEIVED(name="x"), email=False)
    assert not OutboxMessage.objects.exists()
    assert mail_enqueue(recipient=silent, message=texts.APPLICATION_RECEIVED(name="x")) is None
    with pytest.raises(TypeError):
        notification_send(recipient=silent, message="a rendered sentence")  # type: ignore[arg-type]


def test_claims_never_overlap_and_a_claimed_row_is_not_due_again():
    user = reader()
    for index in range(5):
        notify(user, f"firm {index}")
    first = outbox_claim(limit=2)
    second = outbox_claim(limit=10)
    assert len(first) == 2 and len(second) == 3
    assert not {m.pk for m in first} & {m.pk for m in second}
    assert outbox_claim() == []
    assert {m.claim_token for m in first} != {m.claim_token for m in second}


def test_a_claim_abandoned_by_a_dead_sender_is_taken_over():
    notify(reader())
    (claimed,) = outbox_claim()
    assert outbox_claim() == []
    later = timezone.now() + dt.timedelta(hours=1)
    (again,) = outbox_claim(now=later)
    assert again.pk == claimed.pk and again.attempts == 2 and again.claim_token != claimed.claim_token
    # The first sender, if it wakes up, can no longer mark the row: its token is gone.
    assert not OutboxMessage.objects.filter(pk=claimed.pk, claim_token=claimed.claim_token).exists()


@override_settings(EMAIL_BACKEND=BROKEN, OUTBOX_MAX_ATTEMPTS=3, OUTBOX_RETRY_SECONDS=60)
def test_failures_are_retried_with_backoff_then_failed_with_the_error():
    notify(reader())
    row = OutboxMessage.objects.get()
    delays = []
    for attempt in (1, 2):
        before = timezone.now()
        assert outbox_deliver().retrying == 1
        row.refresh_from_db()
        assert row.status == OutboxStatus.PENDING and row.attempts == attempt
        assert "ConnectionRefusedError: mail server down" in row.last_error
        delays.append(row.next_attempt_at - before)
        assert outbox_deliver().retrying == 0, "not due again before its backoff"
        OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert dt.timedelta(seconds=59) < delays[0] <= dt.timedelta(seconds=61)
    assert dt.timedelta(seconds=119) < delays[1] <= dt.timedelta(seconds=121)
    result = outbox_deliver()
    assert (result.failed, result.retrying, result.sent) == (1, 0, 0)
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and row.attempts == 3 and "mail server down" in row.last_error
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert outbox_deliver().sent == 0, "a failed message stays failed"


@override_settings(EMAIL_BACKEND=BROKEN, TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_retry_is_queued_on_the_worker_queue_for_its_time():
    from django_tasks_db.models import DBTaskResult

    from jingxiang.core.tasks import deliver_outbox

    notify(reader())
    outbox_deliver()
    row = OutboxMessage.objects.get()
    (retry,) = DBTaskResult.objects.filter(task_path=deliver_outbox.module_path, status="READY")
    assert retry.run_after == row.next_attempt_at > timezone.now()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_never_claim_the_same_row():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SELECT … FOR UPDATE SKIP LOCKED across connections)")
    user = reader()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            recipient=user,
            to_address=user.email,
            message=texts.APPLICATION_RECEIVED.id,
            params={"name": str(i)},
        )
        for i in range(60)
    )
    start = threading.Barrier(4)
    claims: list[list[int]] = [[] for _ in range(4)]
    errors: list[BaseException] = []

    def sender(index: int) -> None:
        try:
            start.wait()
            while batch := outbox_claim(limit=3):
                claims[index].extend(m.pk for m in batch)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    every = [pk for claim in claims for pk in claim]
    assert len(every) == len(set(every)) == 60, "each row claimed exactly once"
    assert sum(1 for claim in claims if claim) >= 2, "the senders shared the work"


def test_mail_to_an_address_without_a_login_is_sent_in_its_language(django_capture_on_commit_callbacks):
    from jingxiang.core.services import mail_to_address

    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_to_address(
            address="buyer@example.com",
            language="en",
            message=texts.APPLICATION_RECEIVED(name="Duqiao Optical"),
            url="/fairs/my/abc/",
        )
    queued.refresh_from_db()
    assert queued.recipient is None and queued.status == OutboxStatus.SENT
    assert mail.outbox[0].to == ["buyer@example.com"]
    assert mail.outbox[0].subject == "New membership application: Duqiao Optical"
    assert "/fairs/my/abc/" in mail.outbox[0].body
    assert mail_to_address(address=" ", language="en", message=texts.APPLICATION_RECEIVED(name="x")) is None
