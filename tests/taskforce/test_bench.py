import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse

from taskforce.reminders.models import Notice


def bench(*args):
    out = StringIO()
    call_command("bench", "--iterations", "2", "--warmup", "1", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_table_for_the_largest_scale_task_force(db):
    call_command(
        "seed_scale", "--task-forces", "2", "--agencies-per", "3", "--people-per", "10", stdout=StringIO()
    )
    output = bench()
    assert "(scale-01): 3 agencies, 10 active memberships" in output
    for row in [
        "People directory, page 1",
        "People directory, last page",
        "Agencies, page 1",
        "Task force home",
        "Meetings, upcoming, page 1",
        "Meetings, past, page 1",
        "Meeting (",
        "Its agenda",
        "Decision log",
        "Action items",
        "My action items",
        "Overdue action items",
        "Trends",
        "Committees",
        "Bare view (middleware only)",
    ]:
        assert row in output
    assert "× admin" in output and "/admin/members/membership/?task_force__id__exact=" in output
    assert "/admin/meetings/meeting/?task_force__id__exact=" in output
    assert "/admin/meetings/actionitem/?task_force__id__exact=" in output
    assert "Handbook PDF (median of" in output and "scale-01" in output.split("Handbook PDF")[1]
    # The sweep runs twice: the second finds every reminder recorded and delivers nothing; all of
    # it is rolled back, so the bench leaves no notice behind.
    assert re.search(r"first sweep, record\s+[1-9][\d,]* items", output)
    assert re.search(r"second sweep, deliver\s+0 items", output)
    assert not Notice.objects.exists()


def test_it_asks_for_the_scale_data_first(db):
    with pytest.raises(CommandError, match="run manage.py seed_scale first"):
        bench()


def test_the_bare_view_is_no_url_of_the_site(login, member):
    with pytest.raises(NoReverseMatch):
        reverse("bench-bare")
    assert login(member).get("/__bench__/bare/").status_code == 404
