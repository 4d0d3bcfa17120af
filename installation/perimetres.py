"""Scope of the parcours, directory, documents and plans (see guichet.scoping.declarer)."""

from guichet.scoping import declarer, personnel, territorial

for modele in ("Parcours", "Etape", "Document", "Evenement", "Actualite"):
    declarer(f"installation.{modele}", territorial(voir_national=True))
declarer("installation.Contact", territorial(region="departement__region"))
# Maisons and centres de santé: the territory of their commune.
declarer(
    "installation.Structure",
    territorial(region="commune__departement__region", departement="commune__departement"),
)
declarer("installation.Plan", personnel())
declarer("installation.SuiviEtape", personnel())
