import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskforce.settings")
application = get_wsgi_application()

from taskforce.checks import require_production_settings  # noqa: E402

require_production_settings()
