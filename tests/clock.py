"""A test run on a moved clock: `TEST_NOW=2028-02-29T23:30-05:00 make test` (or `pytest
--now=…`) starts the whole session at that instant and lets the clock run from there, so that a
test or a seed that only passes on some dates shows itself on any day.

The clock runs (tick) rather than stands still: timestamps keep their order and timeouts still
expire. The pytest-xdist workers and the real Celery workers of the jobs tests are started with
the offset between the moved clock and the real one (TEST_CLOCK_OFFSET) and keep to it, so every
process of the run sees the same time. The database's own clock is not moved: nothing in the
project asks the database for the time.
"""

import os
import runpy
import sys
import time
from datetime import UTC, datetime

import time_machine

NOW = "TEST_NOW"
OFFSET = "TEST_CLOCK_OFFSET"  # seconds from the real clock to the moved one


def parse(value):
    """An ISO 8601 instant; one without an offset is taken as UTC."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def move_to(moment):
    """Move this process's clock to `moment` and publish the offset to the processes it starts."""
    os.environ[OFFSET] = repr(moment.timestamp() - time.time())
    return keep_offset()


def keep_offset():
    """Run this process on the moved clock its parent published, if any; the instant it shows now."""
    offset = os.environ.get(OFFSET)
    if not offset:
        return None
    moment = datetime.fromtimestamp(time.time() + float(offset), tz=UTC)
    time_machine.travel(moment, tick=True).start()
    return moment


if __name__ == "__main__":
    # python -m tests.clock MODULE ARGS…: run `python -m MODULE ARGS…` on the parent's moved clock.
    keep_offset()
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
