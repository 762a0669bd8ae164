"""What the database refuses reaches a clerk in the register's words, never the database's."""

from django.db import IntegrityError

from resolutions.errors import constraint_message, database_refusal
from resolutions.models import Meeting


def test_a_refusal_naming_no_constraint_of_ours_is_worded_without_the_databases_english():
    error = IntegrityError("UNIQUE constraint failed: resolutions_meeting.number")
    for message in (constraint_message(error), database_refusal(error)):
        assert "ràng buộc của sổ" in message
        assert "UNIQUE" not in message and "failed" not in message


def test_a_refusal_naming_our_constraint_gives_its_message():
    name = "resolutions_meeting_unique_number_in_term"
    error = IntegrityError(f'duplicate key value violates unique constraint "{name}"')
    (constraint,) = [c for c in Meeting._meta.constraints if c.name == name]
    message = str(constraint.get_violation_error_message())
    assert constraint_message(error) == database_refusal(error) == message
