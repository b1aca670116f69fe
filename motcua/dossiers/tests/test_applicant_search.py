"""Officers find a dossier by the applicant's name typed with or without diacritics."""

from __future__ import annotations

import importlib

from django.apps import apps

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
