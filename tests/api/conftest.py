import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def api_unthrottled(settings):
    """No throttling (the tests of throttling set a rate), and no request counts left from another test."""
    settings.ROADMAP_API_ANON_RATE = None
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def login_required(settings):
    settings.ROADMAP_REQUIRE_LOGIN = True


@pytest.fixture
def same_connection():
    """Let requests through the WSGI application use the test's connection, as Django's test client does.

    Django closes a connection at each request's start and end when it is not in autocommit mode,
    which a test's transaction never is (PostgreSQL would lose the test's data mid-test).
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
