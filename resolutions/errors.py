"""The register's own words for what the database refused, never the database's English."""

from django.db import IntegrityError

from .models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic, Unit


def broken_constraint(error: Exception) -> str | None:
    """The message of the register's constraint the database named, where it named one."""
    for model in (Topic, Committee, Unit, Meeting, Report, Indicator, Directive, Finding):
        for constraint in model._meta.constraints:
            if constraint.name in str(error):
                return str(constraint.get_violation_error_message())
    return None


def constraint_message(error: IntegrityError) -> str:
    """A document's import refused by the database."""
    return broken_constraint(error) or (
        "dữ liệu trái với một ràng buộc của sổ (trùng khóa hoặc giá trị không hợp lệ)."
    )


def database_refusal(error: Exception) -> str:
    """A spreadsheet row refused by the database."""
    if isinstance(error, IntegrityError):
        return broken_constraint(error) or (
            "dòng này trái với một ràng buộc của sổ (trùng khóa hoặc giá trị không hợp lệ)"
        )
    return "dòng này có giá trị cơ sở dữ liệu không ghi được (quá dài hoặc sai kiểu)"
