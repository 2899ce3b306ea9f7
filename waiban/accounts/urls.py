from django.contrib.auth import views as auth_views
from django.urls import path

from waiban.accounts.login import LoginForm
from waiban.accounts.passwords import PasswordChangeView
from waiban.accounts.second_factor import otp_enrol, otp_verify

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("second-factor/", otp_verify, name="otp_verify"),
    path("second-factor/enrol/", otp_enrol, name="otp_enrol"),
]
