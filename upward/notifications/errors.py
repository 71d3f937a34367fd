"""Errors of notification choices; pages and the API show the message as it is. Nothing
changed."""

from upward.core import errors


class NotificationRuleBroken(errors.RuleBroken):
    """A rule stops the change (HTTP 400 in the API); nothing was changed."""
