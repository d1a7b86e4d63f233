import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dialogues.permissions import MANAGING_EDITOR


class Command(BaseCommand):
    help = (
        "Make sure a local Managing editor account exists (it edits, publishes and manages users; "
        "it is not a superuser); print how to log in. Never resets a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    @transaction.atomic
    def handle(self, *args, username, url, **options):
        try:
            role = Group.objects.get(name=MANAGING_EDITOR)
        except Group.DoesNotExist as error:
            raise CommandError(
                f"The {MANAGING_EDITOR} role is missing: run `manage.py migrate` first."
            ) from error
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            # An account made before the role existed (an Editor) becomes a Managing editor.
            if not user.groups.filter(pk=role.pk).exists():
                user.groups.add(role)
            # A local account locked out (deactivated, or its staff access taken) is let back in.
            if not (user.is_staff and user.is_active):
                user.is_staff = user.is_active = True
                user.save(update_fields=["is_staff", "is_active"])
            self.stdout.write(
                f"{MANAGING_EDITOR} account “{username}” exists. Log in at {url}; forgot the password? "
                f"Run: .venv/bin/python manage.py changepassword {username}"
            )
            return
        # Generated per machine so no password ever lives in the repository.
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(role)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {MANAGING_EDITOR.lower()} account. Log in at {url} as “{username}” with password: {password}"
            )
        )
