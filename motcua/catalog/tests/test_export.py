from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.exporting import CSV_COLUMNS, export_catalog, export_catalog_csv
from motcua.catalog.importing import import_catalog, import_catalog_csv
from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.catalog.selectors import version_in_force
from motcua.catalog.services import publish_version, unpublish_version
from motcua.catalog.tests.factories import KHAI_SINH, document, record, sample_records

JULY_2025 = dt.date(2025, 7, 1)


def wipe_catalog() -> None:
    Procedure.objects.update(replaced_by=None)
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()


@pytest.fixture
def history(catalog):
    """The sample plus an amendment, an unpublished draft, an abolition and a replacement."""
    amendment = {
        **KHAI_SINH,
        "version": {"effective_from": "2026-01-01", "decision": "QĐ 15/QĐ-UBND", "change": "amend"},
        "fees": [],
    }
    later = {**amendment, "version": {"effective_from": "2026-06-01", "change": "amend"}, "status": "draft"}
    abolition = {
        "code": "1.000656",
        "version": {"effective_from": "2026-03-01", "change": "abolish", "decision": "QĐ bãi bỏ"},
    }
    replacing = record(
        "1.013070", "Đăng ký kết hôn trực tuyến", effective_from="2026-02-01", change="replace"
    )
    replacing["version"]["replaces"] = ["1.000894"]
    report = import_catalog(document(amendment, later, abolition, replacing))
    assert report.ok, report.errors
    withdrawn = ProcedureVersion.objects.get(procedure__code="1.004222")
    unpublish_version(version=withdrawn)
    return catalog


def test_an_export_imported_into_an_empty_catalog_exports_the_same(history):
    exported = export_catalog()
    dates = sorted(
        ProcedureVersion.objects.values_list("procedure__code", "number", "effective_to", "status")
    )
    wipe_catalog()
    report = import_catalog(json.loads(json.dumps(exported)))
    assert report.ok, report.errors
    assert export_catalog() == exported
    assert (
        sorted(ProcedureVersion.objects.values_list("procedure__code", "number", "effective_to", "status"))
        == dates
    )


def test_an_export_imported_again_changes_nothing(history):
    report = import_catalog(export_catalog())
    assert report.ok and not report.changed


def test_the_full_export_lists_history_abolitions_and_replacements(history):
    records = export_catalog()["procedures"]
    birth = [(r["version"]["effective_from"], r["status"]) for r in records if r["code"] == "1.001193"]
    assert birth == [("2025-07-01", "published"), ("2026-01-01", "published"), ("2026-06-01", "draft")]
    assert {
        "code": "1.000656",
        "version": {"effective_from": "2026-03-01", "decision": "QĐ bãi bỏ", "change": "abolish"},
    } in records
    replacing = next(r for r in records if r["code"] == "1.013070")
    assert replacing["version"]["replaces"] == ["1.000894"]
    # The replaced procedure's end is stated by the replacing record only.
    assert [r for r in records if r["code"] == "1.000894" and r["version"]["change"] == "abolish"] == []


def test_an_export_at_a_date_holds_only_the_versions_then_in_force(history):
    exported = export_catalog(at=dt.date(2026, 4, 1))
    codes = [(r["code"], r["version"]["effective_from"]) for r in exported["procedures"]]
    assert codes == [
        ("1.001193", "2026-01-01"),
        ("1.013069", "2025-07-01"),
        ("1.013070", "2026-02-01"),
        ("2.000815", "2025-07-01"),
    ]
    assert [f["code"] for f in exported["fields"]] == ["chung-thuc", "ho-tich"]


def test_an_exported_record_is_the_imported_record(catalog):
    exported = export_catalog(codes=["1.001193"])["procedures"]
    assert exported == [KHAI_SINH]


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_one_row_per_version_in_force_with_the_documented_columns(catalog):
    text = export_catalog_csv(at=JULY_2025)
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    by_code = {row["code"]: row for row in rows(text)}
    assert len(by_code) == 6
    assert by_code["2.000815"]["levels"] == "tinh|xa"
    assert by_code["2.000815"]["lead_agency"] == "H42.10"
    assert by_code["1.004222"]["lead_agency"] == "local:police"
    assert by_code["1.004222"]["fee_total_vnd"] == "20000"
    assert by_code["1.001193"]["channels"] == "counter|post|online"


