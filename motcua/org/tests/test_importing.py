from __future__ import annotations

import pytest

from motcua.core.errors import ValidationFailed
from motcua.org.importing import import_org, validate_org
from motcua.org.models import Agency, Counter, ServicePoint, StaffRole


def test_importing_the_demo_province_creates_every_record(db, org_document):
    report = import_org(org_document)

    assert report.created["agencies"] == len(org_document["agencies"])
    assert Agency.objects.get(code="H42.10").unit.code == "42"
    centre = ServicePoint.objects.get(code="ttpvhcc-tinh")
    assert centre.counters.count() == 9
    assert centre.served_agencies.filter(code="H42.32").exists()
    assert ServicePoint.objects.get(code="ttpvhcc-tinh-cn-honglinh").parent == centre
    assert StaffRole.objects.filter(user__username="motcua.tuphap", counter__number=1).exists()


def test_importing_the_same_file_twice_changes_nothing(db, org_document):
    import_org(org_document)
    counts = (Agency.objects.count(), Counter.objects.count(), StaffRole.objects.count())

    report = import_org(org_document)

    assert not report.changed
    assert (Agency.objects.count(), Counter.objects.count(), StaffRole.objects.count()) == counts


def test_a_changed_name_is_updated_in_place(db, org_document):
    import_org(org_document)
    org_document["agencies"][3]["name"] = "Sở Tư pháp tỉnh Hà Tĩnh"

    report = import_org(org_document)

    assert report.updated["agencies"] == 1
    assert Agency.objects.get(code="H42.10").name == "Sở Tư pháp tỉnh Hà Tĩnh"


def test_a_merged_agency_keeps_its_code_and_points_to_its_successor(db, org_document):
    import_org(org_document)

    old = Agency.objects.get(code="H42.436")

    assert old.merged_into.code == "H42.50.02"
    assert not old.is_active


def test_errors_name_the_record_and_the_field_and_nothing_is_written(db, org_document):
    org_document["agencies"][3]["unit"] = "99"
    org_document["agencies"][4]["kind"] = "ministry"
    org_document["staff"][2]["roles"][0]["service_point"] = "no-such-point"

    with pytest.raises(ValidationFailed) as caught:
        import_org(org_document)

    errors = caught.value.fields["errors"]
    assert "agencies[3] (H42.10).unit: unknown unit '99'" in errors
    assert any(e.startswith("agencies[4] (H42.11).kind: must be one of") for e in errors)
    assert any("staff[2] (motcua.tuphap).roles[0].service_point: unknown service point" in e for e in errors)
    assert Agency.objects.count() == 0


def test_a_role_with_the_wrong_kind_of_unit_is_refused(db, org_document):
    org_document["staff"][0]["roles"] = [{"role": "specialist", "service_point": "ttpvhcc-tinh"}]

    errors = validate_org(org_document)

    assert any("roles[0].agency: required" in e for e in errors)
    assert any("roles[0].service_point: not allowed for role specialist" in e for e in errors)


def test_a_document_of_another_format_is_refused(db):
    assert validate_org({"format": "something-else"}) == ["format: must be 'motcua-org/1'"]
    assert validate_org([]) == ["document: must be a JSON object"]
