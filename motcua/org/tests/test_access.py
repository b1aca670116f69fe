from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal

from motcua.core.errors import NotFound, ValidationFailed
from motcua.org.access import scope_for
from motcua.org.models import AdministrativeUnit, Agency, Role, ServicePoint, StaffRole
from motcua.org.selectors import current_agency, local_agency
from motcua.org.services import PROVINCE_ADMIN_GROUP, grant_role, merge_agencies


def _user(username):
    return get_user_model().objects.get(username=username)


def test_a_counter_officer_is_scoped_to_her_service_point_only(demo_org):
    scope = scope_for(_user("motcua.tuphap"))

    assert scope.service_point_ids == {ServicePoint.objects.get(code="ttpvhcc-tinh").pk}
    assert scope.agency_ids == frozenset()
    assert scope.has_role(Role.COUNTER_OFFICER)


def test_the_provincial_director_also_directs_the_branch(demo_org):
    scope = scope_for(_user("giamdoc.ttpvhcc"))

    codes = set(ServicePoint.objects.filter(pk__in=scope.service_point_ids).values_list("code", flat=True))
    assert codes == {"ttpvhcc-tinh", "ttpvhcc-tinh-cn-honglinh"}


def test_an_agency_leader_oversees_the_divisions_but_a_specialist_does_not(demo_org):
    leader = scope_for(_user("ld.nnmt"))
    specialist = scope_for(_user("cv.datdai"))

    land_office = Agency.objects.get(code="H42.12.01").pk
    assert land_office in leader.agency_ids
    assert specialist.agency_ids == {land_office}


def test_a_user_without_roles_or_inactive_sees_nothing(demo_org):
    stranger = get_user_model().objects.create_user("stranger", password="x")
    officer = _user("motcua.tuphap")
    officer.is_active = False
    officer.save()

    assert not scope_for(stranger).is_staff_member
    assert not scope_for(officer).is_staff_member


def test_the_role_switcher_narrows_the_scope_to_one_role(demo_org):
    user = _user("cv.tuphap")
    grant_role(
        user=user, role=Role.COUNTER_OFFICER, service_point=ServicePoint.objects.get(code="ttpvhcc-tinh")
    )

    assert scope_for(user, only_role=Role.SPECIALIST).service_point_ids == frozenset()
    assert scope_for(user).service_point_ids


def test_granting_a_role_to_the_wrong_kind_of_unit_is_refused(demo_org):
    with pytest.raises(ValidationFailed):
        grant_role(user=_user("cv.tuphap"), role=Role.SPECIALIST, service_point=ServicePoint.objects.first())


def test_a_province_admin_gets_into_the_admin_with_catalog_permissions(demo_org, client):
    admin = _user("admin.tinh")

    assert admin.is_staff
    assert admin.has_perm("org.change_agency")
    # The seals and the message templates are hers too (docs/signing.md, docs/notifications.md).
    assert admin.has_perm("signing.change_certificate") and admin.has_perm("notify.change_messagetemplate")
    client.force_login(admin)
    assert client.get("/admin/signing/certificate/nhap-p12/").status_code == 200
    assert client.get("/admin/notify/messagetemplate/").status_code == 200
    assert not _user("motcua.tuphap").is_staff


def test_migrate_gives_the_province_admins_the_apps_added_since(demo_org):
    # An installation whose group was made before the seals and templates were the administrators'.
    group = Group.objects.get(name=PROVINCE_ADMIN_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="org"))
    assert not _user("admin.tinh").has_perm("signing.change_certificate")

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert _user("admin.tinh").has_perm("signing.change_certificate")


def test_merging_agencies_moves_staff_and_keeps_old_codes(demo_org):
    culture = Agency.objects.get(code="H42.11")
    science = Agency.objects.get(code="H42.17")

    merge_agencies(sources=[science], into=culture, on=dt.date(2026, 1, 1))

    science.refresh_from_db()
    assert science.code == "H42.17" and not science.is_active
    assert current_agency(science) == culture
    assert not StaffRole.objects.filter(agency=science, is_active=True).exists()
    assert ServicePoint.objects.get(code="ttpvhcc-tinh").served_agencies.filter(pk=culture.pk).exists()
    assert not ServicePoint.objects.get(code="ttpvhcc-tinh").served_agencies.filter(pk=science.pk).exists()


def test_an_agency_cannot_be_merged_twice(demo_org):
    culture = Agency.objects.get(code="H42.11")
    science = Agency.objects.get(code="H42.17")
    merge_agencies(sources=[science], into=culture, on=dt.date(2026, 1, 1))

    with pytest.raises(ValidationFailed):
        merge_agencies(sources=[science], into=Agency.objects.get(code="H42.10"), on=dt.date(2026, 2, 1))


def test_a_local_agency_is_found_in_the_commune_then_in_the_province(demo_org):
    commune = AdministrativeUnit.objects.get(code="42-TS")

    assert local_agency(sector="police", unit=commune).code == "H42.30.01"
    assert local_agency(sector="social_insurance", unit=commune).code == "H42.32"
    with pytest.raises(NotFound):
        local_agency(sector="no-such-sector", unit=commune)
