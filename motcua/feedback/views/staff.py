"""Staff pages of feedback: the agency's inbox by due moment (or one's own), one feedback with its actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers.selectors import horizon
from motcua.dossiers.views.common import acting_user, render_page, staff, staff_view
from motcua.feedback import services
from motcua.feedback.access import assignable_staff, handles_feedback, staff_feedback
from motcua.feedback.allowed import Allowed, allowed_for
from motcua.feedback.forms import (
    AnswerForm,
    AssignForm,
    DeclineForm,
    ForwardForm,
    InboxFilterForm,
    PublishForm,
    ReleaseForm,
    VersionForm,
    WithdrawForm,
)
from motcua.feedback.models import Feedback, FeedbackStatus
from motcua.feedback.selectors import feedback_page, inbox, inbox_counts, inbox_rows
from motcua.feedback.views import place_error

PAGE_SIZE = 25


def _allowed(request: HttpRequest) -> None:
    if not handles_feedback(staff(request).scope):
        raise Http404


@staff_view
@require_GET
def inbox_page(request: HttpRequest) -> HttpResponse:
    """Feedback for the user's agencies (or held by her), soonest due first, coloured like "My work"."""
    _allowed(request)
    form = InboxFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    holder = chosen.get("holder") or ""
    items = inbox(staff(request).scope, horizon(), holder=holder, user_id=acting_user(request).pk)
    counts = inbox_counts(items)
    status = chosen.get("status") or FeedbackStatus.OPEN
    if status != "all":
        items = items.filter(status=status)
    if chosen.get("urgency"):
        items = items.filter(Q(urgency=chosen["urgency"]))
    if chosen.get("topic"):
        items = items.filter(topic=chosen["topic"])
    page = Paginator(inbox_rows(items), PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {"form": form, "counts": counts, "page": page, "query": query.urlencode(), "holder": holder}
    return render_page(request, "feedback/staff/inbox.html", "feedback/staff/_list.html", context)


def _load(request: HttpRequest, code: str) -> Feedback:
    found = feedback_page(staff_feedback(staff(request).full_scope), code)
    if found is None:
        raise Http404
    return found


def _publish_draft(feedback: Feedback) -> PublishForm:
    question, answer = services.publish_draft(feedback)
    return PublishForm(initial={"version": feedback.version, "question": question, "answer": answer})


def _forms(feedback: Feedback, allowed: Allowed) -> dict[str, forms.Form]:
    """The forms of the actions allowed (allowed.py), drawn empty."""
    initial = {"version": feedback.version}
    shown: dict[str, forms.Form] = {}
    if allowed.take:
        shown["take_form"] = VersionForm(initial=initial)
    if allowed.assign:
        shown["assign_form"] = _assign_form(None, feedback)
    if allowed.release:
        shown["release_form"] = ReleaseForm(initial=initial)
    if allowed.answer:
        shown["answer_form"] = AnswerForm(initial=initial)
    if allowed.forward:
        shown["forward_form"] = ForwardForm(initial=initial)
    if allowed.decline:
        shown["decline_form"] = DeclineForm(initial=initial)
    if allowed.publish:
        shown["publish_form"] = _publish_draft(feedback)
    if allowed.unpublish:
        shown["withdraw_form"] = WithdrawForm(initial=initial)
    return shown


def _detail(request: HttpRequest, feedback: Feedback, status: int = 200, **bound: forms.Form) -> HttpResponse:
    allowed = allowed_for(acting_user(request), staff(request).full_scope, feedback)
    context = {"feedback": feedback, "h": horizon(), "allowed": allowed, **_forms(feedback, allowed), **bound}
    return render_page(request, "feedback/staff/detail.html", "feedback/staff/_detail.html", context, status)


@staff_view
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    _allowed(request)
    return _detail(request, _load(request, code))


def _forward(user: User, code: str, data: dict[str, Any]) -> Feedback:
    return services.forward_feedback(
        code=code,
        actor=user,
        agency=data["agency"],
        reason=data["reason"],
        on_behalf_reason=data["on_behalf_reason"],
        expected_version=data["version"],
    )


def _answer(user: User, code: str, data: dict[str, Any]) -> Feedback:
    return services.answer_feedback(
        code=code,
        actor=user,
        answer=data["answer"],
        on_behalf_reason=data["on_behalf_reason"],
        expected_version=data["version"],
    )


def _decline(user: User, code: str, data: dict[str, Any]) -> Feedback:
    return services.decline_feedback(
        code=code,
        actor=user,
        kind=data["kind"],
        reason=data["reason"],
        on_behalf_reason=data["on_behalf_reason"],
        expected_version=data["version"],
    )


def _publish(user: User, code: str, data: dict[str, Any]) -> Feedback:
    return services.publish_feedback(
        code=code,
        actor=user,
        question=data["question"],
        answer=data["answer"],
        expected_version=data["version"],
    )


def _withdraw(user: User, code: str, data: dict[str, Any]) -> Feedback:
    return services.withdraw_publication(
        code=code, actor=user, reason=data["reason"], expected_version=data["version"]
    )


def _assign(user: User, code: str, data: dict[str, Any]) -> Feedback:
    return services.assign_feedback(
        code=code,
        actor=user,
        assignee=data["assignee"],
        reason=data["reason"],
        expected_version=data["version"],
    )


def _take(user: User, code: str, data: dict[str, Any]) -> Feedback:
    return services.take_feedback(code=code, actor=user, expected_version=data["version"])


def _release(user: User, code: str, data: dict[str, Any]) -> Feedback:
    return services.release_feedback(
        code=code, actor=user, reason=data["reason"], expected_version=data["version"]
    )


def _assign_form(data: Any, feedback: Feedback) -> AssignForm:
    initial = {"version": feedback.version}
    return AssignForm(data, initial=initial, candidates=assignable_staff(feedback))


def _plain(form_class: type[forms.Form]) -> Callable[[Any, Feedback], forms.Form]:
    return lambda data, feedback: form_class(data)


Run = Callable[[User, str, dict[str, Any]], Feedback]
# slug → (the form, bound to the posted data and the feedback; its name in the page; service; message)
ACTIONS: dict[str, tuple[Callable[[Any, Feedback], forms.Form], str, Run, Promise]] = {
    "chuyen": (_plain(ForwardForm), "forward_form", _forward, gettext_lazy("The feedback was forwarded.")),
    "tra-loi": (
        _plain(AnswerForm),
        "answer_form",
        _answer,
        gettext_lazy("The answer was sent to the sender."),
    ),
    "tu-choi": (
        _plain(DeclineForm),
        "decline_form",
        _decline,
        gettext_lazy("The feedback was declined; the sender is told why."),
    ),
    "cong-khai": (
        _plain(PublishForm),
        "publish_form",
        _publish,
        gettext_lazy("The question and its answer are published."),
    ),
    "go-cong-khai": (
        _plain(WithdrawForm),
        "withdraw_form",
        _withdraw,
        gettext_lazy("The answer is no longer published."),
    ),
    "giao": (_assign_form, "assign_form", _assign, gettext_lazy("The feedback was assigned.")),
    "nhan": (_plain(VersionForm), "take_form", _take, gettext_lazy("You now hold this feedback.")),
    "tra-lai": (
        _plain(ReleaseForm),
        "release_form",
        _release,
        gettext_lazy("Nobody holds the feedback now: a leader may assign it or a specialist take it."),
    ),
}


@staff_view
@require_POST
def act(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """One POST per action: validate, call the service, back to the page (errors keep what was typed)."""
    _allowed(request)
    if slug not in ACTIONS:
        raise Http404
    make_form, name, run, done = ACTIONS[slug]
    feedback = _load(request, code)
    form = make_form(request.POST, feedback)
    if not form.is_valid():
        return _detail(request, feedback, 422, **{name: form})
    try:
        run(acting_user(request), code, form.cleaned_data)
    except DomainError as error:
        if error.code == "feedback_not_found":
            raise Http404 from error
        place_error(form, error)
        return _detail(request, _load(request, code), 422 if error.status == 422 else 409, **{name: form})
    messages.success(request, str(done))
    if not staff_feedback(staff(request).full_scope).filter(code=code).exists():
        return redirect("feedback:inbox")  # forwarded out of the user's agencies
    return redirect("feedback:detail", code=code)


@staff_view
@require_GET
def attachment(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    _allowed(request)
    stored = _load(request, code).files.filter(pk=file_id).first()
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name)
    response["Cache-Control"] = "private, no-store"
    return response
