"""The PDF engine reads only the project's own static files: no network, no file outside static."""

import io
import socket
from datetime import UTC, datetime
from unittest.mock import patch

import pytest
from pypdf import PdfReader

from taskforce import pdf as pdf_module
from taskforce.pdf import ResourceRefused, render_pdf, static_file_for_url, static_only_url_fetcher


class TestStaticOnlyUrlFetcher:
    def test_it_serves_static_css_by_the_static_scheme(self):
        response = static_only_url_fetcher("static:/css/pdf.css")
        assert b"@page" in response.read()
        assert response.content_type == "text/css"

    def test_it_serves_static_css_by_the_static_url_prefix(self, settings):
        response = static_only_url_fetcher(f"{settings.STATIC_URL}css/pdf.css")
        assert b"@page" in response.read()

    @pytest.mark.parametrize(
        "url",
        [
            "http://example.org/style.css",
            "https://example.org/style.css",
            "http://169.254.169.254/latest/meta-data/",
            "file:///etc/passwd",
            "data:text/css,body{}",
            "ftp://example.org/x.css",
            "css/pdf.css",
            "//example.org/x.css",
        ],
    )
    def test_it_refuses_everything_but_static_files(self, url):
        with pytest.raises(ResourceRefused):
            static_only_url_fetcher(url)

    @pytest.mark.parametrize(
        "url",
        [
            "static:/../taskforce/settings.py",
            "static:/css/../../taskforce/settings.py",
            "static:/css/%2e%2e/%2e%2e/taskforce/settings.py",
            "static:/../../../../etc/passwd",
            "/static/../manage.py",
            "static:/css/..\\..\\manage.py",
            "static:/",
            "static:/css/missing.css",
        ],
    )
    def test_it_refuses_climbing_out_of_static_and_missing_files(self, url):
        with pytest.raises(ResourceRefused):
            static_file_for_url(url)

    def test_a_static_file_is_read_from_the_project_static_folder_not_static_root(self, settings, tmp_path):
        settings.STATIC_ROOT = tmp_path / "nothing-collected-here"
        assert static_file_for_url("static:/css/pdf.css").name == "pdf.css"


class TestRenderPdf:
    def test_it_renders_a_template_on_the_shared_layout_with_the_static_stylesheet(self, tmp_path, settings):
        (tmp_path / "report.html").write_text(
            '{% extends "pdf/base.html" %}{% block content %}<h1>Quarterly report</h1>{% endblock %}'
        )
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
        fetched = []
        real = pdf_module.static_only_url_fetcher

        def spy(url, headers=None):
            fetched.append(url)
            return real(url, headers)

        with patch.object(pdf_module, "static_only_url_fetcher", spy):
            pdf = render_pdf(
                "report.html",
                {
                    "task_force": {"name": "Harbor County Task Force"},
                    "reader": {"full_name": "Cora Coordinator", "email": "cora@example.org"},
                    "generated_at": datetime(2026, 3, 1, 9, tzinfo=UTC),
                },
            )
        assert pdf.startswith(b"%PDF-")
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "Quarterly report" in text and "Prepared for Cora Coordinator" in text
        assert "Page 1 of 1" in text  # the page counter comes from static/css/pdf.css
        assert fetched == ["static:/css/pdf.css"]

    def test_it_never_opens_a_network_connection_or_reads_outside_static(
        self, monkeypatch, tmp_path, settings
    ):
        def no_network(*args, **kwargs):
            raise AssertionError("The PDF engine tried to open a network connection.")

        monkeypatch.setattr(socket, "create_connection", no_network)
        monkeypatch.setattr(socket.socket, "connect", no_network)
        secret = tmp_path / "secret.css"
        secret.write_text('p::after { content: " LEAKED-FILE" }')
        template_dir = tmp_path / "templates"
        template_dir.mkdir()
        (template_dir / "hostile.html").write_text(
            "<html><head>"
            '<link rel="stylesheet" href="http://example.org/x.css">'
            f'<link rel="stylesheet" href="file://{secret}">'
            '<link rel="stylesheet" href="static:/../../../../../../..{secret}">'
            '<link rel="stylesheet" href="static:/css/pdf.css">'
            "</head><body><p>Hello</p>"
            '<img src="https://example.org/tracker.png" alt="">'
            '<img src="file:///etc/passwd" alt="">'
            "</body></html>"
        )
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir]}]
        pdf = render_pdf("hostile.html", {})
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "Hello" in text
        assert "LEAKED" not in text
