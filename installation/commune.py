"""Sections of the commune page from installation (contacts, referent, events, collective
projects) and the demography read through demographie's public functions."""

from django.urls import reverse

from guichet.fiche_commune import Section, section
from guichet.grammaire import de_departement
from guichet.models import Commune
from guichet.vocabulaire import Profession
from installation.models import Contact, Evenement, Parcours


@section
def section_contacts(commune: Commune):
    dep = commune.departement
    contacts = list(Contact.objects.pour_departement(dep).pour_liste()[:12])
    referents = list(dep.referents.filter(actif=True).select_related("utilisateur").order_by("pk"))
    return Section(
        30,
        "Qui contacter",
        "installation/commune/_contacts.html",
        {"contacts": contacts, "referents": referents, "departement": dep,
         "de_departement": de_departement(dep.code, dep.nom),
         "fictifs": any(c.fictif for c in contacts),
         "url_contacts": f"{reverse('installation:contacts')}?departement={dep.code}"},
        ancre="contacts",
    )  # fmt: skip


@section
def section_projets(commune: Commune):
    collectifs = list(Parcours.objects.publies().nationaux().filter(profession="autre"))
    return Section(
        50,
        "Maisons de santé et projets collectifs",
        "installation/commune/_projets.html",
        {"parcours": collectifs, "commune": commune},
        ancre="projets",
    )


@section
def section_evenements(commune: Commune):
    evenements = list(
        Evenement.objects.publies().a_venir().pour_departement(commune.departement).pour_liste()[:5]
    )
    return Section(
        60,
        "Événements à venir dans le département",
        "installation/commune/_evenements.html",
        {"evenements": evenements},
        ancre="evenements",
    )


@section
def section_demographie(commune: Commune):
    from demographie import indicateurs, territoires

    lignes = []
    fictif = False
    for niveau, code in (("commune", commune.code), ("departement", commune.departement_id)):
        try:
            t = territoires.trouver(niveau, code)
        except territoires.TerritoireInconnu:
            continue
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
