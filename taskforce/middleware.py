import time

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


# The session's expiry moves forward when it is this old: a session write per minute of use, not
# per page (SESSION_SAVE_EVERY_REQUEST wrote the session table on every request).
RENEW_AFTER_SECONDS = 60


def mark_renewed(session):
    session["renewed_at"] = int(time.time())


def renew_session(get_response):
    """Idle sessions end SESSION_COOKIE_AGE after the last request (to the minute): a signed-in
    person's session is saved again, pushing its expiry and its cookie's forward, once it was last
    saved a minute ago or more (sign-in saves it first: taskforce.audit)."""

    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        signed_in = session is not None and request.user.is_authenticated and session.session_key
        if signed_in and time.time() - session.get("renewed_at", 0) >= RENEW_AFTER_SECONDS:
            mark_renewed(session)
        return response

    return middleware
