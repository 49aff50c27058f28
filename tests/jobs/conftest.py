"""Real Celery workers for the jobs tests: a `celery worker` process on its own broker (kombu's
filesystem broker on the SQLite leg, a Redis server of its own on the PostgreSQL + Redis leg, so
that parallel test processes never share a queue), the test's database and a file mailbox.

The test and the worker must see one database. On PostgreSQL it is the test database itself. The
SQLite test database lives in memory, where no other process can reach it: for the test, Django's
connection is moved to a file copy of it (made with SQLite's backup), which the worker opens too.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from kombu import Connection

from taskforce.celery import app as celery_app
from taskforce.celery import ensure_broker_folders
from taskforce.settings import filesystem_broker_options

BASE_DIR = Path(settings.BASE_DIR)
WAIT = 60  # seconds: a worker starts in a few; CI machines are slow and busy


def wait_for(condition, timeout=WAIT, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A Redis server of the test's own, on a free port, that the test stops and starts."""

    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 — our own command line
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.answers, what=f"redis-server on port {self.port}")

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


class Broker:
    """What the worker and this process publish to: url, transport options and environment."""

    def __init__(self, url, transport_options=None, redis=None):
        self.url, self.transport_options, self.redis = url, transport_options or {}, redis

    def connection(self):
        return Connection(self.url, transport_options=self.transport_options)

    def send(self, task_name, *args):
        with self.connection() as conn:
            celery_app.send_task(task_name, args=list(args), connection=conn)

    @contextmanager
    def for_this_process(self):
        """Web requests made in the test publish here too (the app's connection pools are made
        again for this broker, and again for the settings' one afterwards)."""
        conf = celery_app.conf
        # broker_write_url: broker_url itself gives way to a CELERY_BROKER_URL in the environment.
        saved = conf.get("broker_write_url"), conf.broker_transport_options
        conf.broker_write_url, conf.broker_transport_options = self.url, self.transport_options
        reset_pools()
        try:
            yield
        finally:
            conf.broker_write_url, conf.broker_transport_options = saved
            reset_pools()


def reset_pools():
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _eager_celery():
    """Not eager here (this replaces tests/conftest.py's fixture): tasks go to the real worker."""
    celery_app.conf.task_always_eager = False


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: the jobs tests start one of their own.")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(tmp_path, request):
    """The leg's broker, private to this test."""
    if settings.CELERY_BROKER_URL.startswith("redis"):
        redis = request.getfixturevalue("redis_server")
        return Broker(redis.url, redis=redis)
    # Where the worker's settings put it, with TASKFORCE_VAR_DIR=tmp_path / "var".
    options = filesystem_broker_options(tmp_path / "var" / "celery")
    ensure_broker_folders(options)
    return Broker("filesystem://", options)


@pytest.fixture
def shared_db(transactional_db, tmp_path):
    """The database the worker and the test both use; its URL for the worker."""
    settings_dict = connection.settings_dict
    if connection.vendor != "sqlite":
        user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"]
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        yield f"postgres://{user}{password}@{host}:{port or 5432}/{settings_dict['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    in_memory = connection.connection
    with sqlite3.connect(path) as copy:
        in_memory.backup(copy)
    copy.close()
    saved_name = settings_dict["NAME"]
    connection.connection = None  # keep the in-memory database open (closing it would drop it)
    settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = saved_name
        connection.connection = in_memory


class Worker:
    """A `celery -A taskforce worker` process (optionally with beat) in its own process group."""

    def __init__(self, folder, database_url, broker, **environment):
        self.folder, self.log = folder, folder / f"worker-{secrets.token_hex(3)}.log"
        self.mailbox = folder / "mailbox"
        self.env = {
            **os.environ,
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker.url,
            "TASKFORCE_VAR_DIR": str(folder / "var"),
            "EMAIL_BACKEND": "tests.jobs.mailbox.HoldingFileBackend",
            "EMAIL_FILE_PATH": str(self.mailbox),
            "SITE_URL": "https://tf.example.org",
            **{key: str(value) for key, value in environment.items()},
        }
        for key in ("PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER", "CELERY_TASK_ALWAYS_EAGER"):
            self.env.pop(key, None)
        self.process = None

    def start(self, concurrency=2, beat=False):
        # Through tests.clock: on a moved clock (tests/clock.py) the worker keeps the test's time.
        command = [sys.executable, "-m", "tests.clock", "celery", "-A", "taskforce", "worker"]
        command += ["--loglevel=INFO"]
        command += [f"--concurrency={concurrency}", "--without-gossip", "--without-mingle"]
        command += [f"--hostname=test-{secrets.token_hex(4)}@%h"]
        if beat:
            command += ["--beat", f"--schedule={self.folder / 'beat-schedule'}"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 — our own command line
                command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: " ready." in self.output() or self.process.poll() is not None, what="the worker")
        assert self.process.poll() is None, f"The worker stopped as it started:\n{self.output()}"
        return self

    def output(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def succeeded(self, task_name):
        """How many runs of the task this worker finished."""
        return len(re.findall(rf"Task {re.escape(task_name)}\[[^\]]+\] succeeded", self.output()))

    def kill(self):
        """SIGKILL the worker and its pool processes at once: nothing gets to clean up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_worker(tmp_path, shared_db, broker):
    """start_worker(concurrency, beat, on=a Broker (the leg's by default), **environment) -> a
    running Worker; every one is stopped after the test."""
    workers = []

    def start(concurrency=2, beat=False, on=None, **environment):
        worker = Worker(tmp_path, shared_db, on or broker, **environment)
        workers.append(worker)
        return worker.start(concurrency=concurrency, beat=beat)

    yield start
    for worker in workers:
        worker.stop()
