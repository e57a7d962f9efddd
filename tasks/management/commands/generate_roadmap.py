import argparse
import math

from django.core.management.base import BaseCommand, CommandError

from inputs import MAX_ID, MAX_INT, parse_int
from tasks.generation import generate_roadmap
from tasks.models import ProgressUpdate, Task


def whole_number(minimum, maximum):
    """Return an argparse type reading a whole number from ``minimum`` to ``maximum``."""

    def parse(text):
        value = parse_int(text, minimum=-math.inf, maximum=math.inf)
        if value is None:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number.")
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is not allowed: give a number of at least {minimum}.")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"{value} is not allowed: give a number of at most {maximum}.")
        return value

    return parse


positive = whole_number(1, MAX_INT)  # a count of tasks, updates or meetings: positions are PositiveIntegerFields


class Command(BaseCommand):
    help = (
        "Generate a large, realistic road map (tasks, articles, meetings over the years, progress updates) "
        "for benchmarks. Refuses to touch a database that holds tasks or updates unless --force is given; "
        "with --force the generated road map is added after the existing records, which are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=positive, required=True, help="number of tasks to generate")
        parser.add_argument(
            "--updates-per-task", type=positive, default=10, help="progress updates per task (default 10)"
        )
        parser.add_argument(
            "--meetings",
            type=positive,
            default=30,
            help="meetings to generate, three a year (default 30); at least --updates-per-task",
        )
        parser.add_argument(
            "--seed", type=whole_number(0, MAX_ID), default=0, help="the same seed gives the same road map (default 0)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="add to a database that already holds tasks or updates (nothing is deleted)",
        )

    def handle(self, *args, tasks, updates_per_task, meetings, seed, force, **options):
        if not force and (Task.objects.exists() or ProgressUpdate.objects.exists()):
            raise CommandError(
                f"The database holds {Task.objects.count()} tasks and {ProgressUpdate.objects.count()} progress "
                "updates: refusing to mix generated records with them. Use an empty database, or give --force "
                "to add the generated road map after the existing records."
            )
        try:
            result = generate_roadmap(tasks=tasks, updates_per_task=updates_per_task, meetings=meetings, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.tasks} tasks, {result.updates} progress updates and {result.meetings} meetings "
                f"in {result.seconds:.1f} s (seed {seed})."
            )
        )
