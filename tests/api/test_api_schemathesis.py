"""Schemathesis against the generated schema: every operation and parameter, examples bounded.

No server error, and every answer as the schema says: its status codes, content types, headers and bodies.
"""

import datetime

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tasks.models import Meeting, Status, Task
from tests.factories import ProgressUpdateFactory

LATER = datetime.date(2026, 6, 1)  # after the seed, before today: updates may not be dated ahead

pytestmark = pytest.mark.django_db

EXAMPLES = 25  # per operation: enough to reach every parameter, few enough to keep the suite quick
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Read through the application itself, as a client generator would (the schema needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def roadmap(seed):
    """The seed, with a later meeting's update and a completed task."""
    meeting = Meeting.objects.get(short_title="IISG-3")
    ProgressUpdateFactory(task=Task.objects.get(position=6), meeting=meeting, reported_on=meeting.end_date)
    ProgressUpdateFactory(task=Task.objects.get(position=1), status=Status.COMPLETED, reported_on=LATER)


@pytest.mark.usefixtures("roadmap", "same_connection")
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure found once is found again
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_schema_says(case):
    case.call_and_validate(checks=CHECKS)
