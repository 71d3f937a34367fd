"""The one base of every refused change. The API answers any of them with 400 and the plain
reason (409 for a stale version); pages show the message as it is. Nothing was changed."""


class RuleBroken(Exception):
    """A rule stops the change; the message says why in plain words. Nothing changed."""
