"""Each area of the protocols app lists its own patterns next to its views."""

from .views import library, signatures, workflow

app_name = "protocols"

urlpatterns = [
    *library.urlpatterns,
    *workflow.urlpatterns,
    *signatures.urlpatterns,
]
