"""The task force handbook: the PDF a new member reads on day one.

Each app contributes its sections in its own `handbook.py` (imported from its AppConfig.ready), so
that neither this module nor the exports engine names an app. A section builds its context for one
reader, redacted through members.access like the app's pages, with a query count that does not
grow with the number of rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from members import access
from taskforce.exports.registry import ExportKind
from taskforce.exports.registry import register as register_export

_sections = {}


@dataclass(frozen=True)
class HandbookSection:
    name: str  # "<app>.<what>", also the anchor of the section in the PDF
    title: str  # its heading and its line in the table of contents
    order: int  # where it goes: lower first
    template_name: str  # a partial under templates/<app>/pdf/, reading `section`
    # (user, task_force) -> the section's context, redacted for that reader; None leaves it out
    get_context: Callable[[Any, Any], dict | None]

    @property
    def anchor(self):
        return self.name.replace(".", "-")


@dataclass(frozen=True)
class HandbookPart:
    """One section as built for one reader."""

    section: HandbookSection
    context: dict

    @property
    def title(self):
        return self.section.title

    @property
    def anchor(self):
        return self.section.anchor

    @property
    def template_name(self):
        return self.section.template_name


def register(section):
    if section.name in _sections and _sections[section.name] != section:
        raise ValueError(f"Handbook section {section.name!r} is already registered.")
    _sections[section.name] = section
    return section


def sections():
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def handbook_context(user, task_force, target=None):
    """The parts of the handbook, in order, as this reader may read them."""
    parts = []
    for section in sections():
        context = section.get_context(user, task_force)
        if context is not None:
            parts.append(HandbookPart(section, context))
    return {"parts": parts}


# --- taskforce's own section ----------------------------------------------------------------


def about_context(user, task_force):
    return {"quorum": task_force.get_quorum_rule_display()}


register(
    HandbookSection(
        name="taskforce.about",
        title="About the task force",
        order=10,
        template_name="taskforce/pdf/handbook/_about.html",
        get_context=about_context,
    )
)


# --- the export -----------------------------------------------------------------------------


def handbook_file_name(task_force):
    return f"{task_force.slug}-handbook-{task_force.today():%Y-%m-%d}.pdf"


register_export(
    ExportKind(
        name="taskforce.handbook",
        label="Handbook",
        template_name="taskforce/pdf/handbook.html",
        task_force_slug=str,  # the target is the task force itself: its slug
        get_target=lambda user, task_force, slug: access.get_task_force_for_user(user, slug),
        get_context=handbook_context,
        file_name=handbook_file_name,
        title=lambda task_force: f"Handbook: {task_force.name}",
    )
)
