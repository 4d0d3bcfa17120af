"""Anonymous usage counters (no cookie, nothing about the visitor), fed by the core's usage
signals (espace/usages.py)."""

from espace.models import CompteurJournalier


def compter_vue_aide(aide) -> None:
    """One view of an aid page, counted for the aid's territory (national aids nationally)."""
    departements = list(aide.departements.all()[:2])
    regions = list(aide.regions.all()[:2])
    if aide.portee == "departement" and len(departements) == 1:
        CompteurJournalier.incrementer("aide-vue", departement=departements[0])
    elif aide.portee == "region" and len(regions) == 1:
        CompteurJournalier.incrementer("aide-vue", region=regions[0])
    else:
        CompteurJournalier.incrementer("aide-vue")


def compter_simulation(commune) -> None:
    CompteurJournalier.incrementer("simulation", departement=commune.departement)
