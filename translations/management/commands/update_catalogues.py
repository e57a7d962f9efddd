from django.core.management import call_command
from django.core.management.base import BaseCommand

from translations.catalogues import IGNORE, LOCALES


class Command(BaseCommand):
    help = "Gather the marked strings into locale/{fr,ru,zh_Hans}/LC_MESSAGES/django.po (needs GNU gettext)."

    def handle(self, *args, **options):
        call_command(
            "makemessages",
            locale=LOCALES,
            ignore_patterns=IGNORE,
            no_obsolete=True,
            add_location="file",
            verbosity=options["verbosity"],
        )
