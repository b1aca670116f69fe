"""The reference caches: a change to roles, templates or the organisation is seen at once, never stale."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core.refcache import (
    STAMP_TABLE,
    TRACKED_TABLES,
    ReferenceCache,
    current_token,
    reference_checked_once,
    tables_with_triggers,
)
from motcua.org.access import scope_for
from motcua.org.models import Agency, Role, StaffRole
from motcua.org.tests.conftest import demo_org, org_document  # noqa: F401

pytestmark = pytest.mark.django_db


def _user(username):
    return get_user_model().objects.get(username=username)


def test_every_tracked_table_has_its_trigger(db):
    assert tables_with_triggers(connection) == TRACKED_TABLES


def test_migrate_puts_back_a_trigger_a_table_rebuild_dropped(demo_org):  # noqa: F811
    from motcua.core.refcache import drop_triggers, ensure_triggers

    drop_triggers(connection, ["org_staffrole"])  # what SQLite's table rebuild does to them
    before = current_token()
    StaffRole.objects.filter(user__username="cv.datdai").update(is_active=True)
    assert current_token() == before  # a change nobody would notice: the reason for the check

    assert ensure_triggers() == ["org_staffrole"]
    assert ensure_triggers() == []
    StaffRole.objects.filter(user__username="cv.datdai").update(is_active=True)
    assert current_token() != before


def test_a_change_to_a_tracked_table_renews_the_token_and_other_writes_do_not(demo_org):  # noqa: F811
    before = current_token()
    _user("cv.datdai").save()  # users are not reference data
    assert current_token() == before

    StaffRole.objects.filter(user__username="cv.datdai").update(is_active=True)
    after_update = current_token()
    Agency.objects.filter(code="H42.12.01").update(name="Sở Nông nghiệp và Môi trường tỉnh")
    after_agency = current_token()

    assert len({before, after_update, after_agency}) == 3


def test_a_revoked_role_is_gone_from_the_next_scope(demo_org):  # noqa: F811
    officer = _user("cv.datdai")
    assert scope_for(officer).has_role(Role.SPECIALIST)

    StaffRole.objects.filter(user=officer).update(is_active=False)

    assert not scope_for(officer).is_staff_member


def test_a_granted_role_counts_at_once_even_for_a_cached_scope(demo_org):  # noqa: F811
    officer = _user("cv.datdai")
    held = scope_for(officer).agency_ids
    other = Agency.objects.exclude(pk__in=held).first()

    StaffRole.objects.create(user=officer, role=Role.SPECIALIST, agency=other)

    assert other.pk in scope_for(officer).agency_ids


def test_a_rolled_back_change_leaves_the_old_scope(demo_org):  # noqa: F811
    officer = _user("cv.datdai")
    before = scope_for(officer)
    with pytest.raises(RuntimeError), transaction.atomic():
        StaffRole.objects.filter(user=officer).update(is_active=False)
        assert not scope_for(officer).is_staff_member  # this transaction sees its own change
        raise RuntimeError("undo")

    assert scope_for(officer) == before


def test_a_cached_scope_costs_one_short_read_and_a_checked_block_shares_it(demo_org):  # noqa: F811
    officer = _user("ld.nnmt")  # a leader: roles and the divisions under her agency
    with CaptureQueriesContext(connection) as cold:
        first = scope_for(officer)
    with CaptureQueriesContext(connection) as warm:
        again = scope_for(officer)
    with CaptureQueriesContext(connection) as block, reference_checked_once():
        scope_for(officer)
        scope_for(officer)

    assert again == first
    assert len(cold) == 3, "token, roles, agency tree"
    assert [q["sql"] for q in warm] == [f'SELECT token FROM "{STAMP_TABLE}" WHERE id = 1']
    assert len(block) == 1


def test_without_the_stamp_row_nothing_is_cached(demo_org):  # noqa: F811
    loads = []
    cache: ReferenceCache[str, int] = ReferenceCache(lambda key: loads.append(key) or len(loads))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STAMP_TABLE}")  # a flushed database

    assert (cache.get("a"), cache.get("a")) == (1, 2)

    Agency.objects.filter(code="H42.12.01").update(short_name="Sở NN&MT")  # the trigger writes a new stamp
    assert cache.get("a") == cache.get("a") == 3


def test_the_role_switcher_shows_a_role_granted_since_the_last_page(demo_org, rf):  # noqa: F811
    from motcua.org.context import staff_session

    officer = _user("cv.datdai")

    def roles_on_a_page() -> set[str]:
        request = rf.get("/")
        request.user, request.session = officer, {}
        return {choice.role for choice in staff_session(request).choices}

    assert roles_on_a_page() == {Role.SPECIALIST}
    other = Agency.objects.exclude(pk__in=scope_for(officer).agency_ids).first()
    StaffRole.objects.create(user=officer, role=Role.UNIT_LEADER, agency=other)

    assert roles_on_a_page() == {Role.SPECIALIST, Role.UNIT_LEADER}
