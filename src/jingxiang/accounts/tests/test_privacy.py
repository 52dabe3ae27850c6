"""Issue 21: privacy consent at registration with the policy's version recorded (who, when, which
version), the policy text as versioned data, and a new version asked for again at the next login."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from jingxiang.accounts import privacy, services
from jingxiang.accounts.models import PrivacyConsent
from jingxiang.identifiers import generate_uscc
from jingxiang.organisations.models import Organisation
from jingxiang.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-9"


@pytest.fixture(autouse=True)
def _asked_at_login(settings):  # type: ignore[no-untyped-def]
    settings.PRIVACY_CONSENT_AT_LOGIN = True


@pytest.fixture
def new_version(monkeypatch):  # type: ignore[no-untyped-def]
    """A second version of the policy, in force since yesterday."""
    first = privacy.policies()[0]
    raw = {**first.raw, "version": "2099.1", "summary_zh": "新版摘要:增加了课堂签到的说明。"}
    second = privacy.PolicyVersion("2099.1", dt.date.today() - dt.timedelta(days=1), raw)
    monkeypatch.setattr(privacy, "policies", lambda: (first, second))
    return second


def registration(**overrides: str) -> dict[str, str]:
    data = {
        "name": "临海市新光眼镜有限公司",
        "kind": "firm",
        "uscc": generate_uscc(random.Random(7), region_code="331082"),
        "region": "杜桥镇",
        "applicant_name": "周海",
        "applicant_mobile": "13957612345",
        "username": "xinguang",
        "password1": "Duqiao-2026-glasses",
        "password2": "Duqiao-2026-glasses",
        "privacy_consent": "on",
        "privacy_version": privacy.current_policy().version,
    }
    data.update(overrides)
    return data


def test_the_policy_file_is_well_formed_and_shown_publicly():
    versions = privacy.policies()
    assert versions and privacy.current_policy() in versions
    page = Client().get("/accounts/privacy/").content.decode()
    assert versions[-1].title in page and versions[-1].sections[0][0] in page
    assert Client().get(f"/accounts/privacy/{versions[0].version}/").status_code == 200
    assert Client().get("/accounts/privacy/1999.9/").status_code == 404


def test_registration_records_who_agreed_to_which_version_and_when(client):
    before = dt.datetime.now(dt.UTC)
    response = client.post("/organisations/register/", registration())
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = PrivacyConsent.objects.get()
    assert consent.user.username == "xinguang"
    assert consent.version == privacy.current_policy().version
    assert consent.source == "registration" and consent.consented_at >= before
    # Agreed at registration: the first page after it is the organisation, not the consent page.
    assert client.get(response["Location"]).status_code == 200


def test_registration_without_agreeing_is_refused_with_the_summary_on_top(client):
    response = client.post("/organisations/register/", registration(privacy_consent=""))
    body = response.content.decode()
    assert response.status_code == 200 and not Organisation.objects.exists()
    assert 'class="form-summary" role="alert"' in body and 'href="#id_privacy_consent"' in body
    assert "请阅读并勾选同意隐私政策" in body and not PrivacyConsent.objects.exists()


def test_a_form_opened_before_the_policy_changed_is_sent_back(client, new_version):
    response = client.post("/organisations/register/", registration(privacy_version="2026.1"))
    assert response.status_code == 200 and not Organisation.objects.exists()
    assert "2099.1" in response.content.decode()


def test_a_new_version_is_asked_for_at_the_next_login(client, new_version):
    user = UserFactory(username="zhouhai")
    PrivacyConsent.objects.create(user=user, version="2026.1", source="registration")
    response = client.post("/accounts/login/", {"username": "zhouhai", "password": PASSWORD})
    assert response.status_code == 302
    following = client.get("/talents/")
    assert following.status_code == 302 and following["Location"].startswith("/accounts/privacy/consent/")
    page = client.get(following["Location"]).content.decode()
    assert "2099.1" in page and "新版摘要" in page
    # The policy itself and logging out stay reachable.
    assert client.get("/accounts/privacy/").status_code == 200
    refused = client.post("/accounts/privacy/consent/?next=/talents/", {"version": "2099.1"})
    assert refused.status_code == 200 and PrivacyConsent.objects.filter(user=user).count() == 1
    agreed = client.post(
        "/accounts/privacy/consent/", {"version": "2099.1", "agree": "on", "next": "/talents/"}
    )
    assert agreed.status_code == 302 and agreed["Location"] == "/talents/"
    latest = PrivacyConsent.objects.get(user=user, version="2099.1")
    assert latest.source == "login" and latest.ip == "127.0.0.1"
    assert client.get("/talents/").status_code != 302
    # The next login asks nothing.
    client.logout()
    client.post("/accounts/login/", {"username": "zhouhai", "password": PASSWORD})
    assert client.get("/talents/").status_code != 302


def test_someone_who_has_agreed_is_not_asked(client):
    user = UserFactory(username="agreed")
    services.privacy_consent_record(user=user, version=privacy.current_policy().version, source="login")
    services.privacy_consent_record(user=user, version=privacy.current_policy().version, source="login")
    assert PrivacyConsent.objects.filter(user=user).count() == 1
    client.post("/accounts/login/", {"username": "agreed", "password": PASSWORD})
    assert client.get("/talents/").status_code != 302


def test_only_the_version_in_force_may_be_agreed_to(new_version):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.privacy_consent_record(user=user, version="2026.1", source="login")
    assert error.value.code == "stale_version"
