import importlib

from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, load_demo
from portal.links import absolute_url

# Each app's fictitious additions, run in this order after the core demo; each is idempotent.
APP_DEMOS = [
    "members.demo.load_members_demo",
    "events.demo.load_events_demo",
    "surveys.demo.load_surveys_demo",
    "reports.demo.load_reports_demo",
    "networks.demo.load_networks_demo",
]


class Command(BaseCommand):
    help = "Load the fictitious demo (three pilot networks, invented members, one login per role)."

    def handle(self, *args: object, **options: object) -> None:
        logins = load_demo()
        for dotted in APP_DEMOS:
            module, name = dotted.rsplit(".", 1)
            getattr(importlib.import_module(module), name)()
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Log in at {absolute_url('account_login')}"))
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.email:<24} {login.scope}")
