"""The site's URLs plus a bare view, for `manage.py bench` only: never the real ROOT_URLCONF."""

from django.http import HttpResponse
from django.urls import include, path

from taskforce.urls import handler403, handler404, handler500  # noqa: F401  (same error pages)


def bare(request):
    """The floor of every page: the middleware, the session and the signed-in user, no work."""
    return HttpResponse("ok")


urlpatterns = [
    path("__bench__/bare/", bare, name="bench-bare"),
    path("", include("taskforce.urls")),
]
