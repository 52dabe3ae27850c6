from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from jingxiang.alliance.api import AllianceViewSet, ObligationViewSet, TaskViewSet
from jingxiang.core import views as core_views
from jingxiang.organisations.api import OrganisationViewSet
from jingxiang.sharing.api import AgreementViewSet, BookingViewSet, StatementViewSet
from jingxiang.talents.api import SkillViewSet, TalentViewSet
from jingxiang.wagenorms.api import WageLineViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("talents", TalentViewSet, basename="talent")
router.register("skills", SkillViewSet, basename="skill")
router.register("sharing/agreements", AgreementViewSet, basename="sharing-agreement")
router.register("sharing/bookings", BookingViewSet, basename="sharing-booking")
router.register("sharing/statements", StatementViewSet, basename="sharing-statement")
router.register("wagenorms/lines", WageLineViewSet, basename="wagenorms-line")
router.register("alliance/alliances", AllianceViewSet, basename="alliance-alliance")
router.register("alliance/tasks", TaskViewSet, basename="alliance-task")
router.register("alliance/obligations", ObligationViewSet, basename="alliance-obligation")

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "运营后台"

urlpatterns = [
    path("", include("jingxiang.core.urls")),
    path("accounts/", include("jingxiang.accounts.urls")),
    path("organisations/", include("jingxiang.organisations.urls")),
    path("talents/", include("jingxiang.talents.urls")),
    path("jobs/", include("jingxiang.jobs.urls")),
    path("demands/", include("jingxiang.demands.urls")),
    path("sharing/", include("jingxiang.sharing.urls")),
    path("events/", include("jingxiang.events.urls")),
    path("academy/", include("jingxiang.academy.urls")),
    path("lab/", include("jingxiang.lab.urls")),
    path("alliance/", include("jingxiang.alliance.urls")),
    path("insights/", include("jingxiang.insights.urls")),
    path("services/", include("jingxiang.services.urls")),
    path("parks/", include("jingxiang.parks.urls")),
    path("wages/", include("jingxiang.wagenorms.urls")),
    path("recruitment/", include("jingxiang.recruitment.urls")),
    path("fund/", include("jingxiang.fund.urls")),
    path("taxfree/", include("jingxiang.taxfree.urls")),
    path("calendar/", include("jingxiang.calendars.urls")),
    path("fairs/", include("jingxiang.fairs.urls")),
    path("conversations/", include("jingxiang.conversations.urls")),
    path("reviewing/", include("jingxiang.reviewing.urls")),
    path("competition/", include("jingxiang.competition.urls")),
    # The language switch also remembers the choice on the account (core.views.language_switch).
    path("i18n/setlang/", core_views.language_switch, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
]

handler404 = "jingxiang.core.errors.not_found"
handler500 = "jingxiang.core.errors.server_error"
handler403 = "jingxiang.core.errors.forbidden"
