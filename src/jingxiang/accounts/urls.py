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
]
