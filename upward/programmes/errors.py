from upward.core import errors


class RuleBroken(errors.RuleBroken):
    """A programme rule stops the change; the message says why in plain words. Nothing changed."""
