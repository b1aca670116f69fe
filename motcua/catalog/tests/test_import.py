from __future__ import annotations

import copy
import datetime as dt

import pytest

from motcua.catalog.importing import import_catalog
from motcua.catalog.models import Field, Procedure, ProcedureVersion, RequiredDocument
from motcua.catalog.selectors import version_in_force
from motcua.catalog.tests.factories import KHAI_SINH, document, record, sample_records


def counts() -> tuple[int, ...]:
    return (
        Field.objects.count(),
        Procedure.objects.count(),
        ProcedureVersion.objects.count(),
        RequiredDocument.objects.count(),
    )


def test_a_document_creates_fields_procedures_and_their_content(org):
    report = import_catalog(document(*sample_records()))
    assert report.ok, report.errors
    assert (report.created["fields"], report.created["procedures"]) == (4, 6)
    version = version_in_force("1.001193", dt.date(2025, 7, 1))
    assert version.name == "Thủ tục đăng ký khai sinh"
    assert [d.name for d in version.documents.all()] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert version.steps.count() == 4 and version.lead_sector == "committee"
    assert version.search_text.startswith(" 1 001193 thu tuc dang ky khai sinh ")


def test_importing_the_same_document_twice_changes_nothing(org):
    import_catalog(document(*sample_records()))
    before = list(ProcedureVersion.objects.order_by("pk").values_list("pk", "content_hash", "effective_to"))
    report = import_catalog(document(*sample_records()))
    assert report.ok and not report.changed
    assert (report.unchanged["fields"], report.unchanged["procedures"]) == (4, 6)
    after = list(ProcedureVersion.objects.order_by("pk").values_list("pk", "content_hash", "effective_to"))
    assert after == before


def test_omitted_optional_keys_import_as_their_defaults_and_stay_unchanged(org):
    import_catalog(document(KHAI_SINH))
    minimal = {
        k: v for k, v in KHAI_SINH.items() if k not in ("second_time_limit", "supplement_rule", "conditions")
    }
    assert import_catalog(document(minimal)).unchanged["procedures"] == 1


def test_errors_name_the_record_and_the_field_path(org):
    bad = copy.deepcopy(KHAI_SINH)
    bad["documents"][1]["form"] = "photocopy"
    bad["process"][2]["days"] = 0.5
    bad["fees"][0]["amount_vnd"] = -1
    bad["colour"] = "blue"
    report = import_catalog(document(record("1.000894", "Thủ tục đăng ký kết hôn"), bad))
    assert not report.ok
    assert report.errors == [
        "procedures[1] (1.001193).fees[0].amount_vnd: must be at least 0; got -1",
        "procedures[1] (1.001193).documents[1].form: "
        "must be one of original, copy, certified_copy, original_or_copy, shown; got 'photocopy'",
        'procedures[1] (1.001193).process[2].days: must be a decimal string such as "0.5"; got 0.5',
        "procedures[1] (1.001193).colour: unknown key",
    ]


def test_references_to_unknown_fields_levels_and_agencies_are_errors(org):
    bad = record(
        "2.000815",
        "Chứng thực bản sao từ bản chính",
        field="chung-thuc-so",
        levels=("xa", "phuong"),
        lead_agency={"agency": "H99.01"},
        process=[{**KHAI_SINH["process"][0], "actor": {"agency": "X1"}}],
    )
    report = import_catalog(document(bad))
    assert report.errors == [
        "procedures[0] (2.000815).field: unknown field 'chung-thuc-so'",
        "procedures[0] (2.000815).levels[1]: unknown level 'phuong'",
        "procedures[0] (2.000815).lead_agency.agency: unknown agency 'H99.01'",
        "procedures[0] (2.000815).process[0].actor.agency: unknown agency 'X1'",
    ]


def test_one_bad_record_means_nothing_is_written(org):
    bad = record("1.000656", "Thủ tục đăng ký khai tử", online_level="level4")
    report = import_catalog(document(*sample_records(), bad))
    assert report.errors == [
        "procedures[6] (1.000656).online_level: must be one of full, partial, none; got 'level4'"
    ]
    assert counts() == (0, 0, 0, 0)


