from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from resolutions.management.commands.import_conclusions import write_edits
from resolutions.roles import role_group, setup_roles
from resolutions.services.fixtures import import_seeds, load_missing

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
# One login per role, to see the admin as each of them sees it (same demo password).
ROLE_USERS = {"chuyenvien": "clerk", "vanthu": "archivist", "nguoixem": "viewer"}
REFERENCE_FIXTURES = ("topics", "committees")


def demo_login(username: str, *, is_superuser: bool = False):
    """A demo login with the demo password; saved only when it is not so already, so that
    running the demo again changes nothing."""
    user, _ = get_user_model().objects.get_or_create(username=username)
    wanted = {
        "is_staff": True,
        "is_active": True,
        **({"is_superuser": True} if is_superuser else {}),
    }
    changed = any(getattr(user, name) != value for name, value in wanted.items())
    for name, value in wanted.items():
        setattr(user, name, value)
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed = True
    if changed:
        user.save()
    return user


class Command(BaseCommand):
    help = (
        "Prepare a local demo: migrate the database, load the reference data, import every "
        "document in seeds/, create the demo login and serve the admin. Refused unless DEBUG "
        "is on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default="127.0.0.1:8000",
            help="Where to serve the admin: a port (8080) or address:port (127.0.0.1:8080), "
            "as runserver takes them.",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything, but do not serve."
        )

    def handle(self, *args, addrport, no_serve, **options):
        if addrport.isdigit():  # a port alone, as runserver takes it: on this machine only
            addrport = f"127.0.0.1:{addrport}"
        if not settings.DEBUG:
            raise CommandError(
                "The demo login has a well-known password and is only for local use: "
                "run with DEBUG=1, and never on a production database."
            )
        call_command("migrate", interactive=False, verbosity=0)
        load_missing(*REFERENCE_FIXTURES)
        # Run again, this writes nothing for a seed whose text the register already holds,
        # and keeps what a person entered since (import_conclusions --overwrite-edits replaces).
        for outcome in import_seeds():
            self.stdout.write(outcome.summary())
            write_edits(self.stdout, self.style, outcome)
        setup_roles()
        demo_login(DEMO_USERNAME, is_superuser=True)
        for username, role in ROLE_USERS.items():
            demo_login(username).groups.set([role_group(role)])
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
