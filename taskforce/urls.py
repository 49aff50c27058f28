from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from meetings import urls as meeting_urls
from members import views as member_views
from members.forms import SignInForm

from . import views

handler403 = "taskforce.views.permission_denied"
handler404 = "taskforce.views.page_not_found"
handler500 = "taskforce.views.server_error"

task_force_patterns = [
    path("", views.TaskForceHome.as_view(), name="home"),
    path("edit/", views.TaskForceUpdate.as_view(), name="update"),
]

account_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("profile/", member_views.Profile.as_view(), name="profile"),
    path("invitation/<str:token>/", member_views.accept_invitation, name="accept-invitation"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include(account_patterns)),
    path("tf/<slug:tf>/", include((task_force_patterns, "taskforce"))),
    path("tf/<slug:tf>/", include("members.urls")),
    path("tf/<slug:tf>/", include("meetings.urls")),
    path("tf/<slug:tf>/", include("protocols.urls")),
    path("", include((meeting_urls.public_urlpatterns, "meetings-public"))),
    path("notices/", include("taskforce.reminders.urls")),
    path("exports/", include("taskforce.exports.urls")),
    path("admin/", admin.site.urls),
]