def test_inconsistent_keys_are_reported_with_their_path(org):
    bad = record(
        "1.000894",
        "Thủ tục đăng ký kết hôn",
        channels=["counter"],
        online_level="full",
        time_limits_by_channel={"online": {"amount": "1", "unit": "d"}},
        fees=[{"kind": "fee", "name": "Phí", "method": "per_unit", "amount_vnd": 1000}],
    )
    report = import_catalog(document(bad))
    assert report.errors == [
        "procedures[0] (1.000894).time_limits_by_channel.online: channel not listed in channels",
        "procedures[0] (1.000894).online_level: 'full' needs 'online' among channels",
        "procedures[0] (1.000894).fees[0].unit: required when method is 'per_unit'",
    ]


def test_a_document_of_the_wrong_format_is_refused(org):
    report = import_catalog({"format": "motcua-catalog/2", "procedure": []})
    assert report.errors == [
        "format: must be 'motcua-catalog/1'; got 'motcua-catalog/2'",
        "procedure: unknown key",
    ]


def test_the_same_version_twice_in_one_document_is_an_error(org):
    report = import_catalog(document(KHAI_SINH, KHAI_SINH))
    assert report.errors == [
        "procedures[1] (1.001193).version.effective_from: "
        "the same version is also at procedures[0] (1.001193)"
    ]


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(org):
    report = import_catalog(document(*sample_records()), dry_run=True)
    assert report.ok and report.created["procedures"] == 6
    assert counts() == (0, 0, 0, 0)


def test_a_changed_published_version_is_refused(org):
    import_catalog(document(KHAI_SINH))
    changed = {**KHAI_SINH, "result": "Giấy khai sinh bản chính và bản sao"}
    report = import_catalog(document(changed))
    assert report.errors == [
        "procedures[0] (1.001193).version.effective_from: the version of 2025-07-01 is published and cannot "
        "change; publish an amendment with a later effective_from"
    ]


def test_a_changed_draft_is_updated_in_place(org):
    import_catalog(document({**KHAI_SINH, "status": "draft"}))
    pk = ProcedureVersion.objects.get().pk
    report = import_catalog(document({**KHAI_SINH, "status": "draft", "result": "Giấy khai sinh bản chính"}))
    assert report.updated["procedures"] == 1
    assert ProcedureVersion.objects.get().pk == pk
    assert ProcedureVersion.objects.get().result == "Giấy khai sinh bản chính"


def test_publishing_a_draft_by_import_puts_it_in_force(org):
    import_catalog(document({**KHAI_SINH, "status": "draft"}))
    report = import_catalog(document(KHAI_SINH))
    assert report.updated["procedures"] == 1
    assert version_in_force("1.001193", dt.date(2026, 1, 1)).status == "published"


def test_a_later_amendment_adds_a_version_and_closes_the_previous(org):
    import_catalog(document(KHAI_SINH))
    amendment = {
        **KHAI_SINH,
        "version": {"effective_from": "2026-01-01", "decision": "QĐ sửa đổi", "change": "amend"},
        "fees": [],
    }
    report = import_catalog(document(KHAI_SINH, amendment))
    assert (report.created["procedures"], report.unchanged["procedures"]) == (1, 1)
    first, second = ProcedureVersion.objects.order_by("number")
    assert first.effective_to == dt.date(2025, 12, 31) and second.effective_to is None


def test_a_new_record_for_an_existing_procedure_must_say_amend(org):
    import_catalog(document(KHAI_SINH))
    again = {**KHAI_SINH, "version": {"effective_from": "2026-01-01", "change": "new"}}
    report = import_catalog(document(again))
    assert report.errors == [
        'procedures[0] (1.001193).version.change: the procedure exists: use "amend" for a new version'
    ]


def test_an_amendment_that_is_not_later_is_refused(org):
    import_catalog(document(KHAI_SINH))
    early = {**KHAI_SINH, "version": {"effective_from": "2025-01-01", "change": "amend"}}
    assert import_catalog(document(early)).errors == [
        "procedures[0] (1.001193).version.effective_from: "
        "must be after 2025-07-01, the latest published version"
    ]


