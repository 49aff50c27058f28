from django.urls import reverse

from taskforce.emails import render_email

from .models import site_url
from .tokens import invitation_token


def send_invitation(invitation):
    link = site_url(reverse("accept-invitation", args=[invitation_token(invitation)]))
    render_email(
        "members/emails/invitation", {"invitation": invitation, "link": link}, [invitation.email]
    ).send()
