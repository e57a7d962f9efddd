import os
import shutil
import tempfile

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from editions.models import Edition
from tasks.models import Meeting, Status, Task, WorkingGroup
from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.editions import issued
from tests.factories import MeetingFactory, ProgressUpdateFactory, UserFactory
from tests.roadmaps import build_small_roadmap


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """Keep the test database (``--reuse-db``), and always under ``make mutation`` (its runs start from a copy)."""
    if os.environ.get("ROADMAP_TEST_DB_TEMPLATE"):
        return True
    return request.config.getvalue("reuse_db") and not request.config.getvalue("create_db")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Under ``make mutation``, start from a copy of a database migrated once, not from the migrations.

    mutmut runs the tests once per mutant; migrating an empty SQLite database took most of each
    run. ``make mutation`` migrates ``ROADMAP_TEST_DB_TEMPLATE`` once; each run works on its own
    copy (runs go in parallel), kept as it is (``django_db_keepdb``), deleted at the end (with its
    write-ahead log).
    """
    template = os.environ.get("ROADMAP_TEST_DB_TEMPLATE")
    if not template:
        yield
        return
    from django.conf import settings

    # Beside the template, where `make mutation` empties them: a run mutmut kills leaves its copy.
    runs = os.path.join(os.path.dirname(template), "mutation-runs")
    os.makedirs(runs, exist_ok=True)
    folder = tempfile.mkdtemp(dir=runs)
    copy = os.path.join(folder, "test.sqlite3")
    shutil.copyfile(template, copy)
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = copy
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def seed(db):
    """The road map as reported to the Second Meeting of the IISG, loaded the way `make run` does."""
    call_command("load_seed", verbosity=0)


@pytest.fixture
def roadmap(db):
    """A small road map made with factories (tests/roadmaps.py): for tests not about the seed itself."""
    return build_small_roadmap()


@pytest.fixture
def secretariat(db):
    """A staff member of the secretariat: in the Secretariat group, no superuser powers."""
    user = UserFactory(username="secretariat", is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


@pytest.fixture
def twg_editor(seed):
    """A staff member of the Technical Working Group: edits that group's tasks and updates only."""
    user = UserFactory(username="twg_editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Working-group editor"))
    WorkingGroup.objects.get(slug="twg").editors.add(user)
    return user


@pytest.fixture
def twg_editor_client(client, twg_editor):
    client.force_login(twg_editor)
    return client


@pytest.fixture
def delegate(db):
    """A delegate of a member State: an ordinary account that reads and never changes."""
    return UserFactory(username="delegate")


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def delegate_client(client, delegate):
    client.force_login(delegate)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply: PBKDF2's deliberate slowness only costs test time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def second_secretariat(db):
    """Another member of the secretariat: the second pair of eyes that clears an edition."""
    user = UserFactory(username="clearer", is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


@pytest.fixture(autouse=True)
def issued_editions_removed_after_transactional_tests(request):
    """Remove issued editions before a transactional test's flush, which SQLite's triggers would refuse.

    PostgreSQL flushes with TRUNCATE, which row triggers do not see; SQLite deletes row by row.
    """
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        from tests.editions import remove_issued_editions

        remove_issued_editions()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one for the whole session (every browser test shares it)."""
    path = chromium_path()
    if path is None:
        message = "no Chromium found (install Debian's chromium package, or set CHROMIUM=/path/to/chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are ordinary synchronous ones.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def meetings_in_the_past():
    """Start each test's made-up meetings in 2020, 30 days apart: never in the future, whatever ran before.

    An update may not be dated in the future, nor before its meeting starts (the rule for an
    update's date), so the meetings' dates must not grow with the number of tests run.
    """
    MeetingFactory.reset_sequence()


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty page cache: a rolled-back test database can repeat a change stamp."""
    cache.clear()


@pytest.fixture(autouse=True)
def english_between_tests():
    """Start and end each test in English: a request to /fr/... leaves French active in the thread."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def seed_edition(seed):
    """The seed's table, issued to the Second Meeting of the IISG by ``load_seed``."""
    return Edition.objects.get()


@pytest.fixture
def two_editions(seed_edition, secretariat, second_secretariat):
    """The seed's edition and the Third IISG's, after one status and one narrative changed."""
    iisg3 = Meeting.objects.get(short_title="IISG-3")
    for position, status, narrative in [
        (6, Status.COMPLETED, "The framework has been completed."),
        (1, Status.IN_PROGRESS, "The Technical Working Group is in the process of finalizing the template."),
    ]:
        ProgressUpdateFactory(
            task=Task.objects.get(position=position),
            meeting=iisg3,
            reported_on=iisg3.end_date,
            status=status,
            narrative=narrative,
        )
    later = issued(iisg3, secretariat, second_secretariat, symbol="ESCAP/PTA/IISG(3)/CRP.1")
    return seed_edition, later
