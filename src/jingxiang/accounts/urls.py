from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from jingxiang.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("core:home")
        ),
        name="password_change",
    ),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/confirm/", views.password_reset_confirm, name="password_reset_confirm"),
    path("contact/", views.contact_verify, name="contact"),
    path("invite/talent/<int:talent_pk>/", views.talent_login_invite, name="invite"),
    path("claim/<str:token>/", views.login_claim, name="claim"),
    path("claim/<str:token>/resend/", views.login_claim_resend, name="claim_resend"),
    path("privacy/", views.privacy_policy, name="privacy"),
    path("privacy/consent/", views.privacy_consent, name="privacy_consent"),
    path("privacy/<str:version>/", views.privacy_policy, name="privacy_version"),
]
