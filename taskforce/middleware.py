from django.utils import timezone


def reset_time_zone(get_response):
    """Each request starts in UTC; a task force page activates its own zone for itself only."""

    def middleware(request):
        timezone.deactivate()
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware
