"""HTML templates rendered to PDF with WeasyPrint, reading nothing but the project's own static files.

Templates name their stylesheets and images as "static:/css/pdf.css" (or with the STATIC_URL
prefix, e.g. "/static/css/pdf.css"); every other address (http, https, file, data, a path that
climbs out with "..") is refused, so a PDF can neither reach the network nor read the server's
files, whatever text ends up in it.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STATIC_SCHEME = "static:"
# Relative addresses resolve against this, so that "/static/…" and "css/…" reach the fetcher as they are.
BASE_URL = "static:/"


class ResourceRefused(ValueError):
    """A PDF asked for something outside the project's static files."""


def _static_roots():
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    return roots


def _relative_static_path(url):
    if url.startswith(STATIC_SCHEME):
        path = url[len(STATIC_SCHEME) :]
    elif settings.STATIC_URL and url.startswith(settings.STATIC_URL):
        path = url[len(settings.STATIC_URL) :]
    else:
        raise ResourceRefused(f"Only the project's static files may be used in a PDF, not {url[:100]!r}.")
    path = unquote(urlsplit(path).path)
    if "\x00" in path or "\\" in path:
        raise ResourceRefused("A static path may not contain NUL or backslash characters.")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        raise ResourceRefused(f"Not a static file path: {path[:100]!r}.")
    return posixpath.join(*parts)


def static_file_for_url(url):
    """The file under one of the project's static directories that `url` names, or ResourceRefused."""
    relative = _relative_static_path(url)
    found = finders.find(relative)
    if not found:
        raise ResourceRefused(f"No static file {relative!r}.")
    path = Path(found).resolve()
    if not path.is_file() or not any(path.is_relative_to(root) for root in _static_roots()):
        raise ResourceRefused(f"No static file {relative!r}.")
    return path


def static_only_url_fetcher(url, headers=None):
    """A WeasyPrint URL fetcher that serves the project's static files and refuses everything else.
    It never opens a connection, so there is no redirect to follow."""
    from weasyprint.urls import URLFetcherResponse

    path = static_file_for_url(url)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def _fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return static_only_url_fetcher(url, headers)

    return StaticOnlyURLFetcher(allow_redirects=False, allowed_protocols=())


def render_pdf(template_name, context, request=None):
    """Render a template to PDF bytes. The template must not mark user text safe: it is escaped."""
    import weasyprint

    html = render_to_string(template_name, context, request=request)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
    return document.write_pdf()
