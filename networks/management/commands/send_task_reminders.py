from django.core.management.base import BaseCommand

from networks.tasks import send_task_reminders


class Command(BaseCommand):
    help = "E-mail reminders of network tasks due within a few days (run daily, e.g. from cron)."

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("--days", type=int, default=3, help="remind tasks due within this many days")
        parser.add_argument("--link", default="", help="absolute link to the portal, put in the e-mail")

    def handle(self, *args: object, **options: object) -> None:
        sent = send_task_reminders(options["days"], options["link"])  # in this process, no worker needed
        self.stdout.write(f"{sent} reminders sent")
