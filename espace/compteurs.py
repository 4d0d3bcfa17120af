"""Anonymous usage counters (no cookie, nothing about the visitor), fed by the core's usage
signals (espace/usages.py) and added up in memory before they are written (guichet.cumuls)."""

from espace.models import CompteurJournalier
from guichet import cumuls

CUMUL = "espace.compteurs-journaliers"


def compter_vue_aide(aide) -> None:
    """One view of an aid page, counted for the aid's territory (national aids nationally)."""
    departements = list(aide.departements.all()[:2])
    regions = list(aide.regions.all()[:2])
    if aide.portee == "departement" and len(departements) == 1:
        cle = CompteurJournalier.cle("aide-vue", departement=departements[0])
    elif aide.portee == "region" and len(regions) == 1:
        cle = CompteurJournalier.cle("aide-vue", region=regions[0])
    else:
        cle = CompteurJournalier.cle("aide-vue")
    cumuls.ajouter(CUMUL, cle)


def compter_simulation(commune) -> None:
    cumuls.ajouter(CUMUL, CompteurJournalier.cle("simulation", departement=commune.departement))
