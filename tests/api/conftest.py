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
