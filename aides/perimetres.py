"""Scope of the aid catalogue's models (see guichet.scoping.declarer)."""

from guichet.scoping import declarer, personnel, territorial

declarer("aides.Organisation", territorial(voir_national=True))
declarer(
    "aides.Aide",
    territorial(
        region="regions",
        departement="departements",
        commune="communes",
        voir_national=True,
        national_si=lambda aide: aide.portee == "national",
    ),
)
declarer(
    "aides.Financement",
    territorial(region="aide__regions", departement="aide__departements", voir_national=True),
)
declarer(
    "aides.Zonage",
    territorial(region="commune__departement__region", departement="commune__departement"),
)
declarer("aides.SimulationEnregistree", personnel())
