"""Refuse, in the database itself, any change to an issued edition, its rows and its files.

The models refuse too; these triggers hold for raw SQL, other clients and bulk updates. The one
change an issued edition takes is its state going from "issued" to "superseded" when a
revision is issued, everything else equal. Rows and files are written while the edition is
still cleared, in the issuing transaction, so inserting needs no trigger (and a backup can be
loaded back: loaddata inserts the edition before its rows).

On SQLite, a later migration that alters these tables (AddField, AddConstraint...) rebuilds them
and drops their triggers: such a migration must create them again (``sqlite_statements()``).
tests/test_edition_immutability.py fails if they are missing.
"""

from django.db import migrations

MESSAGE = "an issued edition cannot change"
FROZEN = "('issued', 'superseded')"
PARTS = ("editions_editionrow", "editions_editionfile")
# Every column of editions_edition but state: equal before and after when superseding.
EDITION_COLUMNS = (
    "id",
    "meeting_id",
    "title",
    "symbol",
    "distribution",
    "language_line",
    "agenda_item",
    "agenda_title",
    "document_date",
    "introduction",
    "group_id",
    "articles",
    "revises_id",
    "created_by_id",
    "created_at",
    "issued_at",
)


def _superseding(is_same):
    unchanged = " AND ".join(is_same(column) for column in EDITION_COLUMNS)
    return f"(OLD.state = 'issued' AND NEW.state = 'superseded' AND {unchanged})"


def sqlite_statements():
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    statements = []
    for table in PARTS:
        for event in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_frozen_{event.lower()} BEFORE {event} ON {table} "  # noqa: S608  (constants only)
                f"WHEN EXISTS (SELECT 1 FROM editions_edition WHERE id = OLD.edition_id AND state IN {FROZEN}) "
                f"{raise_}"
            )
    statements.append(
        f"CREATE TRIGGER editions_edition_frozen_delete BEFORE DELETE ON editions_edition "
        f"WHEN OLD.state IN {FROZEN} {raise_}"
    )
    superseding = _superseding(lambda column: f"NEW.{column} IS OLD.{column}")
    statements.append(
        f"CREATE TRIGGER editions_edition_frozen_update BEFORE UPDATE ON editions_edition "
        f"WHEN OLD.state IN {FROZEN} AND NOT {superseding} {raise_}"
    )
    return statements


def sqlite_drop():
    names = [f"{table}_frozen_{event}" for table in PARTS for event in ("update", "delete")]
    return [
        f"DROP TRIGGER IF EXISTS {name}"
        for name in [*names, "editions_edition_frozen_delete", "editions_edition_frozen_update"]
    ]


def postgresql_statements():
    refuse = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';"
    superseding = _superseding(lambda column: f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}")
    statements = [
        f"""CREATE OR REPLACE FUNCTION editions_refuse_frozen_part() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM editions_edition e WHERE e.id = OLD.edition_id AND e.state IN {FROZEN}) THEN
    {refuse}
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",  # noqa: S608  (constants only)
        f"""CREATE OR REPLACE FUNCTION editions_refuse_frozen_edition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NOT {superseding} THEN
    {refuse}
  END IF;
  RETURN NEW;
END $$""",
        "CREATE TRIGGER editions_edition_frozen BEFORE UPDATE OR DELETE ON editions_edition "
        f"FOR EACH ROW WHEN (OLD.state IN {FROZEN}) EXECUTE FUNCTION editions_refuse_frozen_edition()",
    ]
    for table in PARTS:
        statements.append(
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION editions_refuse_frozen_part()"
        )
    return statements


def postgresql_drop():
    return [
        *(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}" for table in PARTS),
        "DROP TRIGGER IF EXISTS editions_edition_frozen ON editions_edition",
        "DROP FUNCTION IF EXISTS editions_refuse_frozen_part()",
        "DROP FUNCTION IF EXISTS editions_refuse_frozen_edition()",
    ]


STATEMENTS = {"sqlite": (sqlite_statements, sqlite_drop), "postgresql": (postgresql_statements, postgresql_drop)}


def run(schema_editor, which):
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"no triggers freezing issued editions for {vendor}")
    for statement in STATEMENTS[vendor][which]():
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    run(schema_editor, 0)


def drop_triggers(apps, schema_editor):
    run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("editions", "0001_editions")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
