import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from inputs import MAX_ID, parse_int
from tasks.models import Meeting
from tasks.services import ImportConflict, apply_progress_import
from tasks.spreadsheets.progress_import import (
    CREATE,
    ERROR,
    UNCHANGED,
    ImportFileError,
    check_meeting_date,
    read_progress_file,
    settle_earlier_rows,
    summarise,
)


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--reported-on: {value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        'Import progress updates from the "Data" sheet of an .xlsx file, with the admin\'s checks. '
        "Exits non-zero, writing nothing, if the file or any row is in error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--meeting", required=True, help="the meeting's id (or short title)")
        parser.add_argument("--reported-on", type=_date, help="YYYY-MM-DD; default: the meeting's end date")
        parser.add_argument("--user", help="username recorded as having made the updates")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument(
            "--include-earlier",
            action="store_true",
            help="also record the rows that would be dated before a task's later update (skipped otherwise)",
        )

    def handle(self, *args, **options):
        meeting = self._meeting(options["meeting"])
        reported_on = options["reported_on"] or meeting.edition_date
        user = self._user(options["user"])
        errors = check_meeting_date(meeting, reported_on)
        if errors:
            raise CommandError(" ".join(errors))
        try:
            with open(options["file"], "rb") as upload:
                rows = read_progress_file(upload, reported_on=reported_on)
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        settle_earlier_rows(rows, include=options["include_earlier"])

        for row in rows:
            if row.action == UNCHANGED and options["verbosity"] < 2:
                continue
            task = f"task {row.task_id}" if row.task_id is not None else "no task"
            reasons = "; ".join(row.errors or row.notes)
            label = {CREATE: "create", UNCHANGED: "unchanged", ERROR: "ERROR"}[row.action]
            self.stdout.write(f"row {row.row} ({task}): {label}" + (f": {reasons}" if reasons else ""))
        counts = summarise(rows)
        summary = (
            f"{counts[CREATE]} to create, {counts[UNCHANGED]} unchanged (skipped), {counts[ERROR]} in error "
            f"(meeting {meeting.short_title}, reported on {reported_on.isoformat()})."
        )
        if counts[ERROR]:
            self.stderr.write(summary)
            raise CommandError(f"{counts[ERROR]} row(s) in error: nothing was imported.")
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {summary} Nothing was written.")
            return
        try:
            created = apply_progress_import(rows=rows, meeting=meeting, reported_on=reported_on, user=user)
        except ImportConflict as conflict:
            tasks = "; ".join(str(task) for task in conflict.tasks)
            raise CommandError(f"Nothing was imported: these tasks changed while the file was read: {tasks}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {len(created)} progress update(s); {counts[UNCHANGED]} unchanged (skipped).")
        )

    def _meeting(self, value):
        pk = parse_int(value, minimum=1, maximum=MAX_ID)
        meeting = Meeting.objects.filter(pk=pk).first() if pk is not None else None
        meeting = meeting or Meeting.objects.filter(short_title=value).first()
        if meeting is None:
            raise CommandError(f"No meeting has the id or short title {value!r}.")
        return meeting

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        return user
