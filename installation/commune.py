"""Sections of the commune page from installation (contacts, referent, events, collective
projects) and the demography read through demographie's public functions."""

from django.urls import reverse

from aides.versions import Fragments
from guichet.fiche_commune import Section, garder, rendre, section
from guichet.grammaire import de_departement, fonction_referents
from guichet.memoire import memoire_processus
from guichet.models import Commune
from guichet.vocabulaire import Profession
from installation.models import Contact, Evenement, Parcours

# Contacts, referents and events are the same for every commune of a département and change
# a few times a year, but are not all content tables (referents and their accounts bump no
# counter) and "à venir" follows the hour: each département's two sections are kept rendered
# for a minute in the process, and forgotten at once in the process that saves one of them.
DUREE_SECTIONS_DEPARTEMENT = 60
MODELES_SECTIONS_DEPARTEMENT = (
    Contact,
    Evenement,
    "rendezvous.Referent",
    "guichet.User",
    "guichet.Departement",
)


@section
def section_contacts(commune: Commune):
    return _contacts_du_departement(commune.departement)


@memoire_processus(DUREE_SECTIONS_DEPARTEMENT, *MODELES_SECTIONS_DEPARTEMENT)
def _contacts_du_departement(dep) -> Section:
    contacts = list(Contact.objects.pour_departement(dep).pour_liste()[:12])
    referents = list(dep.referents.filter(actif=True).select_related("utilisateur").order_by("pk"))
    return rendre(
        Section(
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
    )


def msp_de_la_region(commune: Commune):
    """The latest regional count of open MSPs the portal holds (a Pacte territoire santé
    figure, with its year and source), or None. It says nothing of which MSPs are near."""
    from demographie.models import IndicateurDispositif

    return (
        IndicateurDispositif.objects.realises()
        .pour_region(commune.departement.region_id)
        .filter(indicateur="msp_ouvertes", valeur__isnull=False, departement__isnull=True)
        .order_by("-annee")
        .first()
    )


# Kept per content version and day (aides.versions), per commune (contacts and events: per
# département for a minute, above).
SECTIONS_MAX = 500  # ~10 kB for both sections of a commune


def _garder(zones, nom, commune, construire):
    espace = Fragments.pour(*zones).espace("fiche_commune", SECTIONS_MAX)
    return garder(espace, (nom, commune.code), construire)


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
            },
            ancre="projets",
        )

    return _garder(("installation", "demographie"), "projets", commune, construire)


@section
def section_evenements(commune: Commune):
    return _evenements_du_departement(commune.departement)


@memoire_processus(DUREE_SECTIONS_DEPARTEMENT, *MODELES_SECTIONS_DEPARTEMENT)
def _evenements_du_departement(dep) -> Section:
    evenements = list(Evenement.objects.publies().a_venir().pour_departement(dep).pour_liste()[:5])
    return rendre(
        Section(
            60,
            "Événements à venir dans le département",
            "installation/commune/_evenements.html",
            {"evenements": evenements},
            ancre="evenements",
        )
    )


@section
def section_demographie(commune: Commune):
    return _garder(("demographie",), "demographie", commune, lambda: _demographie(commune))


def _demographie(commune: Commune):
    from demographie import indicateurs, territoires

    lignes = []
    fictif = False
    # the page read the commune with its département and région: no query for the territories
    for t in (territoires.de_commune(commune), territoires.de_departement(commune.departement)):
        profil = indicateurs.profil(t, profession=Profession.MEDECIN_GENERALISTE, detail=False)
        fictif = fictif or profil.donnees_fictives
        professions = [
            (Profession(code).label if code in Profession.values else code, agregat)
            for code, agregat in profil.professions.items()
        ]
        lignes.append({"territoire": t, "profil": profil, "professions": professions})
    return Section(
        40,
        "Démographie des professionnels de santé",
        "installation/commune/_demographie.html",
        {"lignes": lignes, "fictif": fictif},
        ancre="demographie",
    )
