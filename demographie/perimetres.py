"""Scope of the demography models (see guichet.scoping.declarer)."""

from guichet.scoping import declarer, reference, territorial

declarer("demographie.Source", reference())
declarer("demographie.Effectif", territorial())
declarer("demographie.Population", territorial())
declarer("demographie.IndicateurDispositif", territorial(voir_national=True))
declarer("demographie.Bulletin", territorial())
