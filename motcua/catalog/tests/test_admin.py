from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from motcua.catalog.importing import import_catalog
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.tests.factories import KHAI_SINH, document


@pytest.fixture
def admin_client(client, org, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    client.force_login(user)
    return client


@pytest.fixture
def draft(org) -> ProcedureVersion:
    assert import_catalog(document({**KHAI_SINH, "status": "draft"})).ok
    return ProcedureVersion.objects.get()


def test_the_publish_action_puts_drafts_in_force(admin_client, draft):
    url = reverse("admin:catalog_procedureversion_changelist")
    response = admin_client.post(
        url, {"action": "publish_selected", "_selected_action": [draft.pk]}, follow=True
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None


def test_the_unpublish_action_reports_a_refusal_instead_of_failing(admin_client, draft):
    url = reverse("admin:catalog_procedureversion_changelist")
    response = admin_client.post(
        url, {"action": "unpublish_selected", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Phiên bản này chưa được công bố." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_published_version_shows_read_only_in_the_admin(admin_client, draft):
    import_catalog(document(KHAI_SINH))
    page = admin_client.get(
        reverse("admin:catalog_procedureversion_change", args=[draft.pk])
    ).content.decode()
    assert 'name="name"' not in page
    assert 'name="documents-0-name"' not in page


def test_editing_a_draft_in_the_admin_refreshes_its_search_text(admin_client, draft):
    url = reverse("admin:catalog_procedureversion_change", args=[draft.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("levels", "replaces")}
    data.update(
        name="Đăng ký khai sinh lưu động",
        levels=[lv.pk for lv in draft.levels.all()],
        effective_from=dt.date(2025, 7, 1).isoformat(),
    )
    for prefix in ("agency_refs", "channel_time_limits", "documents", "fees", "steps"):
        # No inline forms: the children stay as they are.
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert " luu dong " in draft.search_text and draft.search_name == " dang ky khai sinh luu dong "


def test_the_admin_search_finds_versions_without_diacritics(admin_client, draft):
    url = reverse("admin:catalog_procedureversion_changelist")
    page = admin_client.get(url, {"q": "dang ky khai sinh"}).content.decode()
    assert "Thủ tục đăng ký khai sinh" in page
