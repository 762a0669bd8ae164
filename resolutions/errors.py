"""The register's own words for what the database refused, never the database's English."""

from django.db import IntegrityError, models

from .models import Committee, Directive, Finding, Indicator, Meeting, Report, Topic, Unit


def broken_constraint(error: Exception) -> str | None:
    """The message of the register's constraint the database named, where it named one
    (PostgreSQL names every constraint; SQLite names a unique one by its columns)."""
    for model in (Topic, Committee, Unit, Meeting, Report, Indicator, Directive, Finding):
        for constraint in model._meta.constraints:
            if constraint.name in str(error) or _sqlite_unique(model, constraint) in str(error):
                return str(constraint.get_violation_error_message())
    return None


def _sqlite_unique(model, constraint) -> str:
    """How SQLite words a breach of a unique constraint on fields ("UNIQUE constraint failed:
    table.column, table.column"); a text no error holds for any other constraint."""
    if not isinstance(constraint, models.UniqueConstraint) or not constraint.fields:
        return "\x00"
    table = model._meta.db_table
    columns = ", ".join(f"{table}.{model._meta.get_field(f).column}" for f in constraint.fields)
    return f"UNIQUE constraint failed: {columns}"


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
