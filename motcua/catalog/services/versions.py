"""The life of a procedure: create, amend, replace, abolish; publish and unpublish versions.

One rule holds throughout: on any day at most one published version of a procedure is in force.
Publishing a version closes the one before it (its effective_to becomes the day before); unpublishing
reopens it. Content never changes once published: amendments are new versions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.choices import Change, Status
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import CONTENT_PREFETCH, read_content
from motcua.catalog.services.content import derive_columns, write_content
from motcua.catalog.spec import PROCEDURE_CODE_PATTERN, VersionContent
from motcua.core.errors import Conflict, ValidationFailed

ONE_DAY = dt.timedelta(days=1)


def _lock(procedure: Procedure) -> Procedure:
    return Procedure.objects.select_for_update().get(pk=procedure.pk)


def _latest_published(
    procedure: Procedure, *, exclude: ProcedureVersion | None = None
) -> ProcedureVersion | None:
    versions = procedure.versions.filter(status=Status.PUBLISHED)
    if exclude is not None:
        versions = versions.exclude(pk=exclude.pk)
    return versions.order_by("-effective_from").first()


def _check_can_add(procedure: Procedure, effective_from: dt.date) -> None:
    if procedure.abolished_on is not None and effective_from >= procedure.abolished_on:
        raise Conflict(
            _("Procedure %(code)s was abolished on %(date)s.")
            % {"code": procedure.code, "date": f"{procedure.abolished_on:%d/%m/%Y}"},
            code="procedure_abolished",
        )
    if procedure.versions.filter(effective_from=effective_from).exists():
        raise Conflict(
            _("Procedure %(code)s already has a version in force from %(date)s.")
            % {"code": procedure.code, "date": f"{effective_from:%d/%m/%Y}"},
            code="version_exists",
        )
    latest = _latest_published(procedure)
    if latest is not None and effective_from <= latest.effective_from:
        raise Conflict(
            _(
                "An amending version must take effect after %(date)s, "
                "the date of the latest published version."
            )
            % {"date": f"{latest.effective_from:%d/%m/%Y}"},
            code="amendment_not_later",
        )


def _add_version(
    *,
    procedure: Procedure,
    content: VersionContent,
    effective_from: dt.date,
    decision: str,
    change: str,
    replaces: Sequence[Procedure] = (),
    status: str,
) -> ProcedureVersion:
    number = (procedure.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = ProcedureVersion(
        procedure=procedure, number=number, effective_from=effective_from, decision=decision, change=change
    )
    write_content(version, content, replaces=[p.code for p in replaces])
    if replaces:
        version.replaces.set(replaces)
    if status == Status.PUBLISHED:
        return publish_version(version=version)
    elif status == Status.UNPUBLISHED:
        # Imported history: published elsewhere, then withdrawn; it never closes another version here.
        version.status, version.published_at = Status.UNPUBLISHED, timezone.now()
        version.save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def create_procedure(
    *,
    code: str,
    content: VersionContent,
    effective_from: dt.date,
    decision: str = "",
    status: str = Status.DRAFT,
) -> ProcedureVersion:
    """Add a new procedure with its first version."""
    if not re.match(PROCEDURE_CODE_PATTERN, code):
        raise ValidationFailed(
            _("Invalid procedure code: %(code)s.") % {"code": code}, code="invalid_procedure_code"
        )
    if Procedure.objects.filter(code=code).exists():
        raise Conflict(
            _("Procedure %(code)s is already in the catalog.") % {"code": code}, code="procedure_exists"
        )
    procedure = Procedure.objects.create(code=code)
    return _add_version(
        procedure=procedure,
        content=content,
        effective_from=effective_from,
        decision=decision,
        change=Change.NEW,
        status=status,
    )


@transaction.atomic
def amend_procedure(
    *,
    procedure: Procedure,
    content: VersionContent,
    effective_from: dt.date,
    decision: str = "",
    status: str = Status.DRAFT,
) -> ProcedureVersion:
    """Add a version that takes over from the version in force on `effective_from`."""
    procedure = _lock(procedure)
    _check_can_add(procedure, effective_from)
    return _add_version(
        procedure=procedure,
        content=content,
        effective_from=effective_from,
        decision=decision,
        change=Change.AMEND,
        status=status,
    )


@transaction.atomic
def replace_procedure(
    *,
    replaced: Sequence[Procedure],
    code: str,
    content: VersionContent,
    effective_from: dt.date,
    decision: str = "",
    status: str = Status.DRAFT,
) -> ProcedureVersion:
    """Add a version of procedure `code` (new or existing) that replaces others once published."""
    if not replaced or any(p.code == code for p in replaced):
        raise ValidationFailed(
            _("The list of replaced procedures is not valid."), code="invalid_replaced_procedures"
        )
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        if not re.match(PROCEDURE_CODE_PATTERN, code):
            raise ValidationFailed(
                _("Invalid procedure code: %(code)s.") % {"code": code}, code="invalid_procedure_code"
            )
        procedure = Procedure.objects.create(code=code)
    else:
        procedure = _lock(procedure)
        _check_can_add(procedure, effective_from)
    return _add_version(
        procedure=procedure,
        content=content,
        effective_from=effective_from,
        decision=decision,
        change=Change.REPLACE,
        replaces=replaced,
        status=status,
    )


def _retire(procedure: Procedure, *, on: dt.date, decision: str, replaced_by: Procedure | None) -> None:
    procedure = _lock(procedure)
    if procedure.abolished_on is not None:
        if procedure.abolished_on == on and procedure.replaced_by_id == (replaced_by and replaced_by.pk):
            return
        raise Conflict(
            _("Procedure %(code)s was abolished on %(date)s.")
            % {"code": procedure.code, "date": f"{procedure.abolished_on:%d/%m/%Y}"},
            code="procedure_abolished",
        )
    latest = _latest_published(procedure)
    if latest is not None and latest.effective_from >= on:
        raise Conflict(
            _(
                "Procedure %(code)s has a version in force from %(version_date)s; "
                "it cannot be abolished on %(date)s."
            )
            % {
                "code": procedure.code,
                "version_date": f"{latest.effective_from:%d/%m/%Y}",
                "date": f"{on:%d/%m/%Y}",
            },
            code="abolition_before_version",
        )
    procedure.abolished_on, procedure.abolition_decision, procedure.replaced_by = on, decision, replaced_by
    procedure.save(update_fields=["abolished_on", "abolition_decision", "replaced_by"])
    if latest is not None and (latest.effective_to is None or latest.effective_to >= on):
        latest.effective_to = on - ONE_DAY
        latest.save(update_fields=["effective_to"])


@transaction.atomic
def abolish_procedure(*, procedure: Procedure, on: dt.date, decision: str = "") -> Procedure:
    """End a procedure: from `on` no version is in force and no new dossier may be received."""
    _retire(procedure, on=on, decision=decision, replaced_by=None)
    procedure.refresh_from_db()
    return procedure


@transaction.atomic
def publish_version(*, version: ProcedureVersion) -> ProcedureVersion:
    """Put a draft (or withdrawn) version in force from its date, closing the version before it."""
    procedure = _lock(version.procedure)
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == Status.PUBLISHED:
        raise Conflict(_("This version is already published."), code="already_published")
    if procedure.abolished_on is not None and version.effective_from >= procedure.abolished_on:
        raise Conflict(
            _("Procedure %(code)s was abolished on %(date)s.")
            % {"code": procedure.code, "date": f"{procedure.abolished_on:%d/%m/%Y}"},
            code="procedure_abolished",
        )
    later = procedure.versions.filter(status=Status.PUBLISHED, effective_from__gte=version.effective_from)
    if later.exists():
        raise Conflict(
            _("A version taking effect on or after this one is already published."),
            code="later_version_published",
        )
    previous = _latest_published(procedure)
    if previous is not None and (
        previous.effective_to is None or previous.effective_to >= version.effective_from
    ):
        previous.effective_to = version.effective_from - ONE_DAY
        previous.save(update_fields=["effective_to"])
    version.status, version.published_at = Status.PUBLISHED, timezone.now()
    version.effective_to = procedure.abolished_on - ONE_DAY if procedure.abolished_on else None
    version.save(update_fields=["status", "published_at", "effective_to"])
    for old in version.replaces.all():
        _retire(old, on=version.effective_from, decision=version.decision, replaced_by=procedure)
    return version


def _reopen_before(procedure: Procedure, *, day: dt.date, until: dt.date | None) -> None:
    """Give back the days to the published version closed the day before `day`."""
    previous = (
        procedure.versions.filter(status=Status.PUBLISHED, effective_to=day - ONE_DAY)
        .order_by("-effective_from")
        .first()
    )
    if previous is not None:
        previous.effective_to = until
        previous.save(update_fields=["effective_to"])


@transaction.atomic
def unpublish_version(*, version: ProcedureVersion) -> ProcedureVersion:
    """Withdraw a published version; the version it had closed is in force again, replacements undone.

    The row stays: dossiers received under it keep pointing at it.
    """
    procedure = _lock(version.procedure)
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.PUBLISHED:
        raise Conflict(_("This version is not published."), code="not_published")
    version.status = Status.UNPUBLISHED
    version.save(update_fields=["status"])
    _reopen_before(procedure, day=version.effective_from, until=version.effective_to)
    for old in version.replaces.select_for_update():
        if old.replaced_by_id == procedure.pk and old.abolished_on == version.effective_from:
            old.abolished_on, old.replaced_by, old.abolition_decision = None, None, ""
            old.save(update_fields=["abolished_on", "replaced_by", "abolition_decision"])
            _reopen_before(old, day=version.effective_from, until=None)
    return version


@transaction.atomic
def update_draft(
    *, version: ProcedureVersion, content: VersionContent, decision: str | None = None
) -> ProcedureVersion:
    """Rewrite the content of a draft version; anything published is immutable."""
    version = ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    if not version.is_editable:
        raise Conflict(
            _("A published version cannot be edited; create an amending version."), code="version_immutable"
        )
    if decision is not None:
        version.decision = decision
    return write_content(version, content, replaces=[p.code for p in version.replaces.all()])


@transaction.atomic
def refresh_version(*, version: ProcedureVersion) -> ProcedureVersion:
    """Recompute the derived columns of a draft edited row by row (in the admin)."""
    version = (
        ProcedureVersion.objects.select_for_update(of=("self",))
        .select_related("procedure", "field", "lead_agency")
        .prefetch_related(*CONTENT_PREFETCH)
        .get(pk=version.pk)
    )
    if not version.is_editable:
        raise Conflict(
            _("A published version cannot be edited; create an amending version."), code="version_immutable"
        )
    derive_columns(version, read_content(version), replaces=[p.code for p in version.replaces.all()])
    version.save(update_fields=["search_name", "search_text", "content_hash"])
    return version
