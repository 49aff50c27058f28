from .models import Notice


def unread_notices(request):
    """The unread count in the navigation (one query, only for people signed in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread_notices": Notice.objects.for_reader(user).unread().count()}
