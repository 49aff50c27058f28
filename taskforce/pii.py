"""A check for obvious personal data in free text: email addresses, phone numbers, SSN-like
numbers, dates of birth and street addresses.

It is a net for slips, not a guarantee: it looks for the shapes these things usually take and
names what it found, so that the writer can take it out. Years, counts and reported periods
("2024", "12 people", "March 2024", "03/2024", "Q1 2024") are not personal data and pass.
Any app whose free text carries trend or victim-related notes validates it with
`validate_no_pii` (or a `NoPiiValidator` with its own closing sentence).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import get_text_list

EMAIL = "an email address"
PHONE = "a phone number"
SSN = "a Social Security number"
DATE_OF_BIRTH = "a date of birth"
ADDRESS = "a street address"

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
ORDINAL = r"(?:st|nd|rd|th)?"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)

# US numbers: (555) 010-1234, 555-010-1234, 555.010.1234, 555 010 1234, 5550101234, +1 555 010 1234.
_US_PHONE = re.compile(
    r"(?<![\d+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\d])"
)
# International numbers start with +: +44 20 7946 0958, +52 (55) 1234 5678.
_INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+\d[\d\s().-]{5,}\d")
# A shorter number right after a phone word: "call 555-0123", "tel. 010 1234".
_NAMED_PHONE = re.compile(
    r"\b(?:phone|telephone|tel|cell|cellphone|mobile|call|text|whatsapp|signal|fax)\b\.?"
    r"(?:\s*(?:no\.?|number|#|:))?\s*(\+?[\d(][\d\s().-]{5,}\d)",
    re.IGNORECASE,
)

# 123-45-6789, 123 45 6789, and nine digits in a row.
_SSN = re.compile(r"(?<![\d-])(?:\d{3}([-\s])\d{2}\1\d{4}|\d{9})(?![\d-])")

# Numeric dates, day first or month first: 03/14/2009, 14.03.2009, 14-03-2009, 3/14/09.
_NUMERIC_DATE = re.compile(
    r"(?<![\d./-])(\d{1,2})(?:/(\d{1,2})/(\d{4}|\d{2})|\.(\d{1,2})\.(\d{4})|-(\d{1,2})-(\d{4}))(?![\d./-]*\d)"
)
# Year first: 2009-03-14, 2009/03/14, 2009.03.14.
_ISO_DATE = re.compile(r"(?<![\d./-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d./-]*\d)")
# Words: March 14, 2009; Mar. 14th 2009; 14 March 2009; 14th of March, 2009.
_WORDY_DATE = re.compile(
    rf"\b(?:{MONTHS}\.?\s+\d{{1,2}}{ORDINAL},?\s+\d{{4}}|\d{{1,2}}{ORDINAL}\s+(?:of\s+)?{MONTHS}\.?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)
_BIRTH_WORDS = re.compile(
    r"\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|born\s+on)",
    re.IGNORECASE,
)

# A house number and a street: "1200 Harbor Road", "14 N. Main St". Capitalised names only, so
# "12 people on Main Street" passes, and so does a year before a name ("in 2024 Harbor Road").
_ADDRESS = re.compile(
    r"\b(?!(?:19|20)\d\d\b)\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){1,4}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way"
    r"|Terrace|Circle|Highway|Hwy|Parkway|Pkwy)\b\.?"
)

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-"})
_SPACES = re.compile(r"[\u00a0\u2007\u202f]")


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    def __str__(self):
        return f'{self.kind} ("{self.text}")'


def _digits(text):
    return sum(character.isdigit() for character in text)


def _is_day_and_month(first, second):
    """Either order: 03/14 (month, day) or 14/03 (day, month)."""
    first, second = int(first), int(second)
    return (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31)


def _emails(text):
    yield from (match.group() for match in _EMAIL.finditer(text))


def _phones(text):
    for match in _US_PHONE.finditer(text):
        yield match.group().strip()
    for match in _INTERNATIONAL_PHONE.finditer(text):
        number = match.group().rstrip(" .-(")
        if 8 <= _digits(number) <= 15:
            yield number
    for match in _NAMED_PHONE.finditer(text):
        if 7 <= _digits(match.group(1)) <= 15:
            yield match.group(1).strip()


def _ssns(text):
    yield from (match.group() for match in _SSN.finditer(text))


def _dates_of_birth(text):
    for match in _BIRTH_WORDS.finditer(text):
        yield match.group()
    for match in _NUMERIC_DATE.finditer(text):
        day_and_month = [group for group in match.groups() if group is not None][:2]
        if _is_day_and_month(*day_and_month):
            yield match.group()
    for match in _ISO_DATE.finditer(text):
        year, _, month, day = match.groups()
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 and 1900 <= int(year) <= 2100:
            yield match.group()
    yield from (match.group() for match in _WORDY_DATE.finditer(text))


def _addresses(text):
    yield from (match.group().strip() for match in _ADDRESS.finditer(text))


CHECKS = [
    (EMAIL, _emails),
    (PHONE, _phones),
    (SSN, _ssns),
    (DATE_OF_BIRTH, _dates_of_birth),
    (ADDRESS, _addresses),
]


def find(text):
    """The first thing of each kind that looks like personal data, as Findings."""
    if not text:
        return []
    text = _SPACES.sub(" ", str(text).translate(_DASHES))
    found = []
    for kind, check in CHECKS:
        first = next(iter(check(_without(text, found))), None)
        if first is not None:
            found.append(Finding(kind, first))
    return found


def _without(text, found):
    """Blank out what earlier checks found, so one number is not reported twice
    (an email's digits as a phone, a phone's digits as an SSN)."""
    for finding in found:
        text = text.replace(finding.text, " " * len(finding.text))
    return text


def find_pii(text):
    """Human reasons, one per kind found, e.g. ['a phone number ("555-010-1234")']; empty if none."""
    return [str(finding) for finding in find(text)]


DEFAULT_CLOSING = "Share patterns, never anything that identifies a person."


@deconstructible
class NoPiiValidator:
    """Refuses text that looks like it holds personal data, naming what it found."""

    code = "pii"

    def __init__(self, closing=DEFAULT_CLOSING):
        self.closing = closing

    def __call__(self, value):
        found = find(value)
        if not found:
            return
        what = get_text_list([finding.kind for finding in found], "and")
        examples = ", ".join(f'"{finding.text}"' for finding in found)
        them = "them" if len(found) > 1 else "it"
        raise ValidationError(
            "This looks like %(what)s (%(examples)s): remove %(them)s. %(closing)s",
            code=self.code,
            params={"what": what, "examples": examples, "them": them, "closing": self.closing},
        )

    def __eq__(self, other):
        return isinstance(other, NoPiiValidator) and self.closing == other.closing


validate_no_pii = NoPiiValidator()
