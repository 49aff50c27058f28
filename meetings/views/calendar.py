"""Calendar files and personal feeds; its URL patterns are collected by meetings/urls.py."""

urlpatterns = []
# Outside any task force (a calendar app fetches these without a session).
public_urlpatterns = []
