"""Feedback personas: the demo province and its staff, dossiers taken to their end through the services."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.api.auth import issue_token
from motcua.api.tests import conftest as api_fixtures
from motcua.dossiers import services
from motcua.dossiers.access import can_act_on_step
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.tests import conftest as dossier_fixtures
from motcua.dossiers.tests.conftest import PDF, PNG, at, birth_bundle, pdf
from motcua.feedback.services import FeedbackIn, submit_feedback
from motcua.org.models import Agency, Role
from motcua.org.services import grant_role

__all__ = ["PDF", "PNG", "at", "birth_bundle", "pdf"]

# The demo province, its staff personas and service points, built through the real importers.
province = dossier_fixtures.province
people = dossier_fixtures.people
points = dossier_fixtures.points

HTMX = {"HTTP_HX_REQUEST": "true"}
RATE_ALL = {"agencies_contacted": "2", "desk_handling": "2", "staff_attitude": "2"}


# Uploads go to a folder of the test's own; rate-limit counters start from zero (autouse).
_isolated = api_fixtures._isolated


# `clock`: the moment every `timezone.now()` sees, 2025-11-03 09:00 until moved with `clock.set(...)`.
clock = api_fixtures.clock


def finish(dossier: Dossier, people: dict, when: str) -> Dossier:
    """Complete every step at `when`, mark the result ready and hand it over at the counter."""
    moment = at(when)
    for _ in range(20):
        step = dossier.steps.filter(status=StepStatus.ACTIVE).exclude(role="counter_officer").first()
        if step is None:
            break
        actor = next(p for name, p in people.items() if name != "citizen" and can_act_on_step(p, step))
        services.complete_step(code=dossier.code, step_id=step.pk, actor=actor, now=moment)
    officer = people["motcua.thanhsen"]
    services.mark_result_ready(code=dossier.code, actor=officer, results=[pdf("ket-qua.pdf")], now=moment)
    return services.hand_over_result(code=dossier.code, actor=officer, now=moment)


@pytest.fixture
def late(people, points) -> Dossier:
    """The birth bundle received Monday 03/11/2025, due Thursday 06/11, every step done on 12/11: late."""
    received = services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )
    return finish(received, people, "2025-11-12 10:00")


@pytest.fixture
def early(people, points) -> Dossier:
    """The same bundle, filed online by the citizen and accepted, done the next morning: early."""
    filed = services.submit_online(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        citizen=people["citizen"],
        now=at("2025-11-03 08:00"),
    )
    services.accept_submission(code=filed.code, actor=people["motcua.thanhsen"], now=at("2025-11-03 08:30"))
    return finish(filed, people, "2025-11-04 10:00")


@pytest.fixture
def open_dossier(people, points) -> Dossier:
    return services.receive_dossier(
        data=birth_bundle(),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-18 09:00"),
    )


def regulation(**overrides) -> FeedbackIn:
    """A question on the rules of the birth bundle, from a person without an account."""
    values: dict = dict(
        topic="regulation",
        subject="Thời hạn giải quyết liên thông khai sinh",
        content="Tôi là Trần Văn Bình, số điện thoại 0912345678. Vì sao phải nộp bản sao giấy chứng sinh?",
        sender_name="Trần Văn Bình",
        sender_phone="0912345678",
        sender_email="binh@example.vn",
        procedure_code="2.002621",
        agency_code="H42.50.01",
    )
    values.update(overrides)
    return FeedbackIn(**values)


@pytest.fixture
def received(province, clock):
    """A question received Monday 17/11/2025 09:00 by the Thành Sen committee: due 01/12 09:00."""
    clock.set("2025-11-17 09:00")
    return submit_feedback(data=regulation())


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def second(people):
    """A second specialist of the Thành Sen committee (the demo has one), given her role by the service."""
    user = get_user_model().objects.create_user(
        "cv2.thanhsen", password="x", full_name="Đinh Thị Hoa", email="hoa.dinh@thanhsen.example.vn"
    )
    grant_role(user=user, role=Role.SPECIALIST, agency=Agency.objects.get(code="H42.50.01"))
    return user


def bearer(user) -> dict[str, str]:
    """The Authorization header of an API token of `user`."""
    _token, key = issue_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
