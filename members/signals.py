"""What members announces, and what it does when records change outside its services
(the Django admin included)."""

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from guardian.models import GroupObjectPermission, UserObjectPermission

from taskforce.models import TaskForce

from .access import group_prefix
from .models import Agency, User, UserSession
from .sessions import end_sessions

# Sent when a membership ends, after it is saved: each app hands over that person's open work.
# Arguments: membership, ended_by, successor (the person who takes over, or None).
membership_ended = Signal()

# Sent by load_demo after the demo task forces and people exist, so that each app adds its part.
# Arguments: task_forces (dict slug -> TaskForce), people (dict email -> User).
demo_loaded = Signal()

# Sent by seed_scale after the statewide task forces, agencies and people exist.
# Arguments: task_forces (list of TaskForce), stdout (for progress lines).
scale_seeded = Signal()

# Sent by seed_scale --reset before it deletes the scale task forces: each app removes its rows
# first (their protected links would stop the task forces' deletion). Arguments: task_forces, stdout.
scale_deleting = Signal()


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and request.session.session_key:
        UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)


@receiver(post_save, sender=User)
def end_sessions_of_deactivated_user(sender, instance, **kwargs):
    if not instance.is_active:
        end_sessions(instance)


def _delete_object_permissions(instance):
    content_type = ContentType.objects.get_for_model(instance)
    for model in (UserObjectPermission, GroupObjectPermission):
        model.objects.filter(content_type=content_type, object_pk=str(instance.pk)).delete()


@receiver(post_delete, sender=TaskForce)
def clean_up_task_force_grants(sender, instance, **kwargs):
    _delete_object_permissions(instance)
    Group.objects.filter(name__startswith=group_prefix(instance.pk)).delete()


@receiver(post_delete, sender=Agency)
def clean_up_agency_grants(sender, instance, **kwargs):
    _delete_object_permissions(instance)
    Group.objects.filter(name=f"{group_prefix(instance.task_force_id)}agency:{instance.pk}:leads").delete()
