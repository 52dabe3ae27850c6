"""Routes per role (check_matrix), the public fair page, registration by code and the reports' export."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jingxiang.accounts.privacy import current_policy
from jingxiang.recruitment import services
from jingxiang.recruitment.models import Application, ApplicationStatus, Student
from jingxiang.recruitment.tests.conftest import PDF, register
from jingxiang.testing.matrix import RouteCase, check_matrix

STAFF = frozenset({"firm_admin", "talent_officer", "other_firm_admin", "operator"})


def test_routes_per_role(cast, otp_outbox, setup):
    student = register(otp_outbox, "13800000100")
    own, _other = services.apply(actor=student.user, jobs=[setup.job, setup.other_job])
    own_booth = setup.job.fair_firm
    fair = setup.fair
    cases = [
        RouteCase("fairs", "/recruitment/", STAFF),
        RouteCase("fairs export", "/recruitment/?export=xlsx", STAFF),
        RouteCase("fair", f"/recruitment/{fair.pk}/", STAFF),
        RouteCase("fair report", f"/recruitment/{fair.pk}/report/", STAFF),
        RouteCase("new fair", "/recruitment/new/", frozenset({"operator"})),
        RouteCase(
            "post job",
            f"/recruitment/booths/{own_booth.pk}/jobs/new/",
            frozenset({"firm_admin", "talent_officer", "operator"}),
        ),
        RouteCase("applications", "/recruitment/applications/", STAFF),
        RouteCase(
            "application",
            f"/recruitment/applications/{own.pk}/",
            frozenset({"firm_admin", "talent_officer", "operator"}),
        ),
        RouteCase("firm report", "/recruitment/report/", STAFF),
        RouteCase("student page", "/recruitment/me/", frozenset()),
    ]
    assert check_matrix(cast, cases) == []


def test_a_firm_lists_and_exports_only_its_own_applications(cast, otp_outbox, setup):
    student = register(otp_outbox, "13800000101", name="赵小燕")
    services.apply(actor=student.user, jobs=[setup.job, setup.other_job])
    client = Client()
    client.force_login(cast.firm_admin)
    page = client.get("/recruitment/applications/").content.decode()
    assert "验光" in page and "质检" not in page
    assert "赵小燕" not in page  # masked name in lists
    export = client.get("/recruitment/applications/?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    report = client.get(f"/recruitment/{setup.fair.pk}/report/?export=xlsx")
    assert report.status_code == 200


def test_public_page_registration_cv_and_apply_through_the_web(client, otp_outbox, setup):
    code = setup.fair.public_code
    page = client.get(f"/recruitment/f/{code}/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert client.get("/recruitment/f/NOPE/").status_code == 404
    client.post(f"/recruitment/f/{code}/register/", {"step": "code", "mobile": "13800000102"})
    sent = otp_outbox[-1].code
    bad = client.post(
        f"/recruitment/f/{code}/register/",
        {
            "step": "register",
            "mobile": "13800000102",
            "code": "x",
            "name": "钱",
            "school": "天津职业大学",
            "degree": "college",
            "graduation_year": 2026,
            "privacy_consent": "on",
            "privacy_version": current_policy().version,
        },
    )
    assert bad.status_code == 200 and not Student.objects.exists()
    client.post(
        f"/recruitment/f/{code}/register/",
        {
            "step": "register",
            "mobile": "13800000102",
            "code": sent,
            "name": "钱",
            "school": "天津职业大学",
            "degree": "college",
            "graduation_year": 2026,
            "privacy_consent": "on",
            "privacy_version": current_policy().version,
        },
    )
    assert Student.objects.filter(mobile="13800000102").exists()
    again = client.post(f"/recruitment/f/{code}/register/", {"step": "code", "mobile": "13800000102"})
    assert "已注册" in again.content.decode()
    not_pdf = client.post("/recruitment/me/", {"cv": SimpleUploadedFile("cv.pdf", b"GIF89a....")})
    assert "PDF" in not_pdf.content.decode()
    client.post("/recruitment/me/", {"cv": SimpleUploadedFile("cv.pdf", PDF)})
    client.post(f"/recruitment/f/{code}/apply/", {"jobs": [setup.job.pk, setup.other_job.pk]})
    assert Application.objects.count() == 2
    client.post(f"/recruitment/f/{code}/apply/", {"jobs": [setup.job.pk]})
    assert Application.objects.count() == 2


def test_offer_pdf_is_for_the_student_and_the_firm_only(cast, otp_outbox, setup):
    student = register(otp_outbox, "13800000103")
    own, _other = services.apply(actor=student.user, jobs=[setup.job, setup.other_job])
    services.applications_move(actor=cast.firm_admin, applications=[own], status=ApplicationStatus.SCREENED)
    services.offer_make(actor=cast.firm_admin, application=own, salary=Decimal("3900"))
    for user, status in (
        (student.user, 200),
        (cast.firm_admin, 200),
        (cast.other_firm_admin, 404),
        (cast.member, 404),
    ):
        client = Client()
        client.force_login(user)
        assert client.get(f"/recruitment/applications/{own.pk}/offer.pdf").status_code == status


def test_the_universitys_career_office_sees_its_fairs_totals_but_no_applications(cast, otp_outbox, setup):
    from jingxiang.organisations.models import Role
    from jingxiang.testing.factories import MembershipFactory, UserFactory

    office = UserFactory(username="career_office")
    MembershipFactory(user=office, organisation=setup.university, role=Role.MEMBER)
    student = register(otp_outbox, "13800000104")
    services.apply(actor=student.user, jobs=[setup.job, setup.other_job])
    client = Client()
    client.force_login(office)
    report = client.get(f"/recruitment/{setup.fair.pk}/report/")
    assert report.status_code == 200 and 'id="hires-total">0<' in report.content.decode()
    assert "<strong>2</strong>" in report.content.decode()
    listing = client.get("/recruitment/applications/").content.decode()
    assert "验光" not in listing
    assert client.get(f"/recruitment/applications/{Application.objects.first().pk}/").status_code == 404


def test_revoking_an_offer_through_the_page_needs_a_reason_and_only_the_firm_can(cast, otp_outbox, setup):
    student = register(otp_outbox, "13800000104")
    own, _other = services.apply(actor=student.user, jobs=[setup.job, setup.other_job])
    services.applications_move(actor=cast.firm_admin, applications=[own], status=ApplicationStatus.SCREENED)
    services.offer_make(actor=cast.firm_admin, application=own, salary=Decimal("3900"))
    url = f"/recruitment/applications/{own.pk}/offer/revoke/"
    outsider = Client()
    outsider.force_login(cast.other_firm_admin)
    assert outsider.post(url, {"reason": "x"}).status_code == 404
    firm = Client()
    firm.force_login(cast.firm_admin)
    detail = firm.get(f"/recruitment/applications/{own.pk}/").content.decode()
    assert url in detail and "data-confirm" in detail
    empty = firm.post(url, {"reason": ""}, follow=True)
    assert [m.level_tag for m in empty.context["messages"]] == ["error"]
    assert Application.objects.get(pk=own.pk).status == ApplicationStatus.OFFER
    done = firm.post(url, {"reason": "岗位调整"}, follow=True)
    assert "录用通知已撤销" in done.content.decode()
    assert Application.objects.get(pk=own.pk).status == ApplicationStatus.OFFER_REVOKED
    mine = Client()
    mine.force_login(student.user)
    assert "岗位调整" in mine.get("/recruitment/me/").content.decode()


def test_the_operator_invites_firms_through_the_picker_and_the_page_does_not_list_every_firm(cast, setup):
    from jingxiang.recruitment.models import FairFirm
    from jingxiang.testing.factories import OrganisationFactory

    many = [OrganisationFactory(name=f"临海市邀请测试{n:02d}眼镜有限公司") for n in range(40)]
    client = Client()
    client.force_login(cast.operator)
    page = client.get(f"/recruitment/{setup.fair.pk}/").content.decode()
    assert "临海市邀请测试07眼镜有限公司" not in page  # chosen by search, not a checkbox per firm
    done = client.post(f"/recruitment/{setup.fair.pk}/invite/", {"firms": [many[7].pk]}, follow=True)
    assert done.status_code == 200
    assert FairFirm.objects.filter(fair=setup.fair, firm=many[7]).exists()
    assert not FairFirm.objects.filter(fair=setup.fair, firm=many[8]).exists()
