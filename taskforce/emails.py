"""Every email of Taskforce is a subject/text/HTML triple of templates, rendered here. Tasks send
it: page emails are queued through the outbox (taskforce/outbox.py), reminders by the sweep that
recorded their notice, so a retried task sends nothing twice."""

from contextlib import nullcontext

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone


def render_email(template, context, to, *, time_zone=None, headers=None):
    """The message of templates/<template>_subject.txt, _body.txt and _body.html, its times shown
    in `time_zone` when given; the subject on one line."""
    with timezone.override(time_zone) if time_zone else nullcontext():
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to, headers=headers)
    message.attach_alternative(html, "text/html")
    return message
