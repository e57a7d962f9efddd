from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from translations.catalogues import CatalogueError, compile_all


class Command(BaseCommand):
    help = "Compile the interface's translation catalogues (locale/*/LC_MESSAGES/django.po) into .mo files."

    def handle(self, *args, **options):
        try:
            written = compile_all(settings.BASE_DIR)
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        if not written:
            raise CommandError("No catalogue found under locale/.")
        for path in written if options["verbosity"] > 0 else ():
            self.stdout.write(f"compiled {path.relative_to(settings.BASE_DIR)}", self.style.SUCCESS)
