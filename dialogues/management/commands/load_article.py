from django.core.management import call_command
from django.core.management.base import BaseCommand

from dialogues.models import Coverage

FIXTURE = "chain_expo_2025"


class Command(BaseCommand):
    help = (
        "Load the Chain Expo article into a database that holds no coverage yet, as `bin/dev serve` "
        "does on first run; a database with coverage is left as it is, so its edits stay."
    )

    def handle(self, *args, **options):
        if Coverage.objects.exists():
            self.stdout.write("The database holds coverage already; the article was not loaded again.")
            return
        call_command("loaddata", FIXTURE, verbosity=options["verbosity"], stdout=self.stdout)
