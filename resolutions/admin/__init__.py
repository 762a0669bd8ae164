"""The clerk's workspace: one page per meeting with everything inline, and list pages to find
records. The modules declare (site.py, parts.py, inlines.py); the pages of their own are in
views.py, and any logic they need lives on the models or in services.
"""

from ..series import admin as series  # noqa: F401 - indicator series (issue 15)
from . import parts, site  # noqa: F401 - registering the register's models with the site
