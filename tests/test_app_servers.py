"""Several gunicorn instances on one PostgreSQL database and one Redis, and the faults they must survive.

PostgreSQL only (the servers share the test database, which SQLite's in-memory one cannot);
the Redis is the test's own redis-server. Each test is bounded to a few seconds of load.
"""

import concurrent.futures
import datetime
import shutil
import threading
import time

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from tasks.models import ProgressUpdate
from tests.factories import ProgressUpdateFactory, TaskFactory, UserFactory
from tests.servers import Browser, RedisServer, get, gunicorn

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the app servers share a PostgreSQL database"),
]

needs_redis = pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")


@pytest.fixture
def redis():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def signed_in_superuser():
    user = UserFactory(is_staff=True, is_superuser=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def task_with_updates(count):
    task = TaskFactory(title="Single window guide")
    updates = [
        ProgressUpdateFactory(
            task=task, reported_on=datetime.date(2020, 1, 1 + day), narrative=f"Narrative number {day}."
        )
        for day, n in enumerate(range(count))
    ]
    return task, updates


@needs_redis
def test_a_write_through_one_server_is_read_at_once_through_the_other(redis):
    task, updates = task_with_updates(4)
    admin = Browser(signed_in_superuser())
    with gunicorn(REDIS_URL=redis.url) as one, gunicorn(REDIS_URL=redis.url) as other:
        page = f"{other}/tasks/{task.pk}/"
        table = f"{other}/tasks/?q=Single+window"
        assert "Narrative number 3." in get(page)[1]
        assert "Narrative number 3." in get(table)[1]
        assert redis.keys() > 0  # the other server's pages are in the shared cache
        for latest in reversed(updates[1:]):
            status = admin.post_form(f"{one}/admin/tasks/progressupdate/{latest.pk}/delete/", {"post": "yes"})
            assert status == 200
            assert not ProgressUpdate.objects.filter(pk=latest.pk).exists()
            now = int(latest.narrative.split()[2].rstrip(".")) - 1
            for url in (page, table):
                body = get(url)[1]
                assert f"Narrative number {now}." in body
                assert latest.narrative not in body


def hammer(urls, seconds, *, during=None, workers=6):
    """Request the URLs from several threads for ``seconds``; run ``during(elapsed)`` meanwhile.

    Return (statuses, errors, slowest): a request that raises (a timeout, a reset) is an error.
    """
    stop = time.monotonic() + seconds
    statuses, errors, slowest = [], [], 0.0
    lock = threading.Lock()

    def loop(index):
        nonlocal slowest
        n = 0
        while time.monotonic() < stop:
            url = urls[(index + n) % len(urls)]
            n += 1
            started = time.monotonic()
            try:
                status, _body = get(url, timeout=15)
            except OSError as error:
                with lock:
                    errors.append(repr(error))
                continue
            with lock:
                statuses.append(status)
                slowest = max(slowest, time.monotonic() - started)

    with concurrent.futures.ThreadPoolExecutor(workers + 1) as pool:
        futures = [pool.submit(loop, i) for i in range(workers)]
        if during is not None:
            during()
        for future in futures:
            future.result(timeout=seconds + 30)
    return statuses, errors, slowest


@needs_redis
def test_stopping_redis_under_load_fails_no_request_and_caching_resumes(redis):
    task_with_updates(3)
    with gunicorn(REDIS_URL=redis.url, workers=3) as server:
        urls = [f"{server}/", f"{server}/tasks/", f"{server}/tasks/?status=in_progress", f"{server}/meetings/"]

        def outage():
            time.sleep(2)
            redis.stop()
            time.sleep(3)
            redis.start()

        statuses, errors, slowest = hammer(urls, 9, during=outage)
        assert errors == []
        assert statuses and set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
        assert slowest < 5
        # Back: within a few seconds the servers cache again (the restarted Redis started empty).
        deadline = time.monotonic() + 15
        while redis.keys() == 0 and time.monotonic() < deadline:
            for url in urls:
                get(url)
            time.sleep(0.5)
        assert redis.keys() > 0


def terminate_other_backends():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_cut_database_connections_fail_only_that_moment_and_servers_reconnect():
    task_with_updates(3)
    with gunicorn(workers=3) as server:
        urls = [f"{server}/", f"{server}/tasks/", f"{server}/meetings/"]
        cut = []

        def cut_connections():
            for _ in range(3):
                time.sleep(1.5)
                cut.append(terminate_other_backends())

        statuses, errors, slowest = hammer(urls, 7, during=cut_connections)
        failed = statuses.count(500)
        print(f"\n{len(statuses)} requests, {sum(cut)} connections cut, {failed} answered 500, slowest {slowest:.2f} s")
        assert sum(cut) > 0
        assert errors == []  # none hangs nor is dropped: a 200, or the 500 page
        assert set(statuses) <= {200, 500}
        assert slowest < 10
        assert failed < len(statuses) / 4
        # The servers reconnect by themselves on the next requests.
        assert [get(url)[0] for url in urls * 3] == [200] * 9
