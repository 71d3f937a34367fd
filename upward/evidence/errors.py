"""Errors of evidence; both pages and the API show the message as it is."""

from upward.core import errors


class EvidenceRuleBroken(errors.RuleBroken):
    """A request the rules refuse; nothing was changed."""


class AnswersInvalid(EvidenceRuleBroken):
    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("Some answers need attention: " + "; ".join(errors.values()))