def test_importing_the_exported_csv_changes_nothing(catalog):
    report = import_catalog_csv(export_catalog_csv(at=JULY_2025))
    assert report.ok, report.errors
    assert report.unchanged["procedures"] == 6 and not report.changed


def test_a_csv_row_with_a_later_date_amends_and_keeps_documents_fees_and_process(catalog):
    row = next(r for r in rows(export_catalog_csv(at=JULY_2025)) if r["code"] == "1.004222")
    row.update(effective_from="2026-01-01", time_limit_amount="5", time_limit_text="05 ngày làm việc")
    report = import_catalog_csv(to_csv([row]))
    assert report.ok, report.errors
    new = version_in_force("1.004222", dt.date(2026, 1, 1))
    assert (new.number, new.change, str(new.time_limit_amount)) == (2, "amend", "5.00")
    assert [f.name for f in new.fees.all()] == ["Lệ phí đăng ký cư trú", "Lệ phí đăng ký cư trú trực tuyến"]


def test_a_csv_row_updates_a_draft_in_place(catalog):
    import_catalog(document({**KHAI_SINH, "code": "1.000000", "status": "draft"}))
    row = next(r for r in rows(export_catalog_csv(at=JULY_2025)) if r["code"] == "1.001193")
    row.update(code="1.000000", status="draft", name="Thủ tục đăng ký lại khai sinh")
    report = import_catalog_csv(to_csv([row]))
    assert report.updated["procedures"] == 1
    draft = ProcedureVersion.objects.get(procedure__code="1.000000")
    assert draft.name == "Thủ tục đăng ký lại khai sinh" and draft.documents.count() == 2
    publish_version(version=draft)


def test_csv_errors_name_the_row_and_the_column(catalog):
    row = next(r for r in rows(export_catalog_csv(at=JULY_2025)) if r["code"] == "1.001193")
    row.update(time_limit_amount="ba", boundary_free="maybe", lead_agency="H99")
    report = import_catalog_csv(to_csv([row]))
    assert report.errors == [
        "row 2 (1.001193).time_limit_amount: must be a decimal string such as \"0.5\"; got 'ba'",
        "row 2 (1.001193).boundary_free: must be true or false; got 'maybe'",
    ]


def test_a_csv_without_the_documented_header_is_refused(catalog):
    report = import_catalog_csv("code,name\n1.001193,Khai sinh\n")
    assert report.errors[0] == "header: missing column 'field'"


def to_csv(records: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def test_the_command_exports_and_imports_a_file(catalog, tmp_path):
    path = tmp_path / "catalog.json"
    call_command("catalog", "export", str(path))
    wipe_catalog()
    out = io.StringIO()
    call_command("catalog", "import", str(path), stdout=out)
    assert (
        out.getvalue().strip()
        == "fields: 4 created, 0 updated, 0 unchanged; procedures: 6 created, 0 updated, 0 unchanged"
    )


def test_the_command_refuses_a_bad_file_listing_its_errors_and_writing_nothing(org, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document(KHAI_SINH, {**KHAI_SINH, "code": "1.000894", "field": "khong-co"})))
    with pytest.raises(CommandError) as caught:
        call_command("catalog", "import", str(path))
    assert (
        str(caught.value)
        == "1 error(s), nothing imported:\n  procedures[1] (1.000894).field: unknown field 'khong-co'"
    )
    assert Procedure.objects.count() == 0


def test_the_command_dry_run_writes_nothing(org, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document(*sample_records())))
    out = io.StringIO()
    call_command("catalog", "import", str(path), "--dry-run", stdout=out)
    assert "(dry run: nothing written)" in out.getvalue()
    assert Procedure.objects.count() == 0


def test_the_command_imports_the_csv(catalog, tmp_path):
    path = tmp_path / "catalog.csv"
    call_command("catalog", "export", str(path), "--csv", "--at", "2025-07-01")
    out = io.StringIO()
    call_command("catalog", "import", str(path), "--csv", stdout=out)
    assert out.getvalue().strip() == "procedures: 0 created, 0 updated, 6 unchanged"


def test_the_command_refuses_a_file_that_is_not_json(org, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("catalog", "import", str(path))
