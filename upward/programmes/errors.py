class RuleBroken(Exception):
    """A programme rule stops the change; the message says why in plain words. Nothing changed."""
