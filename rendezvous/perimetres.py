"""Scope of the booking models (see guichet.scoping.declarer)."""

from guichet.roles import REFERENT_INSTALLATION
from guichet.scoping import declarer, national, territorial


def _par_le_referent(chemin, **options):
    return territorial(
        region=f"{chemin}__departements__region",
        departement=f"{chemin}__departements",
        proprietaire=f"{chemin}__utilisateur",
        **options,
    )


declarer(
    "rendezvous.Referent",
    territorial(
        region="departements__region", departement="departements", proprietaire="utilisateur"
    ),
)
declarer("rendezvous.Lieu", territorial(region="departement__region"))
declarer("rendezvous.MotifRendezVous", national())
declarer("rendezvous.PlageOuverture", _par_le_referent("referent"))
declarer("rendezvous.Absence", _par_le_referent("referent"))
# Applicants' personal data: the referents of the territory and the referent met, nobody else.
REFERENTS = frozenset({REFERENT_INSTALLATION})
declarer("rendezvous.RendezVous", _par_le_referent("referent", roles=REFERENTS))
declarer("rendezvous.Notification", _par_le_referent("rendezvous__referent", roles=REFERENTS))
