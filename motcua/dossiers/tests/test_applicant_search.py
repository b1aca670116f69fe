"""Officers find a dossier by the applicant's name typed with or without diacritics."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import find_dossiers

from .conftest import at, birth_bundle


def _receive(people, points, name: str, id_number: str) -> Dossier:
    bundle = birth_bundle()
    applicant = bundle.applicant.__class__(name=name, id_number=id_number, phone="0912345678")
    return services.receive_dossier(
        data=birth_bundle(applicant=applicant),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )


def test_the_staff_look_up_folds_diacritics_and_matches_word_starts(people, points):
    duc = _receive(people, points, "Hoàng Minh Đức", "042090001111")
    dung = _receive(people, points, "Phạm Thu Dung", "042090002222")
    mine = Dossier.objects.all()

    assert duc.applicant_search == " hoang minh duc "
    assert find_dossiers(mine, "hoang duc") == find_dossiers(mine, "ĐỨC") == [duc]
    assert find_dossiers(mine, "thu dung") == [dung]
    assert find_dossiers(mine, "du") == [dung, duc]  # newest first
    assert find_dossiers(mine, "inh") == []  # "Minh" does not start with "inh"


def test_the_migration_folds_the_names_of_dossiers_filed_before_it(people, points):
    dossier = _receive(people, points, "Võ Thị Hà", "042090003333")
    Dossier.objects.filter(pk=dossier.pk).update(applicant_search="")
    migration = importlib.import_module("motcua.dossiers.migrations.0003_applicant_search")
    migration.fold_names(apps, None)
    dossier.refresh_from_db()
    assert dossier.applicant_search == " vo thi ha "


@pytest.mark.postgres
def test_postgresql_has_a_trigram_index_for_name_searches(db):
    if connection.vendor != "postgresql":
        pytest.skip("a GIN trigram index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'dossier_applicant_trgm'")
        [(definition,)] = cursor.fetchall()
    assert "gin" in definition and "gin_trgm_ops" in definition and "applicant_search" in definition


def test_digits_search_codes_and_id_numbers_and_words_search_names(people, points):
    an = _receive(people, points, "Nguyễn Văn An", "042090004444")
    mine = Dossier.objects.all()
    assert find_dossiers(mine, an.code[-6:]) == find_dossiers(mine, "042090004444") == [an]
    assert find_dossiers(mine, "nguyen") == [an]
    assert find_dossiers(mine, "042090") == []  # part of an ID number is not enough
