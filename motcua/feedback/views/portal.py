"""Citizen pages of feedback: send one (no account needed), follow it with code and secret, read answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.responses import private
from motcua.dossiers.lookup import TOO_MANY_MESSAGE, LookupLimiter
from motcua.dossiers.uploads import Upload
from motcua.feedback import services
from motcua.feedback.forms import FeedbackForm, FollowForm, ReactionForm
from motcua.feedback.limits import TooMany, submit_within_limits
from motcua.feedback.models import Topic
from motcua.feedback.selectors import find_for_sender, follow, published_answers
from motcua.feedback.views import place_error

PAGE_SIZE = 10
SENT_KEY = "motcua_feedback_sent"  # the code and secret shown once after sending (session)


def _sender(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _initial(request: HttpRequest) -> dict[str, str]:
    """Prefill from the page the citizen came from (a procedure, a dossier) and from her account."""
    initial = {
        "procedure_code": request.GET.get("thu_tuc", "")[:30],
        "dossier_code": request.GET.get("ho_so", "")[:60],
        "follow_up_code": request.GET.get("tiep_theo", "")[:30],
        "follow_up_secret": request.GET.get("ma", "")[:32],
    }
    initial["topic"] = Topic.HANDLING if initial["dossier_code"] else Topic.REGULATION
    user = _sender(request)
    if user is not None:
        initial |= {"sender_name": user.full_name, "sender_phone": user.phone, "sender_email": user.email}
    return {k: v for k, v in initial.items() if v}


def _data(form: FeedbackForm, upload: Upload | None) -> services.FeedbackIn:
    data = form.cleaned_data
    agency = data.get("agency")
    return services.FeedbackIn(
        topic=data["topic"],
        subject=data["subject"],
        content=data["content"],
        sender_name=data["sender_name"],
        sender_phone=data.get("sender_phone", ""),
        sender_email=data.get("sender_email", ""),
        procedure_code=data.get("procedure_code", ""),
        agency_code=agency.code if agency is not None else "",
        dossier_code=data.get("dossier_code", ""),
        dossier_secret=data.get("dossier_secret", ""),
        follow_up_code=data.get("follow_up_code", ""),
        follow_up_secret=data.get("follow_up_secret", ""),
        files=[upload] if upload is not None else [],
    )


def _upload(request: HttpRequest) -> Upload | None:
    sent = request.FILES.get("attachment")
    if sent is None:
        return None
    return Upload.from_file(sent, name=sent.name or "tep")


def _form_page(request: HttpRequest, form: FeedbackForm, status: int = 200, error: str = "") -> HttpResponse:
    return render(request, "feedback/submit.html", {"form": form, "error": error}, status=status)


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """/phan-anh-kien-nghi/: anyone writes to the agencies; the answer is due within the scheme's limit."""
    if request.method != "POST":
        return _form_page(request, FeedbackForm(initial=_initial(request)))
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, 422)
    try:
        feedback = submit_within_limits(request, _data(form, _upload(request)), sender=_sender(request))
    except TooMany as refused:
        response = _form_page(request, form, 429, refused.message)
        response["Retry-After"] = str(refused.retry_after)
        return response
    except DomainError as error:
        place_error(form, error)
        return _form_page(request, form, 422)
    request.session[SENT_KEY] = {"code": feedback.code, "secret": feedback.secret}
    return redirect("feedback:sent", code=feedback.code)


@require_GET
def sent(request: HttpRequest, code: str) -> HttpResponse:
    """Show the code and secret once, right after sending; afterwards the page only says it was sent."""
    shown = request.session.pop(SENT_KEY, None) or {}
    feedback = find_for_sender(code, shown.get("secret", "")) if shown.get("code") == code else None
    return private(render(request, "feedback/sent.html", {"feedback": feedback, "code": code}))


def _follow_page(request: HttpRequest, form: FollowForm, status: int = 200, **extra: object) -> HttpResponse:
    # Once a feedback is shown, the form below it is for another one: empty, the secret not repeated.
    lookup_form = FollowForm() if "view" in extra else form
    context = {"form": form, "lookup_form": lookup_form, **extra}
    return private(render(request, "feedback/follow.html", context, status=status))


def _answer(request: HttpRequest, form: FollowForm, reaction: ReactionForm | None = None) -> HttpResponse:
    """Show the feedback for code and secret (wrong secrets count as failed look-ups); with `reaction`,
    a posted reaction, record it first."""
    if not form.is_valid():
        return _follow_page(request, form, 422)
    code, secret = form.cleaned_data["code"], form.cleaned_data["secret"]
    limiter = LookupLimiter.for_request(request, code)
    if limiter.blocked():
        response = _follow_page(request, form, 429, error=TOO_MANY_MESSAGE)
        response["Retry-After"] = str(limiter.retry_after)
        return response
    feedback = find_for_sender(code, secret)
    if feedback is None:
        limiter.fail()
        return _follow_page(request, form, 404, error=_("No feedback was found with this code and secret."))
    if reaction is not None and reaction.is_valid():
        try:
            data = reaction.cleaned_data
            feedback = services.react_to_answer(
                code=code, secret=secret, reaction=data["reaction"], comment=data["comment"]
            )
        except DomainError as error:
            place_error(reaction, error)
        else:
            messages.success(request, _("Thank you for telling us what you think of the answer."))
            reaction = None
    status = 422 if reaction is not None and reaction.errors else 200
    view = follow(feedback)
    return _follow_page(request, form, status, view=view, reaction_form=reaction or ReactionForm())


@require_http_methods(["GET", "POST"])
def follow_form(request: HttpRequest) -> HttpResponse:
    """The form; posted, so that a typed secret stays out of history and logs."""
    if request.method == "POST":
        return _answer(request, FollowForm(request.POST))
    return _follow_page(request, FollowForm())


@require_http_methods(["GET", "POST"])
def follow_code(request: HttpRequest, code: str) -> HttpResponse:
    """/phan-anh-kien-nghi/theo-doi/<code>?secret=… (the messages' link); a POST is the sender's reaction."""
    if request.method != "POST":
        return _answer(request, FollowForm({"code": code, "secret": request.GET.get("secret", "")}))
    form = FollowForm({"code": code, "secret": request.POST.get("secret", "")})
    return _answer(request, form, ReactionForm(request.POST))


@require_GET
def published(request: HttpRequest) -> HttpResponse:
    """Questions and their answers that the agencies published, without anyone's personal data."""
    procedure = request.GET.get("thu_tuc", "").strip()[:30]
    topic = request.GET.get("chu_de", "")
    page = Paginator(published_answers(procedure, topic), PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "page": page,
        "procedure": procedure,
        "topic": topic,
        "topics": Topic.choices,
        "query": query.urlencode(),
    }
    return render(request, "feedback/published.html", context)
