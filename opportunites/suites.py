"""From the simulator's result and a parcours to the matching opportunities (guichet.suites):
the list filtered on the profession and the place, with the count of published posts (one
query)."""

from urllib.parse import urlencode

from django.urls import reverse

from guichet import grammaire
from guichet.suites import Suite, suite
from guichet.vocabulaire import Profession
from opportunites.commune import RAYON_KM, pres_de
from opportunites.models import Opportunite


@suite
def opportunites_qui_correspondent(*, profession, commune=None, departement=None):
    parametres, annonces, ou = {}, Opportunite.objects.publiees(), ""
    # A team project (« autre ») is for every profession: the place alone.
    if profession in Profession.values and profession != Profession.AUTRE:
        parametres["profession"] = profession
    if commune is not None:
        parametres.update(commune=commune.code, rayon=RAYON_KM)
        annonces = pres_de(commune, RAYON_KM)
        ou = f" à {RAYON_KM} km autour {grammaire.de_commune(commune.nom)}"
    elif departement is not None:
        parametres["departement"] = departement.code
        annonces = annonces.filter(commune__departement=departement)
        ou = f" dans le département {grammaire.de_departement(departement.code, departement.nom)}"
    if "profession" in parametres:
        annonces = annonces.filter(professions__contains=[profession])
        quoi = grammaire.PROFESSIONS_PLURIEL.get(profession, Profession(profession).label)
        titre = f"Opportunités pour les {quoi}{ou}"
    else:
        titre = f"Opportunités{ou}"
    nombre = annonces.count()
    return Suite(
        ordre=10,
        titre=titre,
        url=f"{reverse('opportunites:liste')}?{urlencode(parametres)}",
        precision=grammaire.pluriel(nombre, "annonce publiée", "annonces publiées")
        if nombre
        else "aucune annonce publiée pour l'instant",
    )
