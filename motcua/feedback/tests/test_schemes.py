"""The satisfaction scheme is data: the shipped file is valid, versions are picked by date, errors listed."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from motcua.feedback import schemes
from motcua.feedback.schemes import DEFAULT_FILE, SchemeError, parse_schemes


@pytest.fixture
def shipped() -> dict:
    return json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def test_the_shipped_scheme_has_nine_criteria_worth_eighteen_points_and_the_portal_scale(shipped):
    (scheme,) = parse_schemes(shipped)

    assert len(scheme.criteria) == 9 and scheme.max_points == 18
    assert [str(lv.label) for lv in scheme.levels] == ["Rất hài lòng", "Hài lòng", "Không hài lòng"]
    assert [lv.satisfied for lv in scheme.levels] == [True, True, False]
    assert [c.code for c in scheme.citizen_criteria] == [
        "agencies_contacted",
        "desk_handling",
        "staff_attitude",
    ]
    assert scheme.goal == pytest.approx(0.75)
    assert scheme.answer_within == (10, "d")
    assert {i.code for i in scheme.indicators} >= {
        "feedback_on_time",
        "feedback_satisfied",
        "dossiers_satisfied",
    }


def test_computed_criteria_score_by_value_and_by_band(shipped):
    (scheme,) = parse_schemes(shipped)
    by_code = {c.code: c for c in scheme.criteria}

    assert [by_code["total_time"].score(v) for v in ("early", "on_time", "late")] == [2, 1, 0]
    assert [by_code["contacts"].score(n) for n in (0, 1, 2, 7)] == [2, 1, 0, 0]
    assert by_code["online_service"].score("partial") == 1


def test_a_new_version_applies_from_its_start_and_an_old_dossier_keeps_the_old_one(shipped):
    data = copy.deepcopy(shipped)
    newer = copy.deepcopy(data["schemes"][0])
    newer["code"], newer["effective_from"], newer["goal"] = "nd118-2025", "2025-07-01", 0.8
    data["schemes"][0]["effective_to"] = "2025-06-30"
    data["schemes"].append(newer)

    versions = parse_schemes(data)

    pick = {s.code: s for s in versions}
    assert [s.code for s in versions if s.covers(dt.date(2025, 6, 30))] == ["nd61-2018"]
    assert [s.code for s in versions if s.covers(dt.date(2025, 7, 1))] == ["nd118-2025"]
    assert float(pick["nd118-2025"].goal) == pytest.approx(0.8)


def test_every_mistake_of_a_broken_file_is_listed_at_once(shipped):
    data = copy.deepcopy(shipped)
    scheme = data["schemes"][0]
    scheme["criteria"][0]["measure"] = "mood_of_the_officer"
    scheme["levels"] = [scheme["levels"][0]]  # no "not satisfied" level
    scheme["feedback"]["answer_within"] = "ten days"
    scheme["indicators"][0]["numerator"] = ["complaints_by_fax"]
    data["schemes"].append(copy.deepcopy(shipped["schemes"][0]) | {"code": "overlap"})

    with pytest.raises(SchemeError) as caught:
        parse_schemes(data)

    text = " | ".join(caught.value.problems)
    for expected in (
        "mood_of_the_officer",
        "some satisfied and some not",
        "10d",
        "known counts",
        "must end before",
    ):
        assert expected in text


def test_the_system_check_reports_a_broken_scheme_file(settings, tmp_path, shipped):
    broken = tmp_path / "scheme.json"
    shipped["schemes"][0]["criteria"][2]["bands"] = [[0, 2], [1, 1]]  # no band for "more"
    broken.write_text(json.dumps(shipped), encoding="utf-8")
    settings.MOTCUA = {**settings.MOTCUA, "SATISFACTION_FILE": str(broken)}
    schemes._load.cache_clear()
    try:
        with pytest.raises(SystemCheckError, match="the last band must take any value"):
            call_command("check")
    finally:
        schemes._load.cache_clear()
