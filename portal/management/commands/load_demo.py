from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the fictitious demo (three pilot networks, invented members, one login per role)."

    def handle(self, *args: object, **options: object) -> None:
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo ready. Log in at http://127.0.0.1:8000/accounts/login/"))
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.role:<22} {login.email:<24} {login.scope}")
