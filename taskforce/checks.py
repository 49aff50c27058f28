from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_production_settings():
    """Called as the web server or the worker starts: no development secrets with DEBUG off."""
    if settings.DEBUG:
        return
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment: DEBUG is off.")
    if not settings.ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS in the environment: DEBUG is off.")
