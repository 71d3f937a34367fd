"""Errors of recognition. Each message says, in plain words, why nothing changed."""

from upward.core import errors


class RecognitionRuleBroken(errors.RuleBroken):
    """A rule stops the change (HTTP 400 in the API); nothing was changed."""
