from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from meetings import recurrence
from meetings.recurrence import Frequency, Week

NEW_YORK = "America/New_York"


def local(moments, zone=NEW_YORK):
    return [moment.astimezone(ZoneInfo(zone)) for moment in moments]


def local_days(pairs):
    return [start.date() for start in local([start for start, _ in pairs])]


class TestBuildRule:
    @pytest.mark.parametrize(
        ("frequency", "options", "rule"),
        [
            (
                Frequency.MONTHLY_WEEKDAY,
                {"weekday": 1, "week": Week.SECOND, "count": 12},
                "FREQ=MONTHLY;BYDAY=+2TU;COUNT=12",
            ),
            (
                Frequency.MONTHLY_WEEKDAY,
                {"weekday": 4, "week": Week.LAST, "count": 3},
                "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3",
            ),
            (Frequency.WEEKLY, {"weekday": 0, "count": 5}, "FREQ=WEEKLY;BYDAY=MO;COUNT=5"),
            (Frequency.FORTNIGHTLY, {"weekday": 2, "count": 5}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=5"),
            (Frequency.MONTHLY_DAY, {"day_of_month": 15, "count": 4}, "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=4"),
            (
                Frequency.WEEKLY,
                {"weekday": 3, "until": date(2027, 3, 1)},
                "FREQ=WEEKLY;BYDAY=TH;UNTIL=20270301T235959",
            ),
        ],
    )
    def test_it_writes_the_icalendar_rule(self, frequency, options, rule):
        assert recurrence.build_rule(frequency, **options) == rule

    def test_it_refuses_a_rule_without_an_end(self):
        with pytest.raises(ValueError):
            recurrence.build_rule(Frequency.WEEKLY, weekday=0)


class TestDescribe:
    @pytest.mark.parametrize(
        ("rule", "words"),
        [
            ("FREQ=MONTHLY;BYDAY=+2TU;COUNT=12", "Monthly on the second Tuesday at 10:00"),
            ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", "Monthly on the last Friday at 10:00"),
            ("FREQ=WEEKLY;BYDAY=MO;COUNT=5", "Weekly on Monday at 10:00"),
            ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=5", "Every two weeks on Wednesday at 10:00"),
            ("FREQ=MONTHLY;BYMONTHDAY=22;COUNT=4", "Monthly on the 22nd at 10:00"),
            ("FREQ=MONTHLY;BYMONTHDAY=11;COUNT=4", "Monthly on the 11th at 10:00"),
        ],
    )
    def test_it_reads_as_a_sentence(self, rule, words):
        assert recurrence.describe(rule, time(10, 0)) == words

    def test_it_says_how_the_series_ends(self):
        assert recurrence.describe_end("FREQ=MONTHLY;BYDAY=+2TU;COUNT=12") == "12 meetings"
        assert recurrence.describe_end("FREQ=WEEKLY;BYDAY=TH;UNTIL=20270301T235959") == "until 1 March 2027"

    def test_a_rule_it_does_not_know_is_shown_as_it_is(self):
        assert recurrence.describe("FREQ=YEARLY;COUNT=2") == "Repeating (FREQ=YEARLY;COUNT=2)"


class TestOccurrences:
    def test_monthly_meetings_stay_at_ten_local_time_across_daylight_saving(self):
        rule = "FREQ=MONTHLY;BYDAY=+2TU;COUNT=12"
        pairs = recurrence.occurrences(rule, date(2027, 1, 1), time(10, 0), 90, NEW_YORK)
        starts = [start for start, _ in pairs]

        assert [start.date() for start in local(starts)][:4] == [
            date(2027, 1, 12),
            date(2027, 2, 9),
            date(2027, 3, 9),
            date(2027, 4, 13),
        ]
        assert {start.time() for start in local(starts)} == {time(10, 0)}
        # Winter (EST, UTC-5) and summer (EDT, UTC-4): the UTC hour moves, the local hour does not.
        assert starts[2] == datetime(2027, 3, 9, 15, 0, tzinfo=UTC)
        assert starts[3] == datetime(2027, 4, 13, 14, 0, tzinfo=UTC)
        assert starts[10] == datetime(2027, 11, 9, 15, 0, tzinfo=UTC)
        assert all((end - start).total_seconds() == 90 * 60 for start, end in pairs)

    def test_the_first_meeting_is_the_first_matching_day_from_the_first_date(self):
        pairs = recurrence.occurrences(
            "FREQ=WEEKLY;BYDAY=TU;COUNT=2", date(2027, 1, 13), time(9, 0), 60, NEW_YORK
        )
        assert local_days(pairs) == [
            date(2027, 1, 19),
            date(2027, 1, 26),
        ]

    def test_a_series_ending_on_a_date_includes_a_meeting_on_that_day(self):
        rule = recurrence.build_rule(Frequency.WEEKLY, weekday=0, until=date(2027, 2, 1))
        pairs = recurrence.occurrences(rule, date(2027, 1, 18), time(16, 0), 60, NEW_YORK)
        assert local_days(pairs) == [
            date(2027, 1, 18),
            date(2027, 1, 25),
            date(2027, 2, 1),
        ]

    def test_a_day_of_the_month_that_a_month_lacks_is_skipped(self):
        pairs = recurrence.occurrences(
            "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3", date(2027, 1, 1), time(9, 0), 60, "UTC"
        )
        assert [start.date() for start, _ in pairs] == [
            date(2027, 1, 31),
            date(2027, 3, 31),
            date(2027, 5, 31),
        ]

    def test_a_rule_with_no_matching_day_gives_no_meeting(self):
        rule = recurrence.build_rule(
            Frequency.MONTHLY_WEEKDAY, weekday=1, week=Week.SECOND, until=date(2027, 1, 10)
        )
        assert recurrence.occurrences(rule, date(2027, 1, 1), time(10, 0), 90, NEW_YORK) == []

    def test_a_time_the_clocks_skip_moves_an_hour_later(self):
        # 14 March 2027: New York's clocks go from 02:00 straight to 03:00.
        pairs = recurrence.occurrences(
            "FREQ=WEEKLY;BYDAY=SU;COUNT=1", date(2027, 3, 14), time(2, 30), 60, NEW_YORK
        )
        assert local([pairs[0][0]])[0].time() == time(3, 30)

    def test_an_endless_rule_is_cut_off(self):
        pairs = recurrence.occurrences("FREQ=DAILY", date(2027, 1, 1), time(9, 0), 30, "UTC")
        assert len(pairs) == recurrence.MAX_OCCURRENCES
