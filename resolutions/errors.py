"""The register's own words for what the database refused."""

from django.db import IntegrityError

from .models import Committee, Directive, Finding, Indicator, Meeting, Report


def constraint_message(error: IntegrityError) -> str:
    """The register's own words for the constraint the database named, where it named one."""
    for model in (Committee, Meeting, Report, Indicator, Directive, Finding):
        for constraint in model._meta.constraints:
            if constraint.name in str(error):
                return constraint.get_violation_error_message()
    return f"dữ liệu trái với ràng buộc của sổ ({error})."
