import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a local superuser with a generated password, printed once. "
        "Does nothing if the account exists (reset it with 'manage.py changepassword')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--site", default="http://127.0.0.1:8000", help="Where the app is served, for the sign-in link printed."
        )

    def handle(self, *args, username, site, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"The account '{username}' exists; its password is unchanged "
                f"(python manage.py changepassword {username} sets a new one)."
            )
            return
        password = secrets.token_urlsafe(18)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the admin account '{username}' with the password: {password}\n"
                f"It is shown only this once: note it now. Sign in at {site.rstrip('/')}/admin/"
            )
        )
