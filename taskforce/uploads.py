"""Checks for uploaded files: what a file is comes from its content, never from its name or
from the content type the browser claims, and no file is larger than MAX_UPLOAD_BYTES."""

import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    name: str
    label: str
    content_type: str
    extension: str


PDF = FileKind("pdf", "PDF", "application/pdf", ".pdf")
DOCX = FileKind(
    "docx", "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
XLSX = FileKind("xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PPTX = FileKind(
    "pptx", "PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"
)
PNG = FileKind("png", "PNG", "image/png", ".png")
JPEG = FileKind("jpeg", "JPEG", "image/jpeg", ".jpg")

DOCUMENTS = (PDF, DOCX, XLSX, PPTX, PNG, JPEG)

# The folder inside an Office Open XML package that says which application made it.
OFFICE_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}


def describe(kinds):
    labels = [kind.label for kind in kinds]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def _office_kind(file):
    try:
        names = zipfile.ZipFile(file).namelist()  # reads the directory only, never inflates a part
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError("Files with macros are not accepted. Save it without macros and try again.")
    found = {kind for prefix, kind in OFFICE_PARTS.items() if any(name.startswith(prefix) for name in names)}
    return found.pop() if len(found) == 1 else None


def detect_kind(file):
    """The kind of file its first bytes (and, for Office files, its zip directory) show, or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _office_kind(file)
        return None
    finally:
        file.seek(0)


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


def validate_upload(file, allowed=DOCUMENTS):
    """Return the FileKind of an uploaded file, or raise ValidationError with a message for its owner."""
    size = file.size or 0
    if size == 0:
        raise ValidationError("The file is empty.")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The file is {_megabytes(size)}; files can be {MAX_UPLOAD_BYTES // (1024 * 1024)} MB at most."
        )
    kind = detect_kind(file)
    if kind is None or kind not in allowed:
        raise ValidationError(
            f"This is not a {describe(allowed)} file. Only the file's content counts, not its name: "
            "save or export it in one of these formats and try again."
        )
    return kind


def clean_file_name(name, kind, max_length=200):
    """A name to show and to download the file under: no folders, no control characters, and the
    extension of what the file really is."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip(" .")
    stem = os.path.splitext(base)[0].strip() or "file"
    return stem[: max_length - len(kind.extension)] + kind.extension


def delete_files_with_rows(model, *field_names):
    """Delete a model's stored files once the deletion of its row is committed, however the row
    went (on its own, or with the task force it belonged to)."""

    def delete_files(sender, instance, **kwargs):
        for field_name in field_names:
            stored = getattr(instance, field_name)
            if stored.name:
                name, storage = stored.name, stored.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))

    post_delete.connect(delete_files, sender=model, weak=False, dispatch_uid=f"{model._meta.label}.files")


def stored_file_response(stored, name, content_type):
    """A stored upload as a download: served through a view that has checked permission, never
    sniffed as something else by the browser, never kept in a shared cache."""
    from django.http import FileResponse, Http404

    if not stored:
        raise Http404("There is no file.")
    try:
        handle = stored.open("rb")
    except OSError as error:
        raise Http404("The file is missing.") from error
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
