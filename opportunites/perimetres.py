"""Scope of the opportunities (see guichet.scoping.declarer): the territory of the post's commune.

A post is moderated by the staff of its commune's département (and region), nobody else.
"""

from guichet.scoping import declarer, territorial

declarer(
    "opportunites.Opportunite",
    territorial(region="commune__departement__region", departement="commune__departement"),
)
