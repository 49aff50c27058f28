"""The export kinds that apps declare (from their AppConfig.ready), so that the engine names none
of them. Each kind says how to find its target for a person, through the app's own access helper
(the same answer as its pages: 404 to those who may not see it), and what to render for them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_kinds = {}


@dataclass(frozen=True)
class ExportKind:
    name: str  # "<app>.<what>", stored on each job
    label: str  # what a person calls it: "Minutes"
    template_name: str  # under templates/<app>/pdf/, rendered by taskforce.pdf.render_pdf
    # code -> the slug of the task force the target belongs to, or None if there is no such target
    task_force_slug: Callable[[str], str | None]
    # (user, task_force, code) -> the target; raises Http404 (or PermissionDenied) like the pages do
    get_target: Callable[[Any, Any, str], Any]
    # (user, task_force, target) -> the template context, redacted for that reader
    get_context: Callable[[Any, Any, Any], dict]
    # target -> the name to download the file under (in the task force's time zone)
    file_name: Callable[[Any], str]
    # target -> the title of the job: "Minutes: March meeting"
    title: Callable[[Any], str]


def register(kind):
    if kind.name in _kinds and _kinds[kind.name] != kind:
        raise ValueError(f"Export kind {kind.name!r} is already registered.")
    _kinds[kind.name] = kind
    return kind


def get(name):
    """The kind with this name; KeyError if no app declared it."""
    return _kinds[name]


def choices():
    return sorted((kind.name, kind.label) for kind in _kinds.values())
