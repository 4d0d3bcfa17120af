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


def test_bench_alertes_mesure_un_passage_et_remet_tout(territoires_complets, monkeypatch):
    from django.core.management.base import CommandError
    from django.db import connection

    from benchmarks import annonces
    from benchmarks.management.commands.bench_alertes import Command
    from opportunites.models import Alerte, EnvoiAlertes

    with pytest.raises(CommandError, match="guichet_bench"):  # it makes every alert due
        call_command(Command())  # (the bench's app is installed with BENCH_MODE only)
    monkeypatch.setitem(connection.settings_dict, "NAME", "guichet_bench_essai")
    annonces.creer_annonces(300, graine="t")
    annonces.creer_alertes(30, graine="t")
    avant = list(Alerte.objects.values_list("pk", "depuis", "prochain_envoi", "zonage_vu"))
    sortie = io.StringIO()
    call_command(Command(), stdout=sortie)
    assert "30 alertes dues (" in sortie.getvalue() and " par alerte." in sortie.getvalue()
    assert list(Alerte.objects.values_list("pk", "depuis", "prochain_envoi", "zonage_vu")) == avant
    assert not EnvoiAlertes.objects.exists()
