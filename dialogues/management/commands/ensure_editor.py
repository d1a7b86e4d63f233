import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dialogues.permissions import EDITOR


class Command(BaseCommand):
    help = "Make sure a local editor account exists; print how to log in. Never resets a password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    @transaction.atomic
    def handle(self, *args, username, url, **options):
        try:
            editors = Group.objects.get(name=EDITOR)
        except Group.DoesNotExist as error:
            raise CommandError("The Editor role is missing: run `manage.py migrate` first.") from error
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            self.stdout.write(
                f"Editor account “{username}” exists. Log in at {url}; forgot the password? "
                f"Run: .venv/bin/python manage.py changepassword {username}"
            )
            return
        # Generated per machine so no password ever lives in the repository.
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(editors)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created editor account. Log in at {url} as “{username}” with password: {password}"
            )
        )
