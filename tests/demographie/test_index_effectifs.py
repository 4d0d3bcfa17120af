"""Issue 29: 2 M RPPS lines imported in <= 30 s. Every index of the headcount table is paid
for by each import: none may be redundant (its columns the prefix of another index's)."""

import pytest
from django.db import connection

from demographie.models import Effectif

pytestmark = pytest.mark.django_db


def test_aucun_index_redondant_sur_les_effectifs():
    with connection.cursor() as cursor:
        contraintes = connection.introspection.get_constraints(cursor, Effectif._meta.db_table)
    index = {nom: tuple(c["columns"]) for nom, c in contraintes.items() if c["index"]}
    assert len(index) <= 6, sorted(index)
    for nom, colonnes in index.items():
        for autre, plus_long in index.items():
            assert nom == autre or plus_long[: len(colonnes)] != colonnes, (nom, autre)
