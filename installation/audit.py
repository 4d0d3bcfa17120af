"""What the installation app traces in the audit trail (see guichet.audit).

The booking models are looked up by name: they are moving to the ``rendezvous`` app.
"""

from django.apps import apps

from guichet.audit import tracer

PERSONNEL_RENDEZVOUS = ["nom", "courriel", "telephone", "message", "commune", "utilisateur"]


def enregistrer():
    from installation.models import (
        Actualite,
        Contact,
        Document,
        Etape,
        Evenement,
        Parcours,
        Plan,
        SuiviEtape,
    )

    tracer(Parcours)
    tracer(Etape, m2m=["aides"])
    tracer(Contact)
    tracer(Document, m2m=["parcours", "etapes", "aides"])
    tracer(Evenement)
    tracer(Actualite)
    tracer(Plan, masques=["commune"])
    tracer(SuiviEtape, masques=["note", "date"])
    enregistrer_rendezvous("installation")


def enregistrer_rendezvous(app_label: str):
    def modele(nom):
        try:
            return apps.get_model(app_label, nom)
        except LookupError:
            return None

    if modele("RendezVous") is None:
        return
    tracer(modele("Referent"), m2m=["departements"], exclus=["jeton_agenda"])
    tracer(modele("Lieu"))
    tracer(modele("MotifRendezVous"))
    tracer(modele("PlageOuverture"), m2m=["motifs"])
    tracer(modele("Absence"))
    tracer(modele("RendezVous"), masques=PERSONNEL_RENDEZVOUS, exclus=["jeton_empreinte"])
    tracer(modele("Notification"), masques=["destinataire"], exclus=["erreur"])
