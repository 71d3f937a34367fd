"""Settings for local use, tests and the demo.

Everything comes from the environment with safe local defaults: a SQLite file under ./var,
the database task worker, console email. Production uses ``upward.settings.production``,
which refuses to start with any of these defaults.
"""

from .base import *  # noqa: F403
