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


def effacer_opportunites(user) -> None:
    """The author's posts go with the account: they speak in the author's name."""
    from opportunites.models import Opportunite

    Opportunite.objects.filter(auteur=user).delete()


def enregistrer_sources() -> None:
    rgpd.enregistrer("opportunites", exporter=exporter_opportunites, effacer=effacer_opportunites)
