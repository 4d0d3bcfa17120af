"""Scope of the opportunities (see guichet.scoping.declarer): the territory of the post's commune.

A post is moderated by the staff of its commune's département (and region), nobody else.
"""

from guichet.scoping import declarer, personnel, territorial

declarer(
    "opportunites.Opportunite",
    territorial(region="commune__departement__region", departement="commune__departement"),
)
# Messages between two members of the public: personal data, superusers only.
declarer("opportunites.MessageOpportunite", personnel())
# A person's saved searches and the digests sent to them: personal data, superusers only.
declarer("opportunites.Alerte", personnel())
declarer("opportunites.EnvoiAlertes", personnel())
