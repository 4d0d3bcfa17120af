"""The fixed mix of pages of `make bench`, resolved from the benchmark database."""

from urllib.parse import urlencode

from django.urls import reverse

from aides.models import Aide
from installation.models import Etape, Parcours

DEPARTEMENT = "79"
REGION = "75"
COMMUNE = "79191"  # Niort


def mix() -> dict[str, str]:
    """Page name → path, in the order of the report (the baseline comes first)."""
    aide = Aide.objects.publiees().filter(exemple=False).order_by("pk").first()
    parcours = Parcours.objects.order_by("pk").first()
    etape = Etape.objects.filter(parcours=parcours).order_by("pk").first()
    simulation = {
        "profession": "medecin-generaliste", "situation": "interne", "commune": COMMUNE,
        "exercice": "seul", "secteur": "secteur-1", "premiere": "oui", "aide_recente": "non",
    }  # fmt: skip
    pages = {
        "reference": reverse("benchmarks:reference"),
        "accueil": reverse("guichet:accueil"),
        "aides_filtres": reverse("aides:liste")
        + "?"
        + urlencode({"profession": "medecin-generaliste", "departement": DEPARTEMENT}),
        "aides_texte": reverse("aides:liste") + "?" + urlencode({"q": "installation médecin"}),
        "aide_detail": aide.get_absolute_url(),
        "simulateur": reverse("aides:simulateur") + "?" + urlencode(simulation),
        "communes": reverse("guichet:communes") + "?" + urlencode({"q": "st etienne"}),
        "fiche_commune": reverse("guichet:commune", args=[COMMUNE]),
        "parcours": parcours.get_absolute_url(),
        "etape": etape.get_absolute_url(),
        "creneaux": reverse(
            "rendezvous:creneaux",
            kwargs={"departement": DEPARTEMENT, "motif": "premier-entretien-installation"},
        ),
        "demo_france": reverse("demographie:territoire"),
        "demo_region": reverse("demographie:territoire", args=["region", REGION]),
        "demo_departement": reverse("demographie:territoire", args=["departement", DEPARTEMENT]),
    }
    return pages


def bulletin(annee: int) -> str:
    return reverse("demographie:bulletin_pdf", args=[annee, "region", REGION])
