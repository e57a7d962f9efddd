"""Helpers for the editions' tests: issuing through the services, raw SQL, and the clean-up SQLite needs."""

import importlib

from django.db import connection

from editions import services
from editions.models import Edition

TRIGGERS = importlib.import_module("editions.migrations.0002_frozen_triggers")


def issued(meeting, preparer, clearer, **lines):
    """Return an edition of ``meeting`` taken through the whole workflow by two people."""
    edition = Edition.objects.create(meeting=meeting, created_by=preparer, **lines)
    services.record_created(edition=edition, user=preparer)
    services.submit_edition(edition=edition, user=preparer)
    services.clear_edition(edition=edition, user=clearer)
    return services.issue_edition(edition=edition, user=clearer)


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


TABLES = ("editions_editionfile", "editions_editionrow", "editions_step", "editions_edition")


def remove_issued_editions():
    """Delete every edition, the triggers lifted for the moment: what a test's clean-up or flush needs."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in TRIGGERS.sqlite_drop():
                cursor.execute(statement)
        else:  # a superuser's session may skip triggers (what pg_restore does), without altering the tables
            cursor.execute("SET session_replication_role = replica")
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (the table names above)
        if connection.vendor == "sqlite":
            for statement in TRIGGERS.sqlite_statements():
                cursor.execute(statement)
        else:
            cursor.execute("SET session_replication_role = DEFAULT")
