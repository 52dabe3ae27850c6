"""Past collaborations the platform knows of, as the review engine's ``Collaboration`` records.

The engine (``jingxiang.review.conflicts``) excludes a reviewer from a submission when a record dated
within the round's look-back window links the two sides. Three sources exist on the platform:

* **same organisation** - organisation memberships (``organisations.Membership``; an ended membership is
  dated by when it ended, an active one by the round's date) and a talent's home organisation;
* **sharing engagement** - sharing agreements (``sharing.Agreement``): the talent with the host and the
  home organisation, and the two organisations with each other, dated by the agreement's end;
* **co-applicants** - people on the same team of any earlier submission on this platform (any round of
  any app: competition, fund call, challenge), and each with that submission's organisation.

People are keyed as in docs/reviewing.md: ``user:<pk>`` for a platform user, ``talent:<pk>`` for a
talent without an account; organisations by primary key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from jingxiang.review.records import Collaboration, Party


def user_key(user_id: int) -> str:
    return f"user:{user_id}"


def talent_key(talent: object) -> str:
    user_id = getattr(talent, "user_id", None)
    return user_key(user_id) if user_id else f"talent:{getattr(talent, 'pk', '')}"


def _person(key: str) -> Party:
    return Party("person", key)


def _org(pk: int) -> Party:
    return Party("organisation", pk)


def _date(value: dt.datetime | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def platform_collaborations(
    *,
    people: Iterable[str],
    organisations: Iterable[int],
    as_of: dt.date,
    years: int,
    exclude_round: int | None,
) -> list[Collaboration]:
    """Records touching any of ``people`` (person keys) or ``organisations``, from ``as_of - years`` on."""
    from jingxiang.organisations.models import Membership
    from jingxiang.reviewing.models import Submission
    from jingxiang.sharing.models import Agreement
    from jingxiang.talents.models import Talent

    people = set(people)
    organisations = set(organisations)
    user_ids = {int(key.split(":", 1)[1]) for key in people if key.startswith("user:") and key[5:].isdigit()}
    talent_ids = {
        int(key.split(":", 1)[1]) for key in people if key.startswith("talent:") and key[7:].isdigit()
    }
    start = dt.datetime.combine(
        as_of.replace(year=max(as_of.year - years, 1), day=min(as_of.day, 28)), dt.time()
    )
    start_aware = timezone.make_aware(start) if timezone.is_naive(start) else start
    found: list[Collaboration] = []

    for user_id, organisation_id, active, updated in Membership.objects.filter(
        user_id__in=user_ids
    ).values_list("user_id", "organisation_id", "is_active", "updated_at"):
        when = as_of if active else _date(updated)
        found.append(
            Collaboration(_person(user_key(user_id)), _org(organisation_id), "same_organisation", when)
        )

    for talent in Talent.objects.filter(home_organisation__isnull=False).filter(
        user_id__in=user_ids
    ) | Talent.objects.filter(pk__in=talent_ids, home_organisation__isnull=False):
        found.append(
            Collaboration(
                _person(talent_key(talent)), _org(talent.home_organisation_id), "same_organisation", as_of
            )
        )

    agreements = Agreement.objects.filter(
        period_end__gte=start.date(), archived_at__isnull=True
    ).select_related("talent")
    for agreement in (
        agreements.filter(talent__user_id__in=user_ids)
        | agreements.filter(talent_id__in=talent_ids)
        | agreements.filter(host_id__in=organisations)
        | agreements.filter(home_id__in=organisations)
    ):
        person = _person(talent_key(agreement.talent))
        found.append(
            Collaboration(person, _org(agreement.host_id), "sharing_engagement", agreement.period_end)
        )
        if agreement.home_id:
            found.append(
                Collaboration(person, _org(agreement.home_id), "sharing_engagement", agreement.period_end)
            )
            found.append(
                Collaboration(
                    _org(agreement.home_id),
                    _org(agreement.host_id),
                    "sharing_engagement",
                    agreement.period_end,
                )
            )

    earlier = Submission.objects.filter(created_at__gte=start_aware, withdrawn=False)
    if exclude_round is not None:
        earlier = earlier.exclude(round_id=exclude_round)
    for team, organisation_id, created in earlier.values_list("team", "organisation_id", "created_at"):
        members = [str(member) for member in team or []]
        if not (people.intersection(members) or (organisation_id in organisations)):
            continue
        when = _date(created)
        for index, member in enumerate(members):
            for other in members[index + 1 :]:
                found.append(Collaboration(_person(member), _person(other), "co_applicants", when))
            if organisation_id:
                found.append(Collaboration(_person(member), _org(organisation_id), "co_applicants", when))
    return found
