"""Errors of support. Each message says, in plain words, why nothing changed."""


class SupportRuleBroken(Exception):
    """A rule stops the change (HTTP 400 in the API); nothing was changed."""
