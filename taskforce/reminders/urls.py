from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.NoticeList.as_view(), name="notice-list"),
    path("read-all/", views.notice_read_all, name="notice-read-all"),
    path("preferences/", views.PreferencesUpdate.as_view(), name="preferences"),
    path("<uuid:code>/read/", views.notice_read, name="notice-read"),
]
