"""Test fixtures shared by every app: the personas of ``personas.py``."""

from personas import *  # noqa: F403
