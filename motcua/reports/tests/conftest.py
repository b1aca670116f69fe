"""A month of dossiers with every ending a report counts, made through the real services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from motcua.dossiers import services
from motcua.dossiers.access import can_act_on_step
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.routing import only_return_left
from motcua.dossiers.tests.conftest import at, birth_bundle, pdf, people, points, province  # noqa: F401
from motcua.reports import periods

NOVEMBER = periods.month(2025, 11)
SPOT = "2.000815"  # settled on the spot at the counter


def finish(dossier: Dossier, personas: dict, when: str, *, results: bool = True) -> Dossier:
    """Take every step to its end at `when`, mark the result ready and hand it over."""
    moment = at(when)
    while not only_return_left(list(dossier.steps.all())):
        step = dossier.steps.filter(status=StepStatus.ACTIVE).order_by("pk").first()
        actor = next(u for u in personas.values() if can_act_on_step(u, step))
        services.complete_step(code=dossier.code, step_id=step.pk, actor=actor, now=moment)
    services.mark_result_ready(
        code=dossier.code,
        actor=personas["motcua.thanhsen"],
        results=[pdf("ket-qua.pdf")] if results else [],
        now=moment,
    )
    services.hand_over_result(code=dossier.code, actor=personas["motcua.thanhsen"], now=moment)
    dossier.refresh_from_db()
    return dossier


def receive(personas: dict, desks: dict, when: str, **overrides) -> Dossier:
    return services.receive_dossier(
        data=birth_bundle(**overrides),
        point=desks["ttpvhcc-thanhsen"],
        actor=personas["motcua.thanhsen"],
        now=at(when),
    )


def on_the_spot(personas: dict, desks: dict, when: str, number: int) -> Dossier:
    return services.handle_on_the_spot(
        data=birth_bundle(
            procedure_code=SPOT,
            provided=[0, 1],
            uploads=[pdf("ban-chinh.pdf", 0), pdf("ban-sao.pdf", 1)],
            applicant=services.ApplicantIn(name="Lê Văn Cường", id_number=f"04209000{number:04d}"),
        ),
        point=desks["ttpvhcc-thanhsen"],
        actor=personas["motcua.thanhsen"],
        now=at(when),
    )


@dataclass
class Month:
    """What the November 2025 data set holds, for the assertions."""

    carried_late: Dossier  # received in October, still in hand: late at the end of November
    carried_resolved: Dossier  # received in October, resolved late in November
    spot: list[Dossier]  # two settled on the spot in November (early or on time), fully digitised
    refused: Dossier  # received in November, refused during processing
    in_hand: Dossier  # received on the last afternoon of November: within its limit at the end
    online: Dossier  # filed online, accepted in November, still in hand
    december: Dossier  # received in December: not in November's report


@pytest.fixture
def month(people, points) -> Month:  # noqa: F811
    carried_late = receive(people, points, "2025-10-27 09:00")
    carried_resolved = receive(people, points, "2025-10-28 09:00", applicant=_applicant(2))
    finish(carried_resolved, people, "2025-11-12 10:00")
    spot = [on_the_spot(people, points, "2025-11-05 09:00", n) for n in (3, 4)]
    refused = receive(people, points, "2025-11-10 09:00", applicant=_applicant(5))
    services.refuse_dossier(
        code=refused.code,
        actor=people["cv.tuphap.thanhsen"],
        reasons="Người yêu cầu không thuộc diện được đăng ký.",
        now=at("2025-11-11 09:00"),
    )
    in_hand = receive(people, points, "2025-11-28 14:00", applicant=_applicant(6))
    online = _online(people, points)
    december = receive(people, points, "2025-12-01 09:00", applicant=_applicant(8))
    return Month(carried_late, carried_resolved, spot, refused, in_hand, online, december)


def _applicant(number: int) -> services.ApplicantIn:
    return services.ApplicantIn(
        name=f"Người nộp {number}", id_number=f"04209100{number:04d}", phone="0912345678"
    )


def _online(personas: dict, desks: dict) -> Dossier:
    submitted = services.submit_online(
        data=birth_bundle(applicant=_applicant(7)),
        point=desks["ttpvhcc-thanhsen"],
        citizen=personas["citizen"],
        now=at("2025-11-20 20:00"),
    )
    officer = personas["motcua.thanhsen"]
    return services.accept_submission(code=submitted.code, actor=officer, now=at("2025-11-21 08:30"))
