"""The errors the apps' services raise for a request the rules refuse. Views catch ServiceError
and show its message (written for the person who asked) on the form or as a page message."""


class ServiceError(Exception):
    """A request that the rules refuse; the message is written for the person who asked."""
