"""Who handles a feedback: the staff of its agency (and the directors of the centre it concerns).

"Not yours" is answered as "not found", as for dossiers. Agency staff (specialists, unit and agency
leaders) handle what reaches their agency and its divisions; a centre director handles what reaches the
centre's own agency or concerns one of her service points; a province administrator sees everything.
Publishing an answer is a leader's decision: agency leaders, centre directors, province administrators.
Handing a feedback to a specialist of its agency is a leader's too (unit leaders also, as for dossier
steps); a specialist of the agency may take one herself. Once someone holds it, only she answers, declines
or forwards it; a leader may act for her, saying why (services.handling), or first take it off her.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.feedback.models import Feedback
from motcua.org.access import Scope
from motcua.org.models import Role, ServicePoint, StaffRole

AGENCY_ROLES = (Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER)
PUBLISHING_ROLES = (Role.AGENCY_LEADER,)
ASSIGNING_ROLES = (Role.UNIT_LEADER, Role.AGENCY_LEADER)


NOT_A_HANDLER = gettext_lazy("Feedback is handled by agency staff and centre directors.")


def not_found(code: str) -> NotFound:
    return NotFound(_("Feedback %(code)s was not found.") % {"code": code}, code="feedback_not_found")


def handles_feedback(scope: Scope) -> bool:
    """Tell whether the scope has any role that reads feedback (counter officers do not)."""
    return scope.is_province_admin or any(scope.ids_for(r) for r in (*AGENCY_ROLES, Role.CENTRE_DIRECTOR))


def _director_points(scope: Scope) -> frozenset[int]:
    return scope.ids_for(Role.CENTRE_DIRECTOR)


def _handled_q(scope: Scope, roles: tuple[str, ...]) -> Q:
    agencies: set[int] = set()
    for role in roles:
        agencies |= scope.ids_for(role)
    match = Q(agency_id__in=agencies)
    points = _director_points(scope)
    if points:
        # A centre answers for what reaches its own agency (the centre, or the commune committee) and
        # for what concerns its points; a subquery, so that the list stays one statement.
        own = ServicePoint.objects.filter(pk__in=points).values("agency_id")
        match |= Q(agency_id__in=own) | Q(service_point_id__in=points)
    return match


def staff_feedback(scope: Scope) -> QuerySet[Feedback]:
    """The feedback this scope may read and act on."""
    if scope.is_province_admin:
        return Feedback.objects.all()
    if not handles_feedback(scope):
        return Feedback.objects.none()
    return Feedback.objects.filter(_handled_q(scope, AGENCY_ROLES))


def may_publish(scope: Scope, feedback: Feedback) -> bool:
    if scope.is_province_admin:
        return True
    return Feedback.objects.filter(_handled_q(scope, PUBLISHING_ROLES), pk=feedback.pk).exists()


def may_assign(scope: Scope, feedback: Feedback) -> bool:
    """A leader over the feedback's agency, a director of the centre it concerns, a province administrator."""
    if scope.is_province_admin:
        return True
    return Feedback.objects.filter(_handled_q(scope, ASSIGNING_ROLES), pk=feedback.pk).exists()


def may_take(scope: Scope, feedback: Feedback) -> bool:
    """A specialist of the feedback's own agency (the one who would be assigned it)."""
    return feedback.agency_id in scope.ids_for(Role.SPECIALIST)


def holds_or_free(user: User, feedback: Feedback) -> bool:
    """Tell whether `user` holds the feedback or nobody does: then whoever handles it may answer it."""
    return feedback.assignee_id is None or feedback.assignee_id == user.pk


def assignable_staff(feedback: Feedback) -> QuerySet[User]:
    """The active specialists of the feedback's agency, by name: whom a leader may give it to."""
    specialists = StaffRole.objects.filter(
        role=Role.SPECIALIST, agency_id=feedback.agency_id, is_active=True
    ).values("user_id")
    return User.objects.filter(is_active=True, pk__in=specialists).order_by("full_name", "username")


def feedback_for_staff(scope: Scope, code: str, *, for_update: bool = False) -> Feedback:
    """Load one feedback the scope may handle (locked for change when asked), or raise "not found"."""
    found = staff_feedback(scope).filter(code=code)
    if for_update:
        found = found.select_for_update(of=("self",))
    feedback = found.select_related("agency", "procedure", "dossier", "service_point").first()
    if feedback is None:
        raise not_found(code)
    return feedback
