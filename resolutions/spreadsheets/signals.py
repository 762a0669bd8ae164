"""What a table imported from a spreadsheet tells the rest of the register.

Rows written in bulk skip save(): what follows from them elsewhere (a figure's series, the
targets and repeats of a task: resolutions/series/) is made by the receivers of
``rows_written``, so that this package imports nothing above it.
"""

from django.dispatch import Signal

# Sent after a table's rows were written for good (not in a dry run), with
# model=the rows' model and meeting_ids=the meetings whose rows the file added or changed.
rows_written = Signal()
