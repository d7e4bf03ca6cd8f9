"""Send what is queued for the archive now (the worker does the same on a schedule), or queue a failed
archiving again: `python manage.py archive_send [--resend KEY]`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from archive import services, transports


class Command(BaseCommand):
    help = "Send the archivings that are queued (ARCHIVE_TRANSPORT), and read the receipts that have come back."

    def add_arguments(self, parser):
        parser.add_argument("--resend", metavar="KEY", help="Queue this failed archiving again (e.g. document:12).")

    def handle(self, *args, resend=None, **options):
        if resend:
            try:
                archiving = services.archiving_resend(key=resend)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(f"{archiving.key} is queued again (message {archiving.message_id}).")
        transport = transports.get()
        if transport is None:
            waiting = services.queued_send(transport=None)["waiting"]
            self.stdout.write(f"ARCHIVE_TRANSPORT is none: nothing sent, {waiting} waiting.")
            return
        counts = services.queued_send(transport=transport)
        receipts = services.receipts_read(transport=transport)
        self.stdout.write(
            f"Sent {counts['sent']}, failed {counts['failed']}, waiting {counts['waiting']}; "
            f"receipts accepted {receipts['accepted']}, refused {receipts['refused']}."
        )
