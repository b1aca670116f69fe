"""The demo feedback (one answered and published on a demo procedure) and the read-only admin pages."""

from __future__ import annotations

from django.test import Client

from motcua.core.demo import DemoReport
from motcua.feedback.demo import load_demo_feedback
from motcua.feedback.models import Feedback

from .conftest import at


def test_the_demo_feedback_loads_once_with_one_published_answer_on_a_demo_procedure(people):
    report = DemoReport()
    first = load_demo_feedback(report, now=at("2025-11-20 09:00"))
    again = load_demo_feedback(now=at("2025-11-21 09:00"))

    assert len(first) == 3 and report.changed and report.lines == first
    assert all(line.endswith("already there") for line in again)
    assert Feedback.objects.count() == 3
    published = Feedback.objects.get(published_at__isnull=False)
    assert published.procedure.code == "2.002621" and "0912000555" not in published.public_question
    assert "Hoàng Thị Mai" not in published.public_question
    html = Client().get("/thu-tuc/2.002621/").content.decode()
    assert "bản chính giấy chứng sinh" in html
    statuses = sorted(Feedback.objects.values_list("status", flat=True))
    assert statuses == ["answered", "open", "open"]


def test_the_admin_lists_feedback_and_ratings_and_shows_the_scheme_in_force(admin_client, people):
    load_demo_feedback(now=at("2025-11-20 09:00"))
    feedback = Feedback.objects.first()

    for url in (
        "/admin/feedback/feedback/",
        f"/admin/feedback/feedback/{feedback.pk}/change/",
        "/admin/feedback/rating/",
    ):
        assert admin_client.get(url).status_code == 200, url
    scheme = admin_client.get("/admin/feedback/rating/scheme/").content.decode()
    assert "nd61-2018" in scheme and "Thái độ của cán bộ, công chức" in scheme and "18" in scheme
    assert "feedback_handled_on_time" in scheme and "75%" in scheme
    assert admin_client.get("/admin/feedback/feedback/add/").status_code == 403
