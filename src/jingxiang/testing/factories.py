"""factory_boy factories for the foundation models, shared by every app's tests."""

from __future__ import annotations

import random
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from jingxiang.core.search import searchable_text
from jingxiang.identifiers import Sex, generate_resident_id, generate_uscc
from jingxiang.organisations.models import Membership, Organisation, OrganisationKind, OrganisationStatus
from jingxiang.talents.models import Talent, TalentKind

_rng = random.Random(7)


def _uscc(_n: int) -> str:
    return generate_uscc(_rng, region_code="331082")


def _resident_id(_n: int) -> str:
    import datetime as dt

    return generate_resident_id(
        _rng, region_code="331082", birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=_n), sex=Sex.MALE
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or "correct-horse-9")
        if create:
            self.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"临海市测试{n}眼镜有限公司")
    kind = OrganisationKind.FIRM
    uscc = factory.Sequence(_uscc)
    region = "杜桥镇"
    status = OrganisationStatus.APPROVED
    search_text = factory.LazyAttribute(lambda o: searchable_text(o.name))


class InstitutionFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"测试{n}大学")
    kind = OrganisationKind.UNIVERSITY
    uscc = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"


class TalentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talent

    name = factory.Sequence(lambda n: f"人才{n}")
    kind = TalentKind.EXPERT
    title = "高级工程师"
    home_organisation = factory.SubFactory(OrganisationFactory)
    mobile = factory.Sequence(lambda n: f"137{n:08d}")
    resident_id = factory.Sequence(_resident_id)
    hourly_rate = Decimal("300.00")
    monthly_hours = 20
    shares_talent = True
    search_text = factory.LazyAttribute(lambda t: searchable_text(t.name, t.title))
