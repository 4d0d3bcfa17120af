"""Scope of the staff space's models (see guichet.scoping.declarer).

Questions and accompaniments hold personal data that the territory's team needs for its work:
they are read and changed by the staff of their département (and its region), nobody else.
"""

from guichet.scoping import declarer, territorial

declarer("espace.Question", territorial(region="departement__region"))
declarer(
    "espace.MessageQuestion",
    territorial(region="question__departement__region", departement="question__departement"),
)
declarer("espace.Accompagnement", territorial(region="departement__region"))
declarer(
    "espace.ChangementEtape",
    territorial(
        region="accompagnement__departement__region", departement="accompagnement__departement"
    ),
)
# Anonymous daily counts; the national rows (no territory) are readable by every team.
declarer("espace.CompteurJournalier", territorial(voir_national=True))
