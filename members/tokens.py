"""The signed token of an invitation link (read back by services.invitation_from_token)."""

from django.core import signing

INVITATION_SALT = "members.invitation"


def invitation_token(invitation):
    return signing.dumps(str(invitation.code), salt=INVITATION_SALT)
