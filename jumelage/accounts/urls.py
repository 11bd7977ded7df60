"""The sign-in and the password reset, under /admin/ (matched before the admin's own URLs)."""

from django.urls import path

from jumelage.accounts import views

urlpatterns = [
    path("login/", views.login, name="back_office_login"),
    path("password_reset/", views.PasswordResetView.as_view(), name="admin_password_reset"),
    path("password_reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password_reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password_reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
