"""The benchmark's own commands must not rot between two `make bench` runs: each one that can
run on the test database runs here at a tiny size (the figures are not looked at)."""

import io

import pytest
from django.core.management import call_command, get_commands, load_command_class

from tests.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_chaque_commande_s_importe():
    for nom, app in get_commands().items():
        if app.split(".")[0] in {
            "guichet",
            "aides",
            "installation",
            "rendezvous",
            "demographie",
            "espace",
            "benchmarks",
        }:
            load_command_class(app, nom)


def test_bench_creneaux_tourne_et_ne_garde_rien():
    from rendezvous.models import RendezVous

    DepartementFactory(code="79", nom="Deux-Sèvres", region=RegionFactory(nouvelle_aquitaine=True))
    sortie = io.StringIO()
    call_command("bench_creneaux", "--referents", "2", "--repetitions", "1", stdout=sortie)
    assert " ms (meilleur" in sortie.getvalue()
    assert not RendezVous.objects.exists()