def test_a_whole_history_imports_in_date_order_whatever_the_record_order(org):
    amendment = {**KHAI_SINH, "version": {"effective_from": "2026-01-01", "change": "amend"}}
    abolition = {
        "code": "1.001193",
        "version": {"effective_from": "2027-01-01", "change": "abolish", "decision": "QĐ bãi bỏ"},
    }
    report = import_catalog(document(abolition, amendment, KHAI_SINH))
    assert report.ok, report.errors
    procedure = Procedure.objects.get()
    assert procedure.abolished_on == dt.date(2027, 1, 1) and procedure.abolition_decision == "QĐ bãi bỏ"
    assert list(procedure.versions.values_list("effective_to", flat=True).order_by("number")) == [
        dt.date(2025, 12, 31),
        dt.date(2026, 12, 31),
    ]
    assert import_catalog(document(abolition, amendment, KHAI_SINH)).unchanged["procedures"] == 3


def test_abolishing_an_unknown_procedure_is_an_error(org):
    abolition = {"code": "1.001193", "version": {"effective_from": "2027-01-01", "change": "abolish"}}
    assert import_catalog(document(abolition)).errors == [
        "procedures[0] (1.001193).code: unknown procedure: nothing to abolish"
    ]


def test_a_replacement_retires_the_procedures_it_lists(org):
    new = record("1.013070", "Đăng ký khai sinh liên thông", effective_from="2026-01-01", change="replace")
    new["version"]["replaces"] = ["1.001193"]
    report = import_catalog(document(KHAI_SINH, new))
    assert report.ok, report.errors
    old = Procedure.objects.get(code="1.001193")
    assert old.replaced_by.code == "1.013070" and old.abolished_on == dt.date(2026, 1, 1)


def test_a_replacement_of_an_unknown_procedure_is_an_error(org):
    new = record("1.013070", "Đăng ký khai sinh liên thông", change="replace")
    new["version"]["replaces"] = ["1.999999"]
    assert import_catalog(document(new)).errors == [
        "procedures[0] (1.013070).version.replaces[0]: unknown procedure '1.999999'"
    ]


def test_replaces_is_only_allowed_with_change_replace(org):
    bad = copy.deepcopy(KHAI_SINH)
    bad["version"]["replaces"] = ["1.000894"]
    assert import_catalog(document(bad)).errors == [
        'procedures[0] (1.001193).version.replaces: only for change "replace"'
    ]


def test_a_reference_to_a_merged_agency_imports_with_a_warning(org):
    report = import_catalog(
        document(record("2.000815", "Chứng thực bản sao", lead_agency={"agency": "H42.436"}))
    )
    assert report.ok
    assert report.warnings[-1] == (
        "procedures[0] (2.000815).lead_agency.agency: agency H42.436 was merged into H42.50.01"
    )


def test_a_process_longer_than_the_time_limit_imports_with_a_warning(org):
    slow = record(
        "1.000894", "Thủ tục đăng ký kết hôn", time_limit={"amount": "0.5", "unit": "d", "text": ""}
    )
    report = import_catalog(document(slow))
    assert report.ok
    assert report.warnings == [
        "procedures[0] (1.000894).process: the process takes 1 working days on its critical path, "
        "more than the time limit of 0.5"
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("code", "1.1193", "code: is not a valid code; got '1.1193'"),
        ("levels", [], "levels: must not be empty"),
        ("status", "active", "status: must be one of draft, published, unpublished; got 'active'"),
        (
            "lead_agency",
            {"agency": "H42.10", "local": "justice"},
            'lead_agency: give exactly one of "agency" or "local"',
        ),
        ("received_at_centre", "yes", "received_at_centre: must be true or false; got 'yes'"),
        (
            "time_limit",
            {"amount": "1.255", "unit": "d"},
            "time_limit.amount: at most 2 decimal places; got '1.255'",
        ),
        (
            "version",
            {"effective_from": "01/07/2025", "change": "new"},
            "version.effective_from: must be a date YYYY-MM-DD; got '01/07/2025'",
        ),
    ],
)
def test_each_bad_value_is_reported_with_its_key(org, key, value, message):
    report = import_catalog(document({**KHAI_SINH, key: value}))
    code = value if key == "code" else "1.001193"
    assert report.errors == [f"procedures[0] ({code}).{message}"]
