"""Scope of the parcours, directory, documents and plans (see guichet.scoping.declarer)."""

from guichet.scoping import declarer, personnel, territorial

for modele in ("Parcours", "Etape", "Document", "Evenement", "Actualite"):
    declarer(f"installation.{modele}", territorial(voir_national=True))
declarer("installation.Contact", territorial(region="departement__region"))
declarer("installation.Plan", personnel())
declarer("installation.SuiviEtape", personnel())
