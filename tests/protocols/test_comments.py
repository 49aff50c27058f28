"""Reviewers' comments: the core team comments on a version while it is in review."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from protocols.models import ReviewComment, Status

from .factories import DocumentFactory, VersionFactory

NOW = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def comment_url(version):
    return reverse("protocols:comment-create", args=[version.document.task_force.slug, version.code])


@pytest.fixture
def in_review(task_force):
    return VersionFactory(
        document=DocumentFactory(task_force=task_force, title="Referral protocol"), status=Status.IN_REVIEW
    )


@pytest.fixture
def in_force(task_force):
    return VersionFactory(
        document=DocumentFactory(task_force=task_force), status=Status.IN_FORCE, effective_on=date(2027, 1, 1)
    )


def test_a_lead_comments_and_the_comment_is_shown_with_their_agency(login, lead, in_review):
    client = login(lead)
    page = client.get(in_review.get_absolute_url()).content.decode()
    assert 'name="body"' in page and "No comments yet." in page
    response = client.post(comment_url(in_review), {"body": "Add the <b>hotline</b> number."}, follow=True)
    comment = ReviewComment.objects.get(version=in_review)
    assert (comment.author, comment.agency.name, comment.body) == (
        lead,
        "Harbor County Sheriff's Office",
        "Add the <b>hotline</b> number.",
    )
    page = response.content.decode()
    assert "Your comment is added." in page
    assert "Add the &lt;b&gt;hotline&lt;/b&gt; number." in page
    assert "Lee Lead, Harbor County Sheriff" in page


def test_an_empty_comment_is_refused(login, lead, in_review):
    response = login(lead).post(comment_url(in_review), {"body": "  "}, follow=True)
    assert "Write your comment first." in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_comments_close_when_the_review_ends(login, coordinator, in_force):
    response = login(coordinator).post(comment_url(in_force), {"body": "Late thought"}, follow=True)
    assert "Comments are taken while the version is in review." in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_the_form_is_offered_to_reviewers_only(login, lead, coordinator, in_force, in_review):
    assert 'name="body"' not in login(lead).get(in_force.get_absolute_url()).content.decode()
    assert 'name="body"' in login(coordinator).get(in_review.get_absolute_url()).content.decode()


def test_an_admin_comments_without_an_agency(login, admin, in_review):
    login(admin).post(comment_url(in_review), {"body": "Fine by me."})
    assert ReviewComment.objects.get().agency is None


@pytest.mark.parametrize(
    ("role", "in_review_status", "in_force_status"),
    [
        ("anonymous", 302, 302),
        ("observer", 404, 403),
        ("member", 404, 403),
        ("lead", 302, 302),
        ("lead_other", 302, 302),
        ("other_coordinator", 404, 404),
        ("coordinator", 302, 302),
        ("admin", 302, 302),
    ],
)
def test_who_may_comment(client_as, in_review, in_force, role, in_review_status, in_force_status):
    client = client_as(role)
    assert client.post(comment_url(in_review), {"body": "A thought"}).status_code == in_review_status
    assert client.post(comment_url(in_force), {"body": "A thought"}).status_code == in_force_status
    expected = 1 if role in ("lead", "lead_other", "coordinator", "admin") else 0
    assert ReviewComment.objects.filter(version=in_review).count() == expected
    assert not ReviewComment.objects.filter(version=in_force).exists()
