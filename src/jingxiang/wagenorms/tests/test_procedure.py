"""The agreement's procedure: rounds, vote quorum edges, filing, the 15-day review, versions, renewal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.core.models import Notification
from jingxiang.jobs.periodic import run_due_periodic
from jingxiang.wagenorms import selectors, services
from jingxiang.wagenorms.models import AgreementStatus
from jingxiang.wagenorms.tests.builders import EXAMPLE, effective_agreement

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.mark.parametrize(
    ("representatives", "present", "approve", "quorum", "passed"),
    [
        (30, 20, 11, True, True),  # exactly 2/3 present; 11 of 20 is more than half
        (30, 19, 19, False, False),  # one short of 2/3: no valid vote even if all approve
        (30, 20, 10, True, False),  # exactly half is not more than half
        (35, 24, 13, True, True),  # 24 ≥ 23.33
        (35, 23, 23, False, False),
    ],
)
def test_vote_outcome_edges(representatives, present, approve, quorum, passed):
    assert services.vote_outcome(representatives=representatives, present=present, approve=approve) == (
        quorum,
        passed,
    )


def _draft(cast):
    agreement = services.agreement_create(
        actor=cast.union_staff, title="协议", employers="行业协会", text=EXAMPLE
    )
    services.round_record(
        actor=cast.union_staff,
        agreement=agreement,
        held_on=TODAY,
        union_proposal="要约",
        employer_proposal="回应",
        minutes="纪要",
    )
    return agreement


def test_full_procedure_makes_the_agreement_effective_on_its_terms(cast):
    agreement = effective_agreement(cast.union_staff)
    assert agreement.status == AgreementStatus.EFFECTIVE
    assert (agreement.effective_from, agreement.expires_on) == (dt.date(2025, 1, 1), dt.date(2027, 12, 31))
    assert agreement.review_due == agreement.filed_on + dt.timedelta(days=15)
    vote = agreement.votes.get()
    assert vote.quorum_met and vote.passed and vote.version.number == 1


def test_failed_vote_is_recorded_and_sends_back_to_negotiation(cast):
    agreement = _draft(cast)
    vote = services.vote_record(
        actor=cast.union_staff,
        agreement=agreement,
        held_on=TODAY,
        representatives=30,
        present=19,
        approve=19,
        against=0,
        abstain=0,
    )
    agreement.refresh_from_db()
    assert not vote.quorum_met and agreement.status == AgreementStatus.REJECTED
    with pytest.raises(ValidationError):
        services.agreement_file(
            actor=cast.union_staff, agreement=agreement, filed_on=TODAY, authority="人社局"
        )


def test_vote_counts_must_add_up(cast):
    agreement = _draft(cast)
    with pytest.raises(ValidationError) as error:
        services.vote_record(
            actor=cast.union_staff,
            agreement=agreement,
            held_on=TODAY,
            representatives=30,
            present=31,
            approve=20,
            against=5,
            abstain=5,
        )
    assert "present" in error.value.message_dict and "approve" in error.value.message_dict
    assert not agreement.votes.exists()


def test_review_waits_fifteen_days_unless_the_authority_answers(cast):
    agreement = _draft(cast)
    services.vote_record(
        actor=cast.union_staff,
        agreement=agreement,
        held_on=TODAY,
        representatives=9,
        present=6,
        approve=4,
        against=1,
        abstain=1,
    )
    services.agreement_file(actor=cast.union_staff, agreement=agreement, filed_on=TODAY, authority="人社局")
    with pytest.raises(ValidationError):
        services.agreement_review_result(
            actor=cast.union_staff, agreement=agreement, today=TODAY + dt.timedelta(days=15)
        )
    done = services.agreement_review_result(
        actor=cast.union_staff, agreement=agreement, today=TODAY + dt.timedelta(days=16)
    )
    assert done.status == AgreementStatus.EFFECTIVE


def test_objection_sends_it_back(cast):
    agreement = _draft(cast)
    services.vote_record(
        actor=cast.union_staff,
        agreement=agreement,
        held_on=TODAY,
        representatives=9,
        present=9,
        approve=9,
        against=0,
        abstain=0,
    )
    services.agreement_file(actor=cast.union_staff, agreement=agreement, filed_on=TODAY, authority="人社局")
    done = services.agreement_review_result(
        actor=cast.union_staff, agreement=agreement, objection="第5条需修改"
    )
    assert done.status == AgreementStatus.OBJECTED and done.review_note == "第5条需修改"


def test_floors_below_the_statutory_minimum_are_refused_naming_the_rule(cast):
    bad = EXAMPLE.replace("学徒工: 2480", "学徒工: 2200", 1)
    with pytest.raises(ValidationError) as error:
        services.agreement_create(actor=cast.union_staff, title="协议", employers="协会", text=bad)
    messages = " ".join(error.value.message_dict["text"])
    assert "法定最低工资" in messages and "2200" in messages
    from jingxiang.wagenorms.models import WageAgreement

    assert not WageAgreement.objects.exists()


def test_broken_yaml_is_refused(cast):
    with pytest.raises(ValidationError):
        services.agreement_create(actor=cast.union_staff, title="协议", employers="协会", text="terms: [")


@pytest.mark.parametrize("role", ["firm_admin", "member", "operator", "outsider"])
def test_only_union_staff_run_the_procedure(cast, role):
    with pytest.raises(PermissionDenied):
        services.agreement_create(actor=cast.by_role()[role], title="协议", employers="协会", text=EXAMPLE)


def test_versions_are_kept_and_compared(cast):
    agreement = _draft(cast)
    services.version_add(
        actor=cast.union_staff,
        agreement=agreement,
        text=EXAMPLE.replace("学徒工: 2480", "学徒工: 2500", 1),
        note="学徒工上调",
    )
    assert list(agreement.versions.values_list("number", flat=True)) == [1, 2]
    rows = selectors.version_diff(*(v.text for v in agreement.versions.order_by("number")))
    changed = [row for row in rows if row[0] == "changed"]
    assert len(changed) == 1 and "2480" in changed[0][1] and "2500" in changed[0][2]
    with pytest.raises(ValidationError):
        services.version_add(
            actor=cast.union_staff, agreement=agreement, text=agreement.current_version.text, note="同"
        )


def test_renewal_reminder_once_per_expiry(cast, settings):
    agreement = effective_agreement(cast.union_staff)
    agreement.expires_on = TODAY + dt.timedelta(days=30)
    agreement.save()
    now = timezone.now().replace(hour=7)
    run_due_periodic(now=now, keys=["wagenorms.renewal"])
    assert Notification.objects.filter(recipient=cast.union_staff).count() == 1
    assert services.renewal_remind(TODAY) == 0  # idempotent for the same expiry date
    agreement.refresh_from_db()
    assert agreement.renewal_reminded_for == agreement.expires_on
