"""Which actions to offer on a feedback's page, and in the API's `allowed_actions`: the services' guards, read
ahead of the click.

The services stay the judges (a stale page still gets their refusal); this only decides which forms to
draw. Names are the API's action paths (`/items/{code}/answer`…).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from motcua.core.models import User
from motcua.feedback import access
from motcua.feedback.models import Feedback, FeedbackStatus
from motcua.org.access import Scope


@dataclass(frozen=True)
class Allowed:
    forward: bool = False
    answer: bool = False
    decline: bool = False
    assign: bool = False
    take: bool = False
    release: bool = False
    publish: bool = False
    unpublish: bool = False
    # Another specialist holds it: a leader may answer, decline or forward only for her, saying why.
    on_behalf: bool = False

    def names(self) -> list[str]:
        """The actions allowed, by their API names (`on_behalf` is a condition, not an action)."""
        return [f.name for f in fields(self) if f.name != "on_behalf" and getattr(self, f.name)]


def allowed_for(user: User, scope: Scope, feedback: Feedback) -> Allowed:
    """Return what `user`, who handles the feedback, may do with it now, as the services would judge it."""
    if feedback.status == FeedbackStatus.OPEN:
        leader = access.may_assign(scope, feedback)
        mine = access.holds_or_free(user, feedback)
        handles = mine or leader
        held = feedback.assignee_id is not None
        return Allowed(
            forward=handles,
            answer=handles,
            decline=handles,
            on_behalf=handles and not mine,
            assign=leader,
            take=not held and access.may_take(scope, feedback),
            release=held and (feedback.assignee_id == user.pk or leader),
        )
    if feedback.status == FeedbackStatus.ANSWERED and access.may_publish(scope, feedback):
        live = feedback.published_at is not None
        return Allowed(publish=not live, unpublish=live)
    return Allowed()
