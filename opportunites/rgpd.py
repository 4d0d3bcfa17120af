"""What the opportunities app holds about a person (registered with guichet.rgpd)."""

from guichet import rgpd


def exporter_opportunites(user) -> list[dict]:
    from opportunites.models import Opportunite

    return [
        {
            "titre": o.titre,
            "type": o.nature,
            "commune": o.commune_id,
            "professions": o.professions,
            "statut": o.statut,
            "qualite": o.qualite_auteur,
            "structure": o.structure,
            "description": o.description,
            "creee_le": o.cree_le.isoformat(),
            "publiee_le": o.publiee_le.isoformat() if o.publiee_le else None,
        }
        for o in Opportunite.objects.filter(auteur=user).order_by("cree_le")
    ]


def exporter_messages(user) -> list[dict]:
    from opportunites.models import MessageOpportunite

    return [
        {
            "annonce": m.opportunite_id,
            "envoye_le": m.envoye_le.isoformat(),
            "texte": m.texte,
            "reponse": m.reponse,
        }
        for m in MessageOpportunite.objects.filter(expediteur=user).order_by("envoye_le")
    ]


def exporter_alertes(user) -> list[dict]:
    from opportunites.models import Alerte

    return [
        {
            "sujet": a.sujet,
            "criteres": a.parametres,
            "commune": a.commune_id,
            "profession": a.profession,
            "frequence": a.frequence,
            "creee_le": a.cree_le.isoformat(),
        }
        for a in Alerte.objects.filter(utilisateur=user).order_by("cree_le")
    ]


def exporter_envois_alertes(user) -> list[dict]:
    from opportunites.models import EnvoiAlertes

    return [
        {"jour": e.jour.isoformat(), "envoye_le": e.envoye_le.isoformat() if e.envoye_le else None}
        for e in EnvoiAlertes.objects.filter(utilisateur=user).order_by("jour")
    ]


def effacer_alertes(user) -> None:
    from opportunites.models import Alerte, EnvoiAlertes

    EnvoiAlertes.objects.filter(utilisateur=user).delete()
    Alerte.objects.filter(utilisateur=user).delete()


def effacer_opportunites(user) -> None:
    """The author's posts go with the account (they speak in the author's name), with the
    messages received about them; the messages the user sent go too."""
    from opportunites.models import MessageOpportunite, Opportunite

    MessageOpportunite.objects.filter(expediteur=user).delete()
    for o in Opportunite.objects.filter(auteur=user).exclude(piece_jointe=""):
        o.piece_jointe.storage.delete(o.piece_jointe.name)  # no file left behind
    Opportunite.objects.filter(auteur=user).delete()


rgpd.enregistrer("opportunites", exporter=exporter_opportunites, effacer=effacer_opportunites)
rgpd.enregistrer("messages_opportunites", exporter=exporter_messages, effacer=lambda u: None)
rgpd.enregistrer("alertes", exporter=exporter_alertes, effacer=effacer_alertes)
rgpd.enregistrer("envois_alertes", exporter=exporter_envois_alertes, effacer=lambda u: None)
