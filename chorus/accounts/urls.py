from django.contrib.auth import views as auth_views
from django.urls import path

from chorus.accounts import views, views_password, views_profile, views_signup

app_name = "accounts"

urlpatterns = [
    path("signup/", views_signup.signup, name="signup"),
    path("signup/finish/<str:token>/", views_signup.signup_finish, name="signup_finish"),
    path("signin/", views.signin, name="signin"),
    path("signin/code/", views.signin_code, name="signin_code"),
    path("signout/", views.signout, name="signout"),
    path("profile/", views_profile.profile, name="profile"),
    path("password/change/", views_profile.change_password, name="password_change"),
    path("email/change/", views_profile.change_email, name="email_change"),
    path("email/confirm/<str:token>/", views_profile.confirm_email, name="email_confirm"),
    path("language/", views.switch_language, name="language"),
    path("two-factor/", views_profile.two_factor_setup, name="two_factor_setup"),
    path("two-factor/disable/", views_profile.two_factor_disable, name="two_factor_disable"),
    path("password/reset/", views_password.ResetPassword.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views_password.ChooseNewPassword.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
]
