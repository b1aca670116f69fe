"""The quality scheme is data that must add up, and its score is points × rate of what is measured."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from motcua.reports.scheme import DATA, Measurement, SchemeError, in_force, parse, schemes, score

RAW = json.loads((DATA / "decision-766-2022.json").read_text(encoding="utf-8"))


def test_the_shipped_scheme_has_decision_766s_five_groups_worth_100_points():
    [scheme] = schemes()

    assert [(g.key, g.points) for g in scheme.groups] == [
        ("transparency", 18),
        ("progress", 20),
        ("online", 22),
        ("digitisation", 22),
        ("satisfaction", 18),
    ]
    assert scheme.points == 100


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["groups"][0]["indicators"][0].update(points=10), "add up to 19.0, not 18.0"),
        (lambda raw: raw["groups"][1].update(points=21), "add up to 20.0, not 21.0"),
        (lambda raw: raw["groups"][2]["indicators"][0].update(key="resolved_on_time"), "used twice"),
    ],
)
def test_a_scheme_that_does_not_add_up_is_refused_at_load(change, message):
    raw = copy.deepcopy(RAW)
    change(raw)

    with pytest.raises(SchemeError, match=message):
        parse(raw)


def test_the_scheme_in_force_on_a_day_scores_that_day():
    older = parse({**RAW, "scheme": "older", "effective_from": "2020-01-01"})
    newer = parse({**RAW, "scheme": "newer", "effective_from": "2026-01-01"})

    assert in_force(dt.date(2025, 12, 31), (older, newer)).key == "older"
    assert in_force(dt.date(2026, 1, 1), (older, newer)).key == "newer"
    assert in_force(dt.date(2019, 1, 1), (older, newer)).key == "older"


def test_points_are_rate_times_weight_and_unmeasured_indicators_are_left_out():
    scheme = parse(RAW)
    measured = {
        "on_time": Measurement(9, 10),  # 14 points × 0.9
        "apologised_late": Measurement(0, 0),  # nothing late: met in full, 6 points
        "online_payments": Measurement(reason="no payments"),
    }

    card = score(scheme, measured)

    progress = next(g for g in card.groups if g.group.key == "progress")
    assert progress.points == pytest.approx(12.6 + 6)
    assert card.points == pytest.approx(18.6)
    assert card.measurable == 20  # only the progress group was measured
    assert card.share_of_measurable == pytest.approx(18.6 / 20)
    payment = next(s for g in card.groups for s in g.indicators if s.indicator.measure == "online_payments")
    assert payment.points is None and payment.measurement.reason == "no payments"
