from . import access


def navigation(request):
    """The task force switcher: the person's task forces and the one they are in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    task_forces = list(access.task_forces_for(user).order_by("name").only("slug", "name"))
    current_slug = (request.resolver_match.kwargs.get("tf") if request.resolver_match else None) or (
        request.session.get("task_force")
    )
    current = next((tf for tf in task_forces if tf.slug == current_slug), None)
    if current is None and task_forces:
        current = task_forces[0]
    return {
        "nav_task_forces": task_forces,
        "nav_task_force": current,
        "nav_action_items": current is not None and access.can_view_action_items(user, current),
        "nav_section": _section(request.resolver_match),
    }


def _section(match):
    """Which main navigation entry the page belongs to."""
    if match is None:
        return ""
    if match.namespace == "meetings":
        return "actions" if match.url_name.startswith("action-item") else "meetings"
    if match.namespace == "protocols":
        return "documents"
    if match.namespace == "members":
        return "agencies" if match.url_name.startswith("agency") else "people"
    if match.namespace == "taskforce":
        return "overview"
    return ""
