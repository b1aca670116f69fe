"""Rating an ended dossier: once, by the applicant only, with the evaluation computed from its record."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection

from motcua.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import DossierEvent
from motcua.feedback import schemes, services
from motcua.feedback.models import Rating
from motcua.feedback.services import rate_dossier
from motcua.notify.models import OutboxMessage

from .conftest import RATE_ALL, at, birth_bundle, finish, pdf, regulation


def _points(rating: Rating) -> dict[str, int]:
    return {c["code"]: c["points"] for c in rating.criteria}


def _values(rating: Rating) -> dict[str, object]:
    return {c["code"]: c["value"] for c in rating.criteria}


def test_a_late_dossier_loses_the_time_points_and_keeps_the_citizens_answers(late):
    answers = {"agencies_contacted": "1", "desk_handling": "2", "staff_attitude": "0"}

    rating = rate_dossier(
        code=late.code,
        level="satisfied",
        answers=answers,
        channel="lookup",
        secret=late.lookup_secret.lower(),
    )

    values, points = _values(rating), _points(rating)
    assert values["total_time"] == "late" and points["total_time"] == 0
    assert values["agency_time"] == "late" and points["agency_time"] == 0
    assert values["contacts"] == 0 and points["contacts"] == 2  # never asked to come back
    assert values["online_service"] == "full" and points["online_service"] == 2
    assert values["publication"] == "complete" and points["publication"] == 2
    assert values["feedback_handling"] == "none" and points["feedback_handling"] == 2
    assert [points[c] for c in ("agencies_contacted", "desk_handling", "staff_attitude")] == [1, 2, 0]
    assert (rating.total, rating.max_total, rating.satisfied) == (sum(points.values()), 18, True)
    assert rating.total == 11
    # Each agency's worst step is kept: the committee's review step of 0.75 day was done days late.
    by_agency = next(c["detail"]["by_agency"] for c in rating.criteria if c["code"] == "agency_time")
    assert "late" in by_agency.values() and len(by_agency) == 3


def test_a_dossier_handled_on_the_spot_is_on_time_at_every_agency(people, points):
    dossier = dossier_services.handle_on_the_spot(
        data=birth_bundle(procedure_code="2.000815", provided=[0, 1], uploads=[pdf()]),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-10 09:00"),
    )

    rating = rate_dossier(
        code=dossier.code,
        level="very_satisfied",
        answers=RATE_ALL,
        channel="lookup",
        secret=dossier.lookup_secret,
    )

    values, points_ = _values(rating), _points(rating)
    assert values["total_time"] == dossier.outcome == "on_time" and points_["total_time"] == 1
    assert values["agency_time"] in ("early", "on_time") and points_["agency_time"] >= 1
    assert (
        points_["online_service"]
        == {"full": 2, "partial": 1, "none": 0}[dossier.procedure_version.online_level]
    )


def test_completion_and_supplement_requests_count_as_contacts(people, points):
    received = dossier_services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )
    dossier_services.request_supplement(
        code=received.code,
        actor=people["cv.tuphap.thanhsen"],
        items=[dossier_services.RequestItem(position=2, reason="Thiếu giấy tờ chỗ ở.")],
        now=at("2025-11-03 10:00"),
    )
    dossier_services.receive_supplement(
        code=received.code,
        actor=people["motcua.thanhsen"],
        uploads=[pdf("cho-o.pdf", 2)],
        provided=[2],
        now=at("2025-11-04 09:00"),
    )
    finish(received, people, "2025-11-05 09:00")

    rating = rate_dossier(
        code=received.code,
        level="satisfied",
        answers=RATE_ALL,
        channel="lookup",
        secret=received.lookup_secret,
    )

    assert _values(rating)["contacts"] == 1 and _points(rating)["contacts"] == 1


def test_rating_appends_a_rate_event_through_the_lifecycle(early, people):
    rating = rate_dossier(
        code=early.code, level="satisfied", answers=RATE_ALL, channel="portal", actor=people["citizen"]
    )

    event = DossierEvent.objects.filter(dossier=early).order_by("-pk").first()
    assert event is not None and event.action == Action.RATE
    assert event.actor == people["citizen"] and event.to_status == event.from_status == "returned"
    assert event.data == {"level": "satisfied", "satisfied": True, "total": rating.total, "channel": "portal"}
    early.refresh_from_db()
    assert early.version == event.dossier.version


def test_a_dossier_is_rated_once_and_the_second_rating_is_refused(late):
    rate_dossier(
        code=late.code, level="satisfied", answers=RATE_ALL, channel="lookup", secret=late.lookup_secret
    )

    with pytest.raises(TransitionNotAllowed) as caught:
        rate_dossier(
            code=late.code, level="unsatisfied", answers=RATE_ALL, channel="lookup", secret=late.lookup_secret
        )

    assert caught.value.code == "already_rated"
    assert Rating.objects.get(dossier=late).level == "satisfied"


def test_a_dossier_still_in_processing_cannot_be_rated(open_dossier):
    with pytest.raises(TransitionNotAllowed) as caught:
        rate_dossier(
            code=open_dossier.code,
            level="satisfied",
            answers=RATE_ALL,
            channel="lookup",
            secret=open_dossier.lookup_secret,
        )

    assert caught.value.code == "dossier_not_ended"
    assert not Rating.objects.exists()


def test_only_the_applicant_the_secret_holder_or_the_receiving_counter_may_rate(late, early, people):
    for attempt in (
        {"channel": "lookup", "secret": "WRONGSECRT"},
        {"channel": "portal", "actor": people["stranger"]},
        {"channel": "portal", "actor": people["citizen"]},  # a counter dossier: not on her account
        {"channel": "counter", "actor": people["motcua.thachha"]},  # another commune's counter
        {"channel": "counter", "actor": people["cv.tuphap.thanhsen"]},  # not a counter officer
        {"channel": "portal"},
    ):
        with pytest.raises(NotFound):
            rate_dossier(code=late.code, level="satisfied", answers=RATE_ALL, **attempt)

    at_counter = rate_dossier(
        code=late.code,
        level="satisfied",
        answers=RATE_ALL,
        channel="counter",
        actor=people["motcua.thanhsen"],
    )
    own = rate_dossier(
        code=early.code, level="satisfied", answers=RATE_ALL, channel="portal", actor=people["citizen"]
    )
    assert (at_counter.rated_by, own.rated_by) == (people["motcua.thanhsen"], people["citizen"])


def test_every_question_must_be_answered_on_the_scale(late):
    with pytest.raises(ValidationFailed) as caught:
        rate_dossier(
            code=late.code,
            level="satisfied",
            answers={"agencies_contacted": "5", "desk_handling": ""},
            channel="lookup",
            secret=late.lookup_secret,
        )

    assert set(caught.value.fields) == {"agencies_contacted", "desk_handling", "staff_attitude"}
    with pytest.raises(ValidationFailed) as level:
        rate_dossier(
            code=late.code, level="ecstatic", answers=RATE_ALL, channel="lookup", secret=late.lookup_secret
        )
    assert "level" in level.value.fields
    assert not Rating.objects.exists()


def test_an_unsatisfied_rating_alerts_the_directors_of_the_receiving_point(late, people):
    rate_dossier(
        code=late.code,
        level="unsatisfied",
        answers=RATE_ALL,
        comment="Phải chờ lâu.",
        channel="lookup",
        secret=late.lookup_secret,
    )

    alerts = OutboxMessage.objects.filter(kind="rating_unsatisfied")
    assert {m.recipient for m in alerts} == {people["giamdoc.thanhsen"].email}
    assert "Không hài lòng" in alerts[0].subject and "Phải chờ lâu." in alerts[0].body


def test_a_satisfied_rating_alerts_nobody(late):
    rate_dossier(
        code=late.code, level="very_satisfied", answers=RATE_ALL, channel="lookup", secret=late.lookup_secret
    )

    assert not OutboxMessage.objects.filter(kind="rating_unsatisfied").exists()


def test_the_hand_over_message_invites_the_applicant_to_rate_with_the_lookup_link(late):
    sms = OutboxMessage.objects.get(dossier=late, kind="returned", channel="sms")
    mail = OutboxMessage.objects.get(dossier=late, kind="returned", channel="email")

    link = f"/tra-cuu/{late.code}?secret={late.lookup_secret}"
    assert "đánh giá" in sms.body and link in sms.body
    assert "đánh giá mức độ hài lòng" in mail.body and link in mail.body


def test_a_dossier_keeps_the_scheme_in_force_when_it_ended(late, settings, tmp_path, clock):
    data = json.loads(schemes.DEFAULT_FILE.read_text(encoding="utf-8"))
    newer = json.loads(json.dumps(data["schemes"][0])) | {
        "code": "nd118-2025b",
        "effective_from": "2025-11-15",
    }
    data["schemes"][0]["effective_to"] = "2025-11-14"
    data["schemes"].append(newer)
    path = tmp_path / "schemes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    settings.MOTCUA = {**settings.MOTCUA, "SATISFACTION_FILE": str(path)}
    clock.set("2025-11-20 09:00")

    rating = rate_dossier(
        code=late.code, level="satisfied", answers=RATE_ALL, channel="lookup", secret=late.lookup_secret
    )
    feedback = services.submit_feedback(data=regulation())

    assert rating.scheme == "nd61-2018"  # ended on 12/11, before the new version
    assert feedback.scheme == "nd118-2025b"


@pytest.mark.django_db(transaction=True)
def test_two_ratings_at_once_record_exactly_one(late):
    """Needs real row locks to be meaningful: on PostgreSQL the two run at once, on SQLite in turn."""
    serial = connection.vendor == "sqlite" and connection.is_in_memory_db()
    outcomes: list[str] = []

    def rate(level: str) -> None:
        try:
            rate_dossier(
                code=late.code, level=level, answers=RATE_ALL, channel="lookup", secret=late.lookup_secret
            )
            outcomes.append("rated")
        except TransitionNotAllowed as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(level,)) for level in ("satisfied", "unsatisfied")]
    for thread in threads:
        thread.start()
        if serial:
            thread.join()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already_rated", "rated"]
    assert Rating.objects.filter(dossier=late).count() == 1
    assert DossierEvent.objects.filter(dossier=late, action=Action.RATE).count() == 1
