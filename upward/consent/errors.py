class ConsentError(Exception):
    """A consent cannot be given or withdrawn as asked; the message says why in plain words."""
