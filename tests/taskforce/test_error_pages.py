from django.test import Client


def test_a_missing_page_is_a_styled_404(db, login, member):
    response = login(member).get("/tf/harbor/nothing-here/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_server_error_is_a_styled_500(db, settings):
    settings.ROOT_URLCONF = "tests.taskforce.broken_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
