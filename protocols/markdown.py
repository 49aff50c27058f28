"""Markdown written in the browser, rendered to safe HTML: raw HTML in the text is shown as text,
links may only be http(s) or mailto, and no image or script is ever produced."""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
    "ul", "ol", "li", "strong", "em", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _below_the_page_heading(tokens):
    """A "# Heading" in the text becomes an h2: the page's own title is its only h1."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return tokens


def render_markdown(text):
    """The text as HTML that is safe to put in a page or a PDF."""
    tokens = _below_the_page_heading(_parser.parse(text or ""))
    html = _parser.renderer.render(tokens, _parser.options, {})
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3 above, never the raw text
