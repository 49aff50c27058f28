"""The personal-data check that trend briefs (and any free text about victims) go through."""

import pytest
from django.core.exceptions import ValidationError

from taskforce.pii import NoPiiValidator, find_pii, validate_no_pii


def kinds(text):
    return [reason.split(" (")[0] for reason in find_pii(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Contact jo.doe@example.com for more",
        "maria_lopez+work@mail.co.uk",
        "Reach her at JO@EXAMPLE.ORG.",
    ],
)
def test_it_finds_email_addresses(text):
    assert kinds(text) == ["an email address"]


@pytest.mark.parametrize(
    "text",
    [
        "called (555) 010-1234 twice",
        "(555)010-1234",
        "555-010-1234",
        "555.010.1234",
        "555 010 1234",
        "5550101234",
        "+1 555 010 1234",
        "1-555-010-1234",
        "+44 20 7946 0958",
        "+52 (55) 1234 5678",
        "her cell: 010-1234",
        "call 555-0123",
        "555\u2013010\u20131234",  # en dashes
        "555\u00a0010\u00a01234",  # non-breaking spaces
    ],
)
def test_it_finds_phone_numbers(text):
    assert kinds(text) == ["a phone number"]


@pytest.mark.parametrize("text", ["SSN 123-45-6789", "123 45 6789", "ssn: 123456789"])
def test_it_finds_ssn_like_numbers(text):
    assert kinds(text) == ["a Social Security number"]


@pytest.mark.parametrize(
    "text",
    [
        "03/14/2009",
        "3/14/09",
        "14/03/2009",
        "2009-03-14",
        "2009/03/14",
        "14.03.2009",
        "14-03-2009",
        "March 14, 2009",
        "Mar. 14th 2009",
        "14 March 2009",
        "the 14th of March, 2009",
        "DOB",
        "her d.o.b. is known",
        "date of birth withheld",
        "birthdate",
        "she was born on a farm",
    ],
)
def test_it_finds_dates_of_birth(text):
    assert kinds(text) == ["a date of birth"]


@pytest.mark.parametrize("text", ["1200 Harbor Road", "at 14 N. Main St", "77B Dockside Avenue"])
def test_it_finds_street_addresses(text):
    assert kinds(text) == ["a street address"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "2024",
        "12 people",
        "Between 2 and 5 workers, 2-5 per site",
        "26+ people",
        "Recruited in 2023, seen again in 2024",
        "2019-2024",
        "FY 2023-24",
        "Q1 2024",
        "March 2024",
        "From March 2024 to May 2024",
        "Jan-Mar 2024",
        "03/2024 to 05/2024",
        "2024-03",
        "between 100-1500 workers on 40 farms",
        "Three of 12 reported wages withheld for 6 weeks",
        "12 people on Main Street businesses",
        "In 2024 Harbor Road motels saw more adverts",
        "Route 9 truck stops",
        "version 1.2.3",
        "+5 more than last quarter",
        "Online adverts rose 150% in 90 days",
        "Phone confiscated by the employer",
        "Documents held; debts of about 3000 dollars",
    ],
)
def test_it_lets_patterns_years_counts_and_periods_through(text):
    assert find_pii(text) == []


def test_it_names_what_it_found_with_the_text_that_looks_like_it():
    assert find_pii("call 555-010-1234") == ['a phone number ("555-010-1234")']


def test_it_reports_each_kind_once_in_a_fixed_order():
    reasons = kinds("DOB 03/14/2009, phone 555-010-1234 or 555-010-9999, mail a@b.org, SSN 123-45-6789")
    assert reasons == ["an email address", "a phone number", "a Social Security number", "a date of birth"]


def test_a_phone_number_is_not_also_reported_as_an_ssn():
    assert kinds("+1 555 010 1234") == ["a phone number"]


class TestValidator:
    def test_it_accepts_clean_text(self):
        validate_no_pii("More labour trafficking reported on farms this quarter.")

    def test_it_refuses_with_a_message_that_names_what_was_found(self):
        with pytest.raises(ValidationError) as error:
            validate_no_pii("She gave 555-010-1234.")
        message = error.value.messages[0]
        assert message.startswith('This looks like a phone number ("555-010-1234"): remove it.')
        assert error.value.code == "pii"

    def test_it_names_every_kind_when_there_are_several(self):
        with pytest.raises(ValidationError) as error:
            validate_no_pii("born on 03/14/2009, jo@example.org")
        message = error.value.messages[0]
        assert "an email address and a date of birth" in message
        assert "remove them" in message

    def test_each_app_gives_its_own_closing_sentence(self):
        validator = NoPiiValidator("Trend briefs carry patterns, never anything that identifies a person.")
        with pytest.raises(ValidationError) as error:
            validator("DOB")
        assert error.value.messages[0].endswith(
            "Trend briefs carry patterns, never anything that identifies a person."
        )

    def test_validators_with_the_same_closing_are_equal_for_migrations(self):
        assert NoPiiValidator("x") == NoPiiValidator("x")
        assert NoPiiValidator("x") != NoPiiValidator("y")
