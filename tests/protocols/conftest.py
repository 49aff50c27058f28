"""What the protocols tests share: a client for each role, and what one page view costs in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def client_as(request, login):
    """client_as(role) -> a client signed in as the person with that role ("anonymous": nobody)."""

    def client(role):
        return login(None if role == "anonymous" else request.getfixturevalue(role))

    return client


@pytest.fixture
def queries_to_get():
    """queries_to_get(client, url) -> the queries one GET of the page costs (it must answer 200)."""

    def count(client, url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    return count
