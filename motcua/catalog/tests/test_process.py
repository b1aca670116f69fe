from __future__ import annotations

from decimal import Decimal

from motcua.catalog.process import critical_path_days, process_warnings
from motcua.catalog.spec import AgencyRef, StepSpec

LEAD = AgencyRef(kind="lead")


def step(stage: int, days: str, branch: str = "", counts: bool = True) -> StepSpec:
    return StepSpec(
        stage=stage,
        name="Bước",
        actor=LEAD,
        role="specialist",
        days=Decimal(days),
        branch=branch,
        counts_time=counts,
    )


def test_the_critical_path_takes_the_longest_branch_of_each_stage():
    steps = [
        step(1, "0.25"),
        step(2, "1", "cu-tru"),
        step(2, "0.5", "bhyt"),
        step(2, "1", "bhyt"),
        step(3, "0.5"),
    ]
    assert critical_path_days(steps) == Decimal("2.25")


def test_steps_that_do_not_count_time_add_nothing():
    assert critical_path_days([step(1, "0.5"), step(2, "3", counts=False)]) == Decimal("0.5")


def test_a_process_longer_than_the_time_limit_gives_a_warning():
    warnings = process_warnings([step(1, "2"), step(2, "1.5")], amount=Decimal(3), unit="d")
    assert warnings == [
        "the process takes 3.5 working days on its critical path, more than the time limit of 3"
    ]


def test_a_process_within_the_time_limit_gives_no_warning():
    assert process_warnings([step(1, "1.5"), step(2, "1.5")], amount=Decimal(3), unit="d") == []


def test_a_same_day_procedure_has_one_working_day_for_its_process():
    assert process_warnings([step(1, "0.25"), step(2, "0.75")], amount=Decimal(0), unit="d") == []
    assert process_warnings([step(1, "0.5"), step(2, "0.75")], amount=Decimal(0), unit="d")


def test_limits_in_hours_are_not_compared_with_days():
    assert process_warnings([step(1, "5")], amount=Decimal(8), unit="h") == []
