import time

from django.conf import settings
from django.core.management.base import BaseCommand

from dialogues import webhooks


class Command(BaseCommand):
    help = (
        "Send webhook deliveries: work the RQ queue, and queue again whatever is due in the outbox "
        "(scheduled publications that went live, retries, deliveries a crash or a lost queue left)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Send what is due, then stop.")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds between looks at the outbox."
        )

    def handle(self, *, burst, interval, **options):
        worker = None
        if settings.WEBHOOKS_QUEUE == "rq":
            from rq import SimpleWorker

            queue = webhooks.rq_queue()
            # SimpleWorker runs jobs in this process: they share its database connection
            # settings, and a job is this module's function, not a fork of a web worker.
            worker = SimpleWorker([queue], connection=queue.connection)
        while True:
            queued = webhooks.send_due()
            if worker is not None:
                worker.work(burst=True)
            if queued:
                self.stdout.write(f"Sent or retried {queued} due deliveries.")
            if burst:
                return
            time.sleep(interval)
