"""Published posts as open data (CSV and JSON), filtered like the list, without personal data:
no author, no address, no free text that may name a person (description, team, equipment), and
the structure's name only when a structure (not a professional in person) posts."""

from opportunites.models import Opportunite, QualiteAuteur

COLONNES = ["id", "url", "type", "titre", "professions", "commune_insee", "commune",
            "departement", "debut", "fin", "loyer_mensuel", "retrocession", "salaire_mensuel",
            "secretariat", "publiee_par", "structure", "publiee_le", "en_ligne_jusqu_au",
            "fictive"]  # fmt: skip
MAXIMUM = 20_000


def _date(valeur):
    return valeur.isoformat() if valeur else None


def ligne(o: Opportunite, site_url: str) -> dict:
    return {
        "id": o.pk,
        "url": f"{site_url}{o.get_absolute_url()}",
        "type": o.nature,
        "titre": o.titre,
        "professions": list(o.professions),
        "commune_insee": o.commune.code,
        "commune": o.commune.nom,
        "departement": o.commune.departement_id and o.commune.departement.code,
        "debut": _date(o.debut),
        "fin": _date(o.fin),
        "loyer_mensuel": o.loyer_mensuel,
        "retrocession": o.retrocession,
        "salaire_mensuel": o.salaire_mensuel,
        "secretariat": o.secretariat,
        "publiee_par": o.qualite_auteur,
        "structure": "" if o.qualite_auteur == QualiteAuteur.PROFESSIONNEL else o.structure,
        "publiee_le": _date(o.publiee_le),
        "en_ligne_jusqu_au": _date(o.expire_le),
        "fictive": o.fictive,
    }


def lignes(qs, site_url: str):
    qs = qs.select_related("commune__departement").only(
        "pk", "nature", "titre", "professions", "commune__code", "commune__nom",
        "commune__departement__code", "debut", "fin", "loyer_mensuel", "retrocession",
        "salaire_mensuel", "secretariat", "qualite_auteur", "structure", "publiee_le",
        "expire_le", "fictive",
    )  # fmt: skip
    for o in qs[:MAXIMUM]:
        yield ligne(o, site_url)
