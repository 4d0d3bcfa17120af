"""The anonymous usage counters listen to the core's usage signals (guichet.signals); their
counts are added up in memory and written by ``CompteurJournalier.ajouter`` (guichet.cumuls)."""

from django.dispatch import receiver

from aides.models import Aide
from espace.compteurs import CUMUL, compter_simulation, compter_vue_aide
from espace.models import CompteurJournalier
from guichet import cumuls
from guichet.signals import contenu_consulte, simulation_faite

cumuls.enregistrer(CUMUL, CompteurJournalier.ajouter)


@receiver(contenu_consulte, sender=Aide, dispatch_uid="espace_vue_aide")
def vue_aide(sender, objet, **kwargs):
    compter_vue_aide(objet)


@receiver(simulation_faite, dispatch_uid="espace_simulation")
def simulation(sender, commune, **kwargs):
    compter_simulation(commune)
