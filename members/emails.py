from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import site_url


def send_templated(template_prefix, context, to):
    """Send the subject/text/HTML triple under templates/<template_prefix>_*."""
    subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
    text = render_to_string(f"{template_prefix}_body.txt", context)
    html = render_to_string(f"{template_prefix}_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def send_invitation(invitation):
    from .services import invitation_token

    link = site_url(reverse("accept-invitation", args=[invitation_token(invitation)]))
    send_templated(
        "members/emails/invitation",
        {"invitation": invitation, "link": link},
        [invitation.email],
    )
