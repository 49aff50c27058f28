"""Stored files go with their rows: a version's file and a signatory's signed page."""

from taskforce.uploads import delete_files_with_rows

from .models import Signatory, Version

delete_files_with_rows(Version, "file")
delete_files_with_rows(Signatory, "signed_page")
