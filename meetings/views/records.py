"""records pages of a meeting; its URL patterns are collected by meetings/urls.py."""

urlpatterns = []
