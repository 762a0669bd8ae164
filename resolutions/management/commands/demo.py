from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from resolutions.roles import role_group, setup_roles
from resolutions.services.fixtures import import_seeds

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
# One login per role, to see the admin as each of them sees it (same demo password).
ROLE_USERS = {"chuyenvien": "clerk", "vanthu": "archivist", "nguoixem": "viewer"}
REFERENCE_FIXTURES = ("topics", "committees")


class Command(BaseCommand):
    help = (
        "Prepare a local demo: migrate the database, load the reference data, import every "
        "document in seeds/, create the demo login and serve the admin. Refused unless DEBUG "
        "is on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="Where to serve the admin."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything, but do not serve."
        )

    def handle(self, *args, addrport, no_serve, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo login has a well-known password and is only for local use: "
                "run with DEBUG=1, and never on a production database."
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
        for outcome in import_seeds():
            self.stdout.write(outcome.summary())
        setup_roles()
        users = get_user_model().objects
        user, _ = users.get_or_create(username=DEMO_USERNAME)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        for username, role in ROLE_USERS.items():
            member, _ = users.get_or_create(username=username)
            member.is_staff = member.is_active = True
            member.set_password(DEMO_PASSWORD)
            member.save()
            member.groups.set([role_group(role)])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready. Log in at http://{addrport}/admin/ "
                f"as “{DEMO_USERNAME}” with password “{DEMO_PASSWORD}” (every permission), "
                f"or as {', '.join(f'“{u}”' for u in ROLE_USERS)} (clerk, archivist, viewer; "
                "same password)."
            )
        )
        if not no_serve:
            # No autoreloader: it would run this whole command again in a child process.
            call_command("runserver", addrport, use_reloader=False)
