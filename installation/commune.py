"""Sections of the commune page from installation: contacts, referent, events, collective
projects (with the region's count of open MSPs, a demographie figure)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from demographie.models import IndicateurDispositif
from guichet.cache import Fragments
from guichet.fiche_commune import Section, garder, rendre, section
from guichet.grammaire import de_departement, fonction_referents
from guichet.models import Commune, JeuDeDonnees
from guichet.versions import AGENDA, INSTALLATION, PAGES
from installation.finess import JEU as JEU_FINESS
from installation.models import Contact, Evenement, Parcours, Structure

# Contacts, referents and events are the same for every commune of a département: each
# département's two sections are kept rendered under the content versions of what they show
# (contacts and events: "installation"; referents and their names: "agenda"; the
# département's name: "pages"), events until the first kept one is no longer upcoming.


@section
def section_contacts(commune: Commune):
    dep = commune.departement
    espace = Fragments.pour(INSTALLATION, AGENDA, PAGES).espace("installation.departements")
    return garder(espace, ("contacts", dep.pk), lambda: _contacts_du_departement(dep))


def _contacts_du_departement(dep) -> Section:
    contacts = list(Contact.objects.pour_departement(dep).pour_liste()[:12])
    referents = list(dep.referents.filter(actif=True).select_related("utilisateur").order_by("pk"))
    return Section(
        30,
        "Qui contacter",
        "installation/commune/_contacts.html",
        {
            "contacts": contacts,
            "referents": referents,
            "departement": dep,
            "de_departement": de_departement(dep.code, dep.nom),
            "fonction_referents": fonction_referents([r.genre for r in referents]),
            "fictifs": any(c.fictif for c in contacts),
            "url_contacts": f"{reverse('installation:contacts')}?departement={dep.code}",
        },
        ancre="contacts",
    )


def msp_de_la_region(commune: Commune):
    """The latest regional count of open MSPs the portal holds (a Pacte territoire santé
    figure, with its year and source), or None. It says nothing of which MSPs are near."""
    return (
        IndicateurDispositif.objects.realises()
        .pour_region(commune.departement.region_id)
        .filter(indicateur="msp_ouvertes", valeur__isnull=False, departement__isnull=True)
        .order_by("-annee")
        .first()
    )


# Kept per content version and day (guichet.cache), per commune (contacts and events: per
# département, above).


def _garder(zones, nom, commune, construire):
    espace = Fragments.pour(*zones).espace("fiche_commune")
    return garder(espace, (nom, commune.code), construire)


RAYON_STRUCTURES_KM = 30
NOMBRE_STRUCTURES = 8


def structures_proches(commune: Commune) -> dict:
    """The maisons and centres de santé near the commune, and what the portal knows: with no
    FINESS extract ever imported, none near says nothing (« Inconnu »), never « aucune »."""
    structures = list(
        Structure.objects.pres_de(commune, RAYON_STRUCTURES_KM).pour_liste()[:NOMBRE_STRUCTURES]
    )
    return {
        "structures": structures,
        "finess_charge": JeuDeDonnees.objects.filter(nom=JEU_FINESS).first(),
        "rayon_structures": RAYON_STRUCTURES_KM,
        "structures_fictives": any(s.fictive for s in structures),
    }


@section
def section_projets(commune: Commune):
    def construire():
        collectifs = list(Parcours.objects.publies().nationaux().filter(profession="autre"))
        return Section(
            50,
            "Maisons de santé et projets collectifs",
            "installation/commune/_projets.html",
            {
                "parcours": collectifs,
                "commune": commune,
                "msp_region": msp_de_la_region(commune),
                "region": commune.departement.region,
                **structures_proches(commune),
            },
            ancre="projets",
        )

    return _garder(("installation", "demographie"), "projets", commune, construire)


@section
def section_evenements(commune: Commune):
    dep, maintenant = commune.departement, timezone.now()
    espace = Fragments.pour(INSTALLATION, PAGES).espace("installation.departements")
    gardee = espace.get(("evenements", dep.pk))
    if gardee is None or gardee[1] < maintenant:
        evenements = list(
            Evenement.objects.publies().a_venir(maintenant).pour_departement(dep).pour_liste()[:5]
        )
        # upcoming until its end (or its start): the kept list holds until the first one passes
        jamais = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        jusqu_a = min((e.fin or e.debut for e in evenements), default=jamais)
        gardee = (_evenements_du_departement(evenements), jusqu_a)
        espace.set(("evenements", dep.pk), gardee)
    return gardee[0]


def _evenements_du_departement(evenements) -> Section:
    return rendre(
        Section(
            60,
            "Événements à venir dans le département",
            "installation/commune/_evenements.html",
            {"evenements": evenements},
            ancre="evenements",
        )
    )
