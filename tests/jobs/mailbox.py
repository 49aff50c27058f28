"""The test mailbox of the real-worker tests: Django's file backend (one file per connection,
messages in order), whose "server" can hang before a given message so the test kills the worker
there, as a crash in the middle of a sweep."""

import os
import time
from pathlib import Path

from django.core.mail.backends import filebased


class HoldingFileBackend(filebased.EmailBackend):
    """With MAILBOX_HOLD_AFTER=n, the (n+1)th message of this process is never written: the
    backend touches MAILBOX_HOLD_MARKER and waits there until the worker is killed."""

    written = 0

    def write_message(self, message):
        hold_after = int(os.environ.get("MAILBOX_HOLD_AFTER", "0"))
        if hold_after and HoldingFileBackend.written >= hold_after:
            Path(os.environ["MAILBOX_HOLD_MARKER"]).touch()
            time.sleep(3600)
        super().write_message(message)
        HoldingFileBackend.written += 1


def message_ids(folder):
    """The Message-ID of every email written to the mailbox folder, repeats included."""
    ids = []
    for path in Path(folder).glob("*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("Message-ID: "):
                ids.append(line.removeprefix("Message-ID: ").strip())
    return ids
