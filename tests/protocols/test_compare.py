"""Comparing two versions: a readable, escaped line diff of the texts, only among the versions the
reader may read, and a plain word when the texts are identical or a version is only a file."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from protocols.diff import ADDED, EQUAL, REMOVED, SKIPPED, line_diff
from protocols.models import Status

from .factories import DocumentFactory, VersionFactory

FIRST = (
    "# Purpose\n\nRefer a potential victim within 24 hours.\n\n- Call the hotline\n- Tell the coordinator\n"
)
SECOND = (
    "# Purpose\n\nRefer a potential victim within 12 hours.\n\n"
    "- Call the hotline\n- Tell the shelter\n- Log it\n"
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def protocol(task_force):
    document = DocumentFactory(task_force=task_force, title="Referral protocol")
    VersionFactory(document=document, status=Status.SUPERSEDED, body=FIRST, change_summary="First text.")
    VersionFactory(
        document=document,
        status=Status.IN_FORCE,
        effective_on=date(2026, 1, 1),
        body=SECOND,
        change_summary="Faster",
    )
    document.refresh_from_db()
    return document


def compare_url(document, **params):
    url = reverse("protocols:version-compare", args=[document.task_force.slug, document.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


class TestTheDiff:
    def test_a_changed_line_is_a_removed_row_then_an_added_row_with_the_words_marked(self):
        diff = line_diff("within 24 hours\n", "within 12 hours\n")
        assert [(row.kind, row.old_number, row.new_number) for row in diff.rows] == [
            (REMOVED, 1, None),
            (ADDED, None, 1),
        ]
        assert str(diff.rows[0].html) == 'within <del class="fw-bold">24</del> hours'
        assert str(diff.rows[1].html) == 'within <ins class="fw-bold">12</ins> hours'
        assert (diff.added, diff.removed) == (1, 1)

    def test_added_and_removed_lines_are_counted(self):
        diff = line_diff(FIRST, SECOND)
        kinds = [row.kind for row in diff.rows]
        assert kinds.count(ADDED) == 3 and kinds.count(REMOVED) == 2
        assert (diff.added, diff.removed) == (3, 2)
        assert not diff.identical

    def test_every_line_is_escaped(self):
        diff = line_diff("Safe line\n", "Safe line\n<script>alert('x')</script> & <b>bold</b>\n")
        html = "".join(str(row.html) for row in diff.rows)
        assert "<script>" not in html and "<b>" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html

    def test_changed_words_are_escaped_too(self):
        diff = line_diff("call <a>\n", "call <img src=x onerror=alert(1)>\n")
        html = "".join(str(row.html) for row in diff.rows)
        assert "<img" not in html and "&lt;img" in html

    def test_identical_texts_are_identical(self):
        diff = line_diff(FIRST, FIRST.replace("\n", "\r\n") + "\n")
        assert diff.identical and all(row.kind == EQUAL for row in diff.rows)

    def test_long_unchanged_stretches_are_folded(self):
        old = "\n".join(f"line {n}" for n in range(1, 41))
        new = old.replace("line 20", "line twenty")
        diff = line_diff(old, new)
        assert [row.kind for row in diff.rows][0] == SKIPPED and diff.rows[0].skipped == 16
        assert diff.rows[-1].kind == SKIPPED and diff.rows[-1].skipped == 17
        assert len([row for row in diff.rows if row.kind == EQUAL]) == 6

    def test_a_rewritten_line_is_shown_whole_not_word_by_word(self):
        diff = line_diff("The shelter calls the coordinator.\n", "Agencies log every referral online.\n")
        assert "<del" not in str(diff.rows[0].html) and "<ins" not in str(diff.rows[1].html)


class TestThePage:
    def test_by_default_it_compares_the_newest_with_the_one_before(self, login, protocol, member):
        response = login(member).get(compare_url(protocol))
        assert response.status_code == 200
        assert (response.context["old"].number, response.context["new"].number) == (1, 2)
        page = response.content.decode()
        assert 'within <del class="fw-bold">24</del> hours.' in page
        assert 'within <ins class="fw-bold">12</ins> hours.' in page
        assert "3 lines added, 2 lines removed" in page

    def test_any_two_versions_can_be_chosen(self, login, protocol, coordinator):
        VersionFactory(document=protocol, body=SECOND + "\nA third paragraph.\n")
        response = login(coordinator).get(compare_url(protocol, a=1, b=3))
        assert (response.context["old"].number, response.context["new"].number) == (1, 3)
        assert "A third paragraph." in response.content.decode()

    def test_the_text_is_escaped_in_the_page(self, login, protocol, member):
        VersionFactory(
            document=protocol,
            status=Status.APPROVED,
            body=SECOND + "<script>alert('x')</script>\n[click](javascript:alert(1))\n",
        )
        page = login(member).get(compare_url(protocol, a=2, b=3)).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
        assert 'href="javascript' not in page

    def test_identical_texts_are_said_to_be_identical(self, login, protocol, member):
        VersionFactory(document=protocol, status=Status.APPROVED, body=SECOND)
        page = login(member).get(compare_url(protocol, a=2, b=3)).content.decode()
        assert "The texts of version 2 and version 3 are identical." in page

    def test_the_same_version_twice_is_said(self, login, protocol, member):
        page = login(member).get(compare_url(protocol, a=2, b=2)).content.decode()
        assert "You chose version 2 twice" in page

    def test_a_version_with_only_a_file_is_said_with_its_file(self, login, protocol, member):
        version = VersionFactory(document=protocol, status=Status.APPROVED, body="")
        version.file.save("x", ContentFile(b"%PDF-1.7\n"), save=False)
        version.file_name, version.file_content_type = "Signed MOU.pdf", "application/pdf"
        version.save()
        page = login(member).get(compare_url(protocol, a=2, b=3)).content.decode()
        assert "Version 3 has only a file" in page and "Signed MOU.pdf" in page
        assert reverse("protocols:version-file", args=[protocol.task_force.slug, version.code]) in page

    def test_a_member_may_not_pick_a_draft(self, login, protocol, member, coordinator):
        draft = VersionFactory(document=protocol, body="Secret draft wording.")
        response = login(member).get(compare_url(protocol, a=2, b=draft.number))
        assert [version.number for version in response.context["versions"]] == [1, 2]
        assert (response.context["old"].number, response.context["new"].number) == (1, 2)  # back to default
        assert "Secret draft wording." not in response.content.decode()
        response = login(coordinator).get(compare_url(protocol, a=2, b=draft.number))
        assert "Secret draft wording." in response.content.decode()

    def test_nonsense_choices_fall_back_to_the_default(self, login, protocol, member):
        response = login(member).get(compare_url(protocol, a="x", b=99))
        assert response.status_code == 200
        assert (response.context["old"].number, response.context["new"].number) == (1, 2)

    def test_one_version_alone_has_nothing_to_compare(self, login, task_force, member):
        document = DocumentFactory(task_force=task_force)
        VersionFactory(document=document, status=Status.IN_FORCE, effective_on=date(2026, 1, 1))
        page = login(member).get(compare_url(document)).content.decode()
        assert "only one version you may read" in page

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 302),
            ("observer", 200),
            ("member", 200),
            ("lead_other", 200),
            ("other_coordinator", 404),
            ("coordinator", 200),
            ("admin", 200),
        ],
    )
    def test_who_may_compare(self, client_as, protocol, who, status):
        assert client_as(who).get(compare_url(protocol)).status_code == status

    def test_its_query_count_does_not_grow_with_versions(self, login, protocol, coordinator, queries_to_get):
        client = login(coordinator)
        client.get(compare_url(protocol))
        few = queries_to_get(client, compare_url(protocol))
        for _ in range(20):
            VersionFactory(document=protocol, status=Status.SUPERSEDED, body=FIRST)
        assert queries_to_get(client, compare_url(protocol)) == few
