import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from tasks.current_update import refresh_current_update
from tasks.models import Meeting, Task, WorkingGroup
from tasks.signals import seed_loaded

SEED_FIXTURE = settings.BASE_DIR / "fixtures" / "roadmap_2016.json"


class Command(BaseCommand):
    help = (
        "Load the road map as reported to the Second Meeting of the IISG (March 2016), "
        "if the database holds no road map records yet."
    )

    def handle(self, *args, **options):
        if Task.objects.exists() or Meeting.objects.exists() or WorkingGroup.objects.exists():
            self.stdout.write("The database already holds road map records; the seed data was not loaded.")
            return
        with transaction.atomic():
            call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
            refresh_current_update()
            seed_loaded.send(sender=self.__class__)
            # Fixtures bypass the history: record each loaded record as its first version.
            call_command("populate_history", auto=True, stdout=io.StringIO(), stderr=io.StringIO())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the seed data: {Task.objects.count()} tasks, {Meeting.objects.count()} meetings."
            )
        )
