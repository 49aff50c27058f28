from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.ExportJobList.as_view(), name="job-list"),
    path("new/", views.job_create, name="job-create"),
    path("<uuid:code>/", views.job_detail, name="job-detail"),
    path("<uuid:code>/download/", views.job_download, name="job-download"),
]
