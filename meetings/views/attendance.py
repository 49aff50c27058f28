"""Invitations, answers and attendance; its URL patterns are collected by meetings/urls.py."""

urlpatterns = []
# Outside any task force (the answer links in invitation emails).
public_urlpatterns = []
