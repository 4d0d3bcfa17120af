"""Main navigation and audience entry points (one place for menus, home page and site map)."""

from functools import cache

from django.urls import get_script_prefix, reverse

from guichet.vocabulaire import Public

NAVIGATION = [
    ("Aides", "aides:liste"),
    ("S'installer", "installation:accueil"),
    ("Rendez-vous", "rendezvous:accueil"),
    ("Opportunités", "opportunites:liste"),
    ("Démographie", "demographie:accueil"),
    ("Étudiants et internes", "guichet:etudiants_internes"),
    ("Élus et collectivités", "guichet:elus_collectivites"),
]

PUBLICS = [
    {
        "cle": Public.PROFESSIONNELS.value,
        "url_name": "guichet:professionnels",
        "titre": "Professionnels de santé",
        "description": "Choisir où s'installer, connaître les démarches et les aides, "
        "rencontrer le référent installation.",
        "icone": "fr-icon-stethoscope-line",
    },
    {
        "cle": Public.ETUDIANTS.value,
        "url_name": "guichet:etudiants_internes",
        "titre": "Étudiants et internes",
        "description": "Stages en cabinet, contrat d'engagement de service public, logement "
        "et accueil des internes.",
        "icone": "fr-icon-graduation-cap-line",
    },
    {
        "cle": Public.ELUS.value,
        "url_name": "guichet:elus_collectivites",
        "titre": "Élus et collectivités",
        "description": "Attirer et fidéliser des professionnels, soutenir un projet de maison "
        "de santé, contrats locaux de santé.",
        "icone": "fr-icon-government-line",
    },
    {
        "cle": Public.PORTEURS.value,
        "url_name": "guichet:porteurs_de_projet",
        "titre": "Porteurs de projet d'exercice coordonné",
        "description": "Maison de santé pluriprofessionnelle, centre de santé, CPTS : étapes, "
        "financements et accompagnement.",
        "icone": "fr-icon-team-line",
    },
]


@cache
def _adresses_menu(prefixe: str) -> tuple[tuple[str, str], ...]:
    """The menu's URLs, reversed once per script prefix (every page renders them)."""
    return tuple((libelle, reverse(url_name)) for libelle, url_name in NAVIGATION)


def menu(chemin: str) -> list[dict]:
    return [
        {"libelle": libelle, "url": url, "actif": chemin.startswith(url)}
        for libelle, url in _adresses_menu(get_script_prefix())
    ]
