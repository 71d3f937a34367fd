"""Errors of support. Each message says, in plain words, why nothing changed."""

from upward.core import errors


class SupportRuleBroken(errors.RuleBroken):
    """A rule stops the change (HTTP 400 in the API); nothing was changed."""
