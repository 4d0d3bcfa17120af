"""Scope of the parcours, directory, documents and booking models (see guichet.scoping)."""

from guichet.roles import REFERENT_INSTALLATION
from guichet.scoping import declarer, national, personnel, territorial

for modele in ("Parcours", "Etape", "Document", "Evenement", "Actualite"):
    declarer(f"installation.{modele}", territorial(voir_national=True))
declarer("installation.Contact", territorial(region="departement__region"))
declarer("installation.Plan", personnel())
declarer("installation.SuiviEtape", personnel())

# -- booking (moving to rendezvous/)
declarer("installation.Referent", territorial(
    region="departements__region", departement="departements", proprietaire="utilisateur"))  # fmt: skip
declarer("installation.Lieu", territorial(region="departement__region"))
declarer("installation.MotifRendezVous", national())
for modele in ("PlageOuverture", "Absence"):
    declarer(f"installation.{modele}", territorial(
        region="referent__departements__region", departement="referent__departements",
        proprietaire="referent__utilisateur"))  # fmt: skip
# Applicants' personal data: the referents of the territory and the referent met, nobody else.
for modele in ("RendezVous", "Notification"):
    chemin = "referent" if modele == "RendezVous" else "rendezvous__referent"
    declarer(f"installation.{modele}", territorial(
        region=f"{chemin}__departements__region", departement=f"{chemin}__departements",
        proprietaire=f"{chemin}__utilisateur", roles=frozenset({REFERENT_INSTALLATION})))  # fmt: skip
