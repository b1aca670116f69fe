"""Actions on a dossier from its page: one form each, one service call, the page shown again.

GET returns the action's form (an inline panel; htmx swaps it in). POST validates and calls the service
with the version the officer saw; a conflict reloads the dossier with the message, so nobody acts on a
state that is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import Conflict, DomainError
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.access import STEP_ACTORS
from motcua.dossiers.forms_actions import (
    ApologyForm,
    AssignStepForm,
    CompleteStepForm,
    HandOverForm,
    RefuseForm,
    ResultReadyForm,
    ReturnStepForm,
    StopForm,
    SupplementForm,
    TakeStepForm,
)
from motcua.dossiers.forms_supplement import ReceiveSupplementForm
from motcua.dossiers.forms_web import as_uploads
from motcua.dossiers.services.reuse import documents_for
from motcua.dossiers.views.allowed import Allowed
from motcua.dossiers.views.common import acting_user, is_htmx, not_found_as_404, show_domain_error, staff_view
from motcua.dossiers.views.dossier import page_context
from motcua.signing.selectors import active_seal


@dataclass(frozen=True)
class Spec:
    """One action: its form, who may see it, what it calls, and what it tells the officer."""

    slug: str
    title: Any
    button: Any
    done: Any
    form: type[forms.Form]
    allowed: Callable[[Allowed, int | None], bool]
    run: Callable[[Any, User, dict[str, Any], int | None], Any]
    on_step: bool = False
    danger: bool = False
    multipart: bool = False


def _step(allowed: Allowed, step_id: int | None, flag: str) -> bool:
    actions = allowed.for_step(step_id)
    if actions is None:
        return False
    return bool(actions.return_targets) if flag == "return" else bool(getattr(actions, flag))


def _people(step: Any) -> list[tuple[int, str]]:
    roles = STEP_ACTORS.get(step.role, set())
    users = User.objects.filter(
        staff_roles__agency_id=step.agency_id, staff_roles__role__in=roles, staff_roles__is_active=True
    ).distinct()
    return [(u.pk, u.full_name or u.get_username()) for u in users.order_by("full_name", "username")]


def _required(step_id: int | None) -> int:
    if step_id is None:
        raise Http404
    return step_id


# Each runner calls one service with what the form cleaned (`c`) and the step acted on (`s`).
def _take(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.take_step(
        code=d.code, step_id=_required(s), actor=u, expected_version=c["expected_version"]
    )


def _complete(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.complete_step(
        code=d.code,
        step_id=_required(s),
        actor=u,
        comment=c["comment"],
        expected_version=c["expected_version"],
    )


def _assign(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    assignee = User.objects.get(pk=c["assignee"])
    return services.assign_step(
        code=d.code, step_id=_required(s), actor=u, assignee=assignee, expected_version=c["expected_version"]
    )


def _return(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.return_step(
        code=d.code,
        step_id=_required(s),
        to_step_id=c["to_step"],
        actor=u,
        reason=c["reason"],
        expected_version=c["expected_version"],
    )


def _request_supplement(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.request_supplement(
        code=d.code, actor=u, items=c["items"], expected_version=c["expected_version"]
    )


def _receive_supplement(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.receive_supplement(
        code=d.code,
        actor=u,
        uploads=as_uploads(c["scans"]),
        provided=list(c["provided"]),
        reused=c["reused"],
        expected_version=c["expected_version"],
    )


def _receive_completed(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.receive_completed_dossier(
        code=d.code,
        actor=u,
        uploads=as_uploads(c["scans"]),
        provided=list(c["provided"]),
        reused=c["reused"],
        expected_version=c["expected_version"],
    )


def _apologise(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.issue_apology(
        code=d.code,
        actor=u,
        reason=c["reason"],
        new_due_at=c["new_due_at"],
        signer_name=c["signer_name"],
        signer_title=c["signer_title"],
        expected_version=c["expected_version"],
    )


def _refuse(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.refuse_dossier(
        code=d.code, actor=u, reasons=c["reasons"], expected_version=c["expected_version"]
    )


def _result_ready(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.mark_result_ready(
        code=d.code,
        actor=u,
        results=as_uploads(c["results"]),
        comment=c["comment"],
        sign=bool(c.get("sign")),
        expected_version=c["expected_version"],
    )


def _hand_over(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.hand_over_result(
        code=d.code,
        actor=u,
        method=c["method"],
        tracking_number=c["tracking_number"],
        recipient=c["recipient"],
        expected_version=c["expected_version"],
    )


def _stop(d: Any, u: User, c: dict[str, Any], s: int | None) -> Any:
    return services.stop_dossier(
        code=d.code, actor=u, reason=c["reason"], expected_version=c["expected_version"]
    )


def _on_step(flag: str) -> Callable[[Allowed, int | None], bool]:
    return lambda allowed, step_id: _step(allowed, step_id, flag)


def _flag(name: str) -> Callable[[Allowed, int | None], bool]:
    return lambda allowed, step_id: bool(getattr(allowed, name))


SPECS: dict[str, Spec] = {
    spec.slug: spec
    for spec in [
        Spec("nhan-xu-ly", _("Take this step"), _("Take it"), _("The step is yours."), TakeStepForm,
             _on_step("take"), _take, on_step=True),
        Spec("hoan-thanh", _("Complete the step"), _("Complete"),
             _("The step is complete; the dossier moved on."), CompleteStepForm,
             _on_step("complete"), _complete, on_step=True),
        Spec("phan-cong", _("Assign the step"), _("Assign"), _("The step is assigned."), AssignStepForm,
             _on_step("assign"), _assign, on_step=True),
        Spec("tra-lai", _("Return to an earlier step"), _("Return"),
             _("The work went back to the earlier step."), ReturnStepForm,
             _on_step("return"), _return, on_step=True),
        Spec("nhan-du-ho-so", _("Receive the completed dossier"), _("Receive the dossier"),
             _("The completed dossier is received: it has its appointment and went on to be handled."),
             ReceiveSupplementForm, _flag("receive_completed"), _receive_completed, multipart=True),
        Spec("yeu-cau-bo-sung", _("Request a supplement"), _("Send the request"),
             _("The applicant is asked to supplement; the clock is stopped."), SupplementForm,
             _flag("request_supplement"), _request_supplement),
        Spec("nhan-bo-sung", _("Receive the supplement"), _("Record the supplement"),
             _("The supplement is received; the clock runs again."), ReceiveSupplementForm,
             _flag("receive_supplement"), _receive_supplement, multipart=True),
        Spec("xin-loi", _("Apologise and set a new appointment"), _("Issue the apology"),
             _("The apology is recorded with the new appointment."), ApologyForm,
             _flag("apology"), _apologise),
        Spec("tu-choi", _("Refuse the dossier"), _("Refuse"), _("The dossier is refused."), RefuseForm,
             _flag("refuse"), _refuse, danger=True),
        Spec("co-ket-qua", _("Result ready"), _("Mark the result ready"),
             _("The result is ready at the desk."), ResultReadyForm,
             _flag("result_ready"), _result_ready, multipart=True),
        Spec("tra-ket-qua", _("Hand over the result"), _("Hand over"), _("The result is handed over."),
             HandOverForm, _flag("hand_over"), _hand_over),
        Spec("dung-xu-ly", _("Stop at the applicant's request"), _("Stop the dossier"),
             _("The dossier is stopped."), StopForm, _flag("stop"), _stop, danger=True),
    ]
}  # fmt: skip


def _form(
    spec: Spec, context: dict[str, Any], step_id: int | None, data: Any = None, files: Any = None
) -> forms.Form:
    dossier = context["dossier"]
    initial = {"expected_version": dossier.version, "step": step_id}
    kwargs: dict[str, Any] = {"initial": initial}
    actions = context["allowed"].for_step(step_id)
    if spec.slug == "phan-cong" and actions:
        kwargs["people"] = _people(actions.step)
    if spec.slug == "tra-lai" and actions:
        kwargs["targets"] = [(t.pk, f"{t.name} – {t.agency.name}") for t in actions.return_targets]
    if spec.slug in ("yeu-cau-bo-sung", "nhan-bo-sung", "nhan-du-ho-so"):
        kwargs["documents"] = context["documents"]
    if spec.slug in ("nhan-bo-sung", "nhan-du-ho-so"):
        kwargs.update(_reuse_choices(context))
    if spec.slug == "tra-ket-qua":
        initial["method"] = dossier.delivery
    if spec.slug == "co-ket-qua":
        kwargs["may_seal"] = context["may_seal"]
        kwargs["seal"] = active_seal(dossier.lead_agency_id) if context["may_seal"] else None
    return spec.form(data, files, **kwargs) if data is not None else spec.form(**kwargs)


def _reuse_choices(context: dict[str, Any]) -> dict[str, Any]:
    """The open request's items and the applicant's digitised documents (by this dossier's ID and name)."""
    pending = next((r for r in context["requests"] if r.answered_at is None), None)
    if pending is None:
        return {}
    requested = [(int(item["position"]), str(item["name"])) for item in pending.items]
    return {"requested": requested, "digitised": documents_for(context["dossier"])}


def _step_id(request: HttpRequest) -> int | None:
    raw = request.POST.get("step") or request.GET.get("buoc") or ""
    return int(raw) if raw.isdigit() else None


def _show_form(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    if is_htmx(request):
        # htmx swaps only 2xx answers: a form with errors comes back as 200 with the errors in it.
        return render(request, "dossiers/dossier/_action_form.html", context)
    return render(request, "dossiers/dossier/page.html", context, status=status)


def _show_dossier(request: HttpRequest, code: str, level: int, text: str) -> HttpResponse:
    """After a change or a conflict: htmx redraws the whole dossier; a full request reloads it."""
    if not is_htmx(request):
        messages.add_message(request, level, text)
        return redirect("dossiers:dossier", code=code)
    context = page_context(request, code, flash=(level, text))
    response = render(request, "dossiers/dossier/_body.html", context)
    response["HX-Retarget"] = "#dossier-body"
    response["HX-Reswap"] = "outerHTML"
    return response


@staff_view
@require_http_methods(["GET", "POST"])
def dossier_action(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """Show or perform one action on a dossier."""
    spec = SPECS.get(slug)
    if spec is None:
        raise Http404
    context = page_context(request, code)
    dossier = context["dossier"]
    step_id = _step_id(request) if spec.on_step else None
    if request.method == "GET":
        if not spec.allowed(context["allowed"], step_id):
            raise Http404
        context.update(action=spec, action_form=_form(spec, context, step_id), step_id=step_id)
        return _show_form(request, context)
    seen = request.POST.get("expected_version", "")
    if not spec.allowed(context["allowed"], step_id):
        if seen != str(dossier.version):  # the page was stale: someone changed the dossier meanwhile
            return _show_dossier(request, code, messages.ERROR, str(STALE))
        raise Http404
    form = _form(spec, context, step_id, request.POST, request.FILES)
    if form.is_valid():
        cleaned = dict(form.cleaned_data)
        if isinstance(form, SupplementForm):
            cleaned["items"] = form.request_items
        try:
            spec.run(dossier, acting_user(request), cleaned, step_id)
        except Conflict as exc:
            return _show_dossier(request, code, messages.ERROR, exc.message)
        except DomainError as exc:
            not_found_as_404(exc)
            show_domain_error(form, exc)
        else:
            return _show_dossier(request, code, messages.SUCCESS, str(spec.done))
    context.update(action=spec, action_form=form, step_id=step_id)
    return _show_form(request, context, status=422)


STALE = _("The dossier was just updated by someone else. Here is its current state; check and act again.")
