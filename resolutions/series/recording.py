"""What the series code writes goes into the revision being recorded, like any other change."""

import reversion

from ..services import audit


def record(rows: list) -> None:
    """Keep rows written in bulk in the revision of the import or of the page saved."""
    audit.add(rows)
    if reversion.is_active():
        for row in rows:
            if row.pk is not None:
                reversion.add_to_revision(row)
