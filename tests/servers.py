"""Real app servers for tests: gunicorn instances on the test database, a Redis of their own.

Everything started here is stopped by the context managers, and every wait is bounded.
Ports come from ROADMAP_TEST_PORTS ("8350-8449") when set, else from the system.
"""

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
_used_ports = set()


def free_port():
    """Return a port nothing listens on, from ROADMAP_TEST_PORTS if set."""
    first, _, last = os.environ.get("ROADMAP_TEST_PORTS", "").partition("-")
    candidates = range(int(first), int(last) + 1) if last else [0] * 20
    for port in candidates:
        if port and port in _used_ports:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = sock.getsockname()[1]
        _used_ports.add(port)
        return port
    raise RuntimeError("no free port")


def database_url():
    """Return the URL of the database the test runs on (the servers share it)."""
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def server_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "ROADMAP_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.server_settings",
        DATABASE_URL=database_url(),
        DJANGO_DEBUG="0",
        # The servers share the test's key, as several servers must: sessions signed by one work on all.
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def gunicorn(*, workers=2, **env):
    """Run gunicorn on a free port for the block; yield its base URL."""
    port = free_port()
    environment = server_env(**env)
    log = tempfile.TemporaryFile()  # noqa: SIM115  (closed below)
    process = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-m", "gunicorn", "roadmap.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "20", "--graceful-timeout", "3", "--log-level", "warning"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def wait_until_up(base, process, log, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited: {log.read().decode(errors='replace')[-2000:]}")
        with contextlib.suppress(OSError):
            if get(base + "/accounts/login/", timeout=2)[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


class RedisServer:
    """A redis-server of the test's own, on a free port, without persistence; stopped and started at will."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def keys(self):
        """Return how many keys the server holds (DBSIZE)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(b"DBSIZE\r\n")
            return int(sock.recv(64).decode().strip().lstrip(":"))


def get(url, *, headers=None, opener=None, timeout=10):
    """GET a URL; return (status, body text). HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310  (loopback)
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class Browser:
    """A client with cookies, for signing in to the admin and posting its forms."""

    def __init__(self, session_key):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.session_key = session_key

    def get(self, url):
        return get(url, headers={"Cookie": f"sessionid={self.session_key}"}, opener=self.opener)

    def post_form(self, url, data):
        """GET the form at ``url``, then POST ``data`` with its CSRF token; return the status."""
        _status, html = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        csrf_cookie = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310
            url, data=body, headers={"Cookie": f"sessionid={self.session_key}; csrftoken={csrf_cookie}", "Referer": url}
        )
        try:
            with urllib.request.build_opener(urllib.request.HTTPRedirectHandler()).open(
                request, timeout=10
            ) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
