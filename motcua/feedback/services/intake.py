"""Receive a citizen's feedback: check who and what it concerns, route it to an agency, set its due moment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import version_in_force
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.models import User
from motcua.dossiers.codes import new_lookup_secret, next_sequence
from motcua.dossiers.lookup import find_for_lookup
from motcua.dossiers.models import Dossier
from motcua.dossiers.uploads import StreamedFile, Upload, check_upload, measure
from motcua.feedback.deadlines import answer_due
from motcua.feedback.models import Feedback, FeedbackAction, FeedbackFile, FeedbackStatus, Topic
from motcua.feedback.schemes import scheme_for
from motcua.feedback.selectors import find_for_sender
from motcua.feedback.services.events import record
from motcua.notify.phones import normalise_phone
from motcua.org.models import Agency

CODE_PREFIX = "PAKN"
MAX_FILES = 5


@dataclass(frozen=True)
class FeedbackIn:
    """What the sender wrote; the codes name the procedure, agency, dossier or earlier feedback concerned."""

    topic: str
    subject: str
    content: str
    sender_name: str
    sender_phone: str = ""
    sender_email: str = ""
    procedure_code: str = ""
    agency_code: str = ""
    dossier_code: str = ""
    dossier_secret: str = ""
    follow_up_code: str = ""
    follow_up_secret: str = ""
    files: list[Upload] = field(default_factory=list)


def _invalid(message: str, code: str, name: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={name: message})


def _check_text(data: FeedbackIn) -> tuple[str, str]:
    if data.topic not in Topic.values:
        raise _invalid(_("Choose what your feedback is about."), "invalid_topic", "topic")
    for name, value, limit in (("subject", data.subject, 200), ("content", data.content, 10000)):
        if not value.strip() or len(value.strip()) > limit:
            raise _invalid(_("Write this part (at most %(n)s characters).") % {"n": limit}, "required", name)
    if not data.sender_name.strip():
        raise _invalid(_("Write your name, so that we can answer you."), "required", "sender_name")
    phone = normalise_phone(data.sender_phone) if data.sender_phone.strip() else ""
    if data.sender_phone.strip() and not phone:
        raise _invalid(_("Enter a phone number like 0912345678."), "invalid_phone", "sender_phone")
    if not phone and not data.sender_email.strip():
        raise _invalid(
            _("Give a phone number or an e-mail address for the answer."), "contact_required", "sender_phone"
        )
    return phone, data.sender_email.strip()


def _dossier(data: FeedbackIn, sender: User | None) -> Dossier | None:
    """The dossier concerned, proven by its look-up secret or by being its signed-in applicant."""
    if not data.dossier_code.strip():
        if data.topic == Topic.HANDLING:
            raise _invalid(_("Enter the code of the dossier concerned."), "dossier_required", "dossier_code")
        return None
    dossier = find_for_lookup(data.dossier_code, data.dossier_secret) if data.dossier_secret.strip() else None
    if dossier is None and sender is not None:
        dossier = Dossier.objects.filter(code=data.dossier_code.strip(), citizen=sender).first()
    if dossier is None:
        raise _invalid(
            _("No dossier was found with this code and look-up code. Please check your appointment slip."),
            "dossier_not_found",
            "dossier_code",
        )
    return dossier


def _version(procedure: Procedure, now: dt.datetime) -> ProcedureVersion | None:
    try:
        return version_in_force(procedure, now)
    except NotFound:  # abolished or not yet in force: its last published rules are what is questioned
        return procedure.versions.filter(status="published").order_by("-effective_from").first()


def _route(
    data: FeedbackIn, dossier: Dossier | None, previous: Feedback | None, now: dt.datetime
) -> tuple[Procedure | None, Agency]:
    """Pick the responsible agency: the dossier's handling agency, the one chosen, or the procedure's lead."""
    procedure = dossier.procedure if dossier is not None else None
    if procedure is None and data.procedure_code.strip():
        procedure = Procedure.objects.filter(code=data.procedure_code.strip()).first()
        if procedure is None:
            raise _invalid(
                _("There is no procedure with this code."), "procedure_not_found", "procedure_code"
            )
    if procedure is None and previous is not None:
        procedure = previous.procedure
    if procedure is None and data.topic == Topic.REGULATION:
        raise _invalid(
            _("Choose the procedure your feedback is about."), "procedure_required", "procedure_code"
        )
    if dossier is not None:
        return procedure, dossier.lead_agency
    if data.agency_code.strip():
        agency = Agency.objects.filter(code=data.agency_code.strip(), is_active=True).first()
        if agency is None:
            raise _invalid(_("Choose an agency from the list."), "agency_not_found", "agency_code")
        return procedure, agency
    if previous is not None:
        return procedure, previous.agency
    version = _version(procedure, now) if procedure is not None else None
    if version is not None and version.lead_agency is not None:
        return procedure, version.lead_agency
    # A procedure handled by "the local agency where you file" names no one agency: the sender chooses.
    raise _invalid(_("Choose the agency your feedback is addressed to."), "agency_required", "agency_code")


def _previous(data: FeedbackIn) -> Feedback | None:
    if not data.follow_up_code.strip():
        return None
    previous = find_for_sender(data.follow_up_code, data.follow_up_secret)
    if previous is None:
        raise _invalid(
            _("No feedback was found with this code and secret."), "feedback_not_found", "follow_up_code"
        )
    return previous


def _checked_files(files: list[Upload]) -> list[tuple[Upload, str]]:
    if len(files) > MAX_FILES:
        raise _invalid(_("Attach at most %(n)s files.") % {"n": MAX_FILES}, "too_many_files", "files")
    try:
        return [(upload, check_upload(upload)) for upload in files]
    except ValidationFailed as error:
        raise _invalid(error.message, error.code, "files") from None


@transaction.atomic
def submit_feedback(
    *,
    data: FeedbackIn,
    sender: User | None = None,
    submission_key: str = "",
    submission_hash: str = "",
    now: dt.datetime | None = None,
) -> Feedback:
    """Receive a feedback: route it, give it a code, a secret and a due moment, tell the sender and agency."""
    now = now or timezone.now()
    phone, email = _check_text(data)
    checked = _checked_files(data.files)
    previous = _previous(data)
    dossier = _dossier(data, sender)
    procedure, agency = _route(data, dossier, previous, now)
    scheme = scheme_for(timezone.localdate(now))
    day = timezone.localtime(now).date()
    feedback = Feedback.objects.create(
        code=f"{CODE_PREFIX}-{day:%y%m%d}-{next_sequence(prefix=CODE_PREFIX, day=day):04d}",
        secret=new_lookup_secret(),
        topic=data.topic,
        procedure=procedure,
        dossier=dossier,
        agency=agency,
        service_point=dossier.receiving_point if dossier is not None else None,
        subject=data.subject.strip(),
        content=data.content.strip(),
        sender_name=data.sender_name.strip()[:200],
        sender_phone=phone,
        sender_email=email,
        sender_user=sender if sender is not None and sender.is_authenticated else None,
        status=FeedbackStatus.OPEN,
        scheme=scheme.code,
        received_at=now,
        due_at=answer_due(now, scheme),
        follow_up_of=previous,
        submission_key=submission_key,
        submission_hash=submission_hash,
    )
    for upload, content_type in checked:
        _store(feedback, upload, content_type, now)
    who = sender.full_name if sender is not None and sender.full_name else feedback.sender_name
    if previous is not None:
        record(
            previous,
            FeedbackAction.FOLLOW_UP,
            actor=sender,
            at=now,
            name=who,
            data={"follow_up": feedback.code},
        )
    record(feedback, FeedbackAction.SUBMIT, actor=sender, at=now, name=who, to_agency=agency)
    return feedback


def _store(feedback: Feedback, upload: Upload, content_type: str, now: dt.datetime) -> FeedbackFile:
    measured = measure(upload)
    stored = FeedbackFile(
        feedback=feedback,
        original_name=upload.name[:255],
        content_type=content_type,
        size=measured.size,
        sha256=measured.sha256,
        uploaded_at=now,
    )
    stored.file.save(measured.sha256, StreamedFile(upload), save=False)
    stored.save()
    return stored
