"""Labels the administration shows are French words with their accents ("Référent", not
"Referent"): every model's name and every field's verbose_name of the project's apps."""

import re

from django.apps import apps

APPS = ["guichet", "aides", "installation", "rendezvous", "demographie", "espace"]

# French words that lose their accent when a field name becomes a label ("annule_le").
SANS_ACCENT = set(
    "age ajoute annee annule annulee anonymise anonymisee categorie cle cloture cree creee "
    "debut delai departement departements deplace detail donnees duree echeance element "
    "enregistre enregistree envoye envoyee equipe etape etapes etat evenement evenements "
    "genere generee honore liberal masques modifie modifiee numero precedent prefixe prenom "
    "priorite publie publiee recue referent referente referents region regions reponse "
    "reserve resume salarie sequence succes telephone verifie".split()
)


def _libelles():
    for app in APPS:
        for modele in apps.get_app_config(app).get_models():
            yield modele._meta.label, "verbose_name", modele._meta.verbose_name
            yield modele._meta.label, "verbose_name_plural", modele._meta.verbose_name_plural
            for champ in modele._meta.get_fields():
                if not champ.auto_created and getattr(champ, "verbose_name", None):
                    yield modele._meta.label, champ.name, champ.verbose_name


def test_aucun_libelle_sans_ses_accents():
    fautes = [
        f"{modele}.{nom} : {libelle!r}"
        for modele, nom, libelle in _libelles()
        if {mot.lower() for mot in re.findall(r"[^\W\d_]+", str(libelle))} & SANS_ACCENT
    ]
    assert fautes == []


def test_la_liste_voit_les_libelles_de_tous_les_champs():
    libelles = {(m, n): str(lib) for m, n, lib in _libelles()}
    assert libelles[("rendezvous.RendezVous", "annule_le")] == "annulé le"
    assert libelles[("rendezvous.RendezVous", "referent")] == "référent"
    assert libelles[("rendezvous.Notification", "envoye_le")] == "envoyée le"
    assert len(libelles) > 300
