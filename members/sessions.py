"""The browsers a person is signed in on (UserSession rows, recorded at sign-in)."""

from importlib import import_module

from django.conf import settings

from .models import UserSession


def end_sessions(user):
    """Sign the person out of every browser at once."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in UserSession.objects.filter(user=user):
        store(session.session_key).delete()
    UserSession.objects.filter(user=user).delete()
