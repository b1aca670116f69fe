"""How many feedback items one address may send: a fixed window in Django's cache, like the look-up's.

Anyone may write without an account, so the page and the API count submissions per client IP (behind
the trusted proxies, as the look-up does). Past the limit the request is refused with 429 and
Retry-After. Following a feedback by code and secret, and rating a dossier by its secret, use the
look-up's own failure budget (`motcua.dossiers.lookup.LookupLimiter`).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers.lookup import TOO_MANY_MESSAGE, LookupLimiter
from motcua.feedback.models import Feedback
from motcua.feedback.services import FeedbackIn, submit_feedback

WINDOW_SECONDS = 3600
DEFAULT_PER_IP = 10
TOO_MANY_SUBMISSIONS = gettext_lazy(
    "Too many feedback items were sent from this address; please try again later."
)


def submission_limiter(request: HttpRequest) -> LookupLimiter:
    """The request's client IP may send FEEDBACK_PER_IP_PER_HOUR items an hour (`fail` counts one)."""
    limit = int(settings.MOTCUA.get("FEEDBACK_PER_IP_PER_HOUR", DEFAULT_PER_IP))
    return LookupLimiter.per_ip(request, "feedback", limit, seconds=WINDOW_SECONDS)


# A sender proves a dossier (its look-up secret) or an earlier feedback (its secret): a wrong one costs
# the look-up's failure budget, so that sending feedback cannot be used to guess secrets.
PROOF_FAILURES = frozenset({"dossier_not_found", "feedback_not_found"})


def proof_limiter(
    request: HttpRequest, *, dossier_code: str, dossier_secret: str, follow_up_code: str
) -> LookupLimiter | None:
    """The look-up limiter for the secret a feedback carries, or None when it carries none."""
    if dossier_secret.strip():
        return LookupLimiter.for_request(request, dossier_code.strip())
    if follow_up_code.strip():
        return LookupLimiter.for_request(request, follow_up_code.strip())
    return None


class TooMany(Exception):
    """A budget is spent: answer 429 with Retry-After and this message."""

    def __init__(self, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.retry_after, self.message = retry_after, message


def submit_within_limits(
    request: HttpRequest,
    data: FeedbackIn,
    *,
    sender: User | None,
    submission_key: str = "",
    submission_hash: str = "",
) -> Feedback:
    """Submit a feedback within the client's budgets (page and API alike); raise TooMany past them.

    A wrong dossier or feedback secret in it costs the look-up's failure budget; an accepted
    submission costs one of the address's submissions.
    """
    limiter = submission_limiter(request)
    if limiter.blocked():
        raise TooMany(limiter.retry_after, str(TOO_MANY_SUBMISSIONS))
    proof = proof_limiter(
        request,
        dossier_code=data.dossier_code,
        dossier_secret=data.dossier_secret,
        follow_up_code=data.follow_up_code,
    )
    if proof is not None and proof.blocked():
        raise TooMany(proof.retry_after, str(TOO_MANY_MESSAGE))
    try:
        feedback = submit_feedback(
            data=data, sender=sender, submission_key=submission_key, submission_hash=submission_hash
        )
    except DomainError as error:
        if proof is not None and error.code in PROOF_FAILURES:
            proof.fail()
        raise
    limiter.fail()
    return feedback
