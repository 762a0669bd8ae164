"""The django-import-export hooks the register's resources override, pinned.

``RegisterResource`` keeps the library's import loop and replaces some of its steps (the
loader, the field loop, validation, bulk writes, the export's rows). A new version of the
library that stops calling one of these, or renames it, would silently bring back the slow
path or skip a rule: this test names each hook, checks the library still calls it, and that
``resolutions/spreadsheets/base.py`` says why it is overridden.
"""

import inspect
import re

from import_export import resources

from resolutions.spreadsheets import base

OVERRIDDEN = {
    "after_export",
    "after_import",
    "after_import_row",
    "after_save_instance",
    "before_export",
    "before_import",
    "before_save_instance",
    "bulk_create",
    "bulk_update",
    "export",
    "get_bulk_update_fields",
    "get_import_fields",
    "get_import_id_fields",
    "get_row_result_class",
    "import_instance",
    "skip_row",
    "validate_instance",
}


def test_the_resource_overrides_exactly_the_hooks_it_lists():
    library = resources.ModelResource
    overridden = {
        name
        for name, value in vars(base.RegisterResource).items()
        if callable(value) and not name.startswith("__") and hasattr(library, name)
    }
    assert overridden == OVERRIDDEN


def test_the_library_still_calls_every_hook_the_resource_overrides():
    source = inspect.getsource(resources)
    called = {name for name in OVERRIDDEN if re.search(rf"self\.{name}\(", source)}
    # export() is the entry point itself, called by the admin and by export_table.
    assert called == OVERRIDDEN - {"export"}


def test_the_loader_module_says_why_each_hook_is_overridden():
    assert {name for name in OVERRIDDEN if f"``{name}``" in base.__doc__} == OVERRIDDEN
