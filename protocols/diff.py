"""A readable line diff of two versions' texts, for people rather than for patch: every line is
escaped here, changed lines show which words changed, and long unchanged stretches fold away."""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

EQUAL, ADDED, REMOVED, SKIPPED = "equal", "added", "removed", "skipped"
CONTEXT = 3  # unchanged lines kept around each change
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")  # words, runs of spaces and single punctuation marks


@dataclass
class Row:
    kind: str
    old_number: int | None = None
    new_number: int | None = None
    html: SafeString = field(default_factory=lambda: mark_safe(""))  # noqa: S308 — empty
    skipped: int = 0  # for SKIPPED rows: how many unchanged lines are folded away


@dataclass
class Diff:
    rows: list
    added: int
    removed: int

    @property
    def identical(self):
        return self.added == 0 and self.removed == 0


def _lines(text):
    # Trailing newlines are not lines anyone wrote.
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")


def _marked(tokens, tag, changed):
    """The tokens, escaped, with the changed ones wrapped in <del> or <ins>."""
    if not changed or not tokens:
        return escape("".join(tokens))
    return format_html('<{} class="fw-bold">{}</{}>', tag, "".join(tokens), tag)


def _similarity(old_tokens, new_tokens):
    old_words = [token for token in old_tokens if not token.isspace()]
    new_words = [token for token in new_tokens if not token.isspace()]
    return SequenceMatcher(None, old_words, new_words, autojunk=False).ratio()


def _word_diff(old_line, new_line):
    """The two lines as HTML, the words that differ marked; plain lines when they differ too much."""
    old_tokens, new_tokens = _WORDS.findall(old_line), _WORDS.findall(new_line)
    if _similarity(old_tokens, new_tokens) < 0.5:  # a rewritten line reads better whole than as confetti
        return escape(old_line), escape(new_line)
    opcodes = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes()
    # A space between two changed words belongs to the change: one mark, not two.
    spans = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < index < len(opcodes) - 1 and all(token.isspace() for token in old_tokens[i1:i2])
        changed = op != "equal" or between_changes
        if spans and spans[-1][0] == changed:
            spans[-1][1:] = [spans[-1][1], i2, spans[-1][3], j2]
        else:
            spans.append([changed, i1, i2, j1, j2])
    old_parts = [_marked(old_tokens[i1:i2], "del", changed) for changed, i1, i2, _, _ in spans]
    new_parts = [_marked(new_tokens[j1:j2], "ins", changed) for changed, _, _, j1, j2 in spans]
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))  # noqa: S308 — parts escaped


def _rows(op, i1, i2, j1, j2, old_lines, new_lines):
    """The rows of one opcode: a changed line is a removed row then an added row."""
    if op == "equal":
        return [Row(EQUAL, i + 1, j1 + i - i1 + 1, escape(old_lines[i])) for i in range(i1, i2)]
    pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
    old_rows, new_rows = [], []
    for offset in range(pairs):
        old_html, new_html = _word_diff(old_lines[i1 + offset], new_lines[j1 + offset])
        old_rows.append(Row(REMOVED, old_number=i1 + offset + 1, html=old_html))
        new_rows.append(Row(ADDED, new_number=j1 + offset + 1, html=new_html))
    old_rows.extend(Row(REMOVED, old_number=i + 1, html=escape(old_lines[i])) for i in range(i1 + pairs, i2))
    new_rows.extend(Row(ADDED, new_number=j + 1, html=escape(new_lines[j])) for j in range(j1 + pairs, j2))
    return old_rows + new_rows


def line_diff(old_text, new_text, context=CONTEXT):
    """Rows of a unified diff of two texts: unchanged, removed and added lines (a changed line is a
    removed row then an added row, its changed words marked), with line numbers on both sides;
    beyond `context` lines of each change, unchanged lines fold into SKIPPED rows."""
    old_lines, new_lines = _lines(old_text), _lines(new_text)
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    changes = [(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    removed, added = sum(old for old, _ in changes), sum(new for _, new in changes)
    groups = matcher.get_grouped_opcodes(context) if changes else [matcher.get_opcodes()]
    rows, shown_to = [], 0
    for group in groups:
        if group[0][1] > shown_to:
            rows.append(Row(SKIPPED, skipped=group[0][1] - shown_to))
        for opcode in group:
            rows.extend(_rows(*opcode, old_lines, new_lines))
        shown_to = group[-1][2]
    if shown_to < len(old_lines):
        rows.append(Row(SKIPPED, skipped=len(old_lines) - shown_to))
    return Diff(rows=rows, added=added, removed=removed)
