"""Markdown written in the browser: headings, lists and links render; raw HTML, scripts, event
handlers, images and javascript: links never do, on their own or in the document pages."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from protocols.markdown import render_markdown
from protocols.models import Status

from .factories import DocumentFactory, VersionFactory

HOSTILE = (
    "# Purpose\n\n"
    "<script>alert('body')</script>\n\n"
    "[Hotline](javascript:alert('link'))\n\n"
    "[Data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n\n"
    "<img src=x onerror=\"alert('img')\">\n\n"
    "![tracker](https://evil.example/pixel.png)\n\n"
    '<a href="javascript:alert(1)" onclick="alert(2)">raw link</a>\n\n'
    "- Call the [hotline](https://humantraffickinghotline.org)\n"
)


class Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML (text stays text)."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html):
    for tag, attrs in Elements(html).found:
        assert tag not in ("script", "img", "iframe", "object", "embed"), tag
        assert not any(name.startswith("on") for name in attrs), attrs
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), attrs


class TestRendering:
    def test_headings_lists_emphasis_and_web_links_render(self):
        html = render_markdown(
            "# Purpose\n\n## Steps\n\n- Call **now**\n- Then *log* it\n\n[Hotline](https://example.org)"
        )
        # One level down: the page's own title is its only h1.
        assert "<h2>Purpose</h2>" in html and "<h3>Steps</h3>" in html
        assert "<li>Call <strong>now</strong></li>" in html and "<em>log</em>" in html
        assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html

    def test_scripts_and_raw_html_are_shown_as_text(self):
        html = render_markdown(HOSTILE)
        assert_inert(html)
        assert "&lt;script&gt;" in html

    def test_javascript_and_data_links_lose_their_target(self):
        html = render_markdown(
            "[Hotline](javascript:alert(1)) and [x](data:text/html,hi) and [y](JaVaScRiPt:alert(1))"
        )
        assert "href" not in html

    def test_images_never_render(self):
        assert "<img" not in render_markdown("![tracker](https://evil.example/pixel.png)")

    def test_nothing_written_renders_nothing(self):
        assert render_markdown("") == "" and render_markdown(None) == ""


@pytest.fixture
def hostile(task_force, coordinator):
    document = DocumentFactory(task_force=task_force, title="Hostile protocol")
    in_force = VersionFactory(
        document=document, status=Status.IN_FORCE, effective_on=date(2026, 1, 1), body=HOSTILE
    )
    draft = VersionFactory(document=document, body=HOSTILE + "\nMore <script>alert('draft')</script>\n")
    return in_force, draft


class TestInThePages:
    def test_the_draft_editors_preview_is_inert(self, login, hostile, coordinator):
        _, draft = hostile
        url = reverse("protocols:version-update", args=[draft.document.task_force.slug, draft.code])
        page = login(coordinator).get(url).content.decode()
        preview = page.split('id="preview-title"')[1]
        assert_inert(preview)
        assert 'href="https://humantraffickinghotline.org"' in preview

    def test_the_compare_page_is_inert(self, login, hostile, coordinator):
        in_force, draft = hostile
        url = reverse(
            "protocols:version-compare", args=[in_force.document.task_force.slug, in_force.document.code]
        )
        page = login(coordinator).get(url).content.decode()
        assert_inert(page.split("<main")[1])
        assert "&lt;script&gt;alert(&#x27;draft&#x27;)&lt;/script&gt;" in page

    @pytest.mark.parametrize("page_name", ["document-detail", "version-detail"])
    def test_the_document_pages_are_inert(self, login, hostile, member, page_name):
        in_force, _ = hostile
        code = in_force.document.code if page_name == "document-detail" else in_force.code
        page = login(member).get(
            reverse(f"protocols:{page_name}", args=[in_force.document.task_force.slug, code])
        )
        assert page.status_code == 200
        body = page.content.decode().split("<main")[1]
        assert_inert(body)
        assert 'href="https://humantraffickinghotline.org"' in body
