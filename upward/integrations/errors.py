"""Refusals of the integrations app: each says in plain words what to change."""

from upward.core.errors import RuleBroken


class IntegrationRuleBroken(RuleBroken):
    """A token or webhook request breaks a rule; nothing changed."""


class TokenRefused(Exception):
    """The bearer token is unknown, revoked or expired: 401."""


class ScopeMissing(Exception):
    """The token lacks the scope the operation needs: 403."""


class TokenRateLimited(Exception):
    """Too many requests with one token in the current window: 429."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many requests with this token; try again later.")
        self.retry_after = retry_after


class SignatureInvalid(Exception):
    """A webhook delivery's signature does not verify, or is too old (a replay)."""
