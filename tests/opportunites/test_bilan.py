"""The staff's figures on the posts: per scope, this year against last, median days to fill,
by profession and territory, the seeds' sentence, CSV; constant queries."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests import factories as f
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db
PARIS = datetime.timezone(datetime.timedelta(hours=1))
MAINTENANT = datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC)


def _quand(annee, mois, jour):
    return datetime.datetime(annee, mois, jour, 12, tzinfo=datetime.UTC)


@pytest.fixture
def territoires():
    na = f.RegionFactory(code="75", nom="Nouvelle-Aquitaine")
    creuse = f.DepartementFactory(code="23", nom="Creuse", region=na)
    deux_sevres = f.DepartementFactory(code="79", nom="Deux-Sèvres", region=na)
    return {
        "creuse": creuse,
        "deux_sevres": deux_sevres,
        "felletin": f.CommuneFactory(code="23079", nom="Felletin", departement=creuse),
        "niort": f.CommuneFactory(code="79191", nom="Niort", departement=deux_sevres),
    }


def _annonce(commune, publiee, pourvue=None, professions=("medecin-generaliste",)):
    return OpportuniteFactory(
        commune=commune, professions=list(professions), statut="pourvue" if pourvue else "publiee",
        publiee_le=publiee, close_le=pourvue,
    )  # fmt: skip


@pytest.fixture
def annonces(territoires):
    felletin, niort = territoires["felletin"], territoires["niort"]
    return [
        _annonce(felletin, _quand(2026, 1, 10), _quand(2026, 1, 20)),  # 10 days
        _annonce(felletin, _quand(2026, 3, 1), _quand(2026, 4, 10)),  # 40 days
        _annonce(felletin, _quand(2026, 6, 1), _quand(2026, 7, 1), ["infirmier"]),  # 30 days
        _annonce(felletin, _quand(2026, 9, 1)),
        _annonce(felletin, _quand(2025, 11, 1), _quand(2026, 1, 1)),  # 61 days, filled in 2026
        _annonce(felletin, _quand(2025, 5, 1)),
        _annonce(niort, _quand(2026, 2, 1), _quand(2026, 2, 2)),  # another département
    ]


def test_le_bilan_du_perimetre_de_l_agent(client, territoires, annonces, settings):
    with time_machine.travel(MAINTENANT, tick=False):
        client.force_login(f.UserFactory(agent_ars=True, departements=[territoires["creuse"]]))
        reponse = client.get(reverse("opportunites_moderation:bilan"))
    assert reponse.status_code == 200
    actuelle, precedente = reponse.context["actuelle"], reponse.context["precedente"]
    assert (actuelle.publiees, actuelle.pourvues) == (4, 4)
    assert actuelle.jours_median == 35  # 10, 30, 40, 61
    assert (precedente.publiees, precedente.pourvues, precedente.jours_median) == (2, 0, None)
    contenu = reponse.content.decode()
    assert "En 2026, 4 annonces publiées, déjà 4 pourvues en 35 jours (médiane)." in contenu
    assert "En 2025, 2 annonces publiées." in contenu
    assert reponse.context["par_profession"] == [("Médecin généraliste", 3, 3),
                                                 ("Infirmier ou infirmière", 1, 1)]  # fmt: skip
    assert reponse.context["par_territoire"] == [("Creuse (23)", 4, 4)]
    # Another département's code is not in the agent's scope: the whole scope is shown.
    with time_machine.travel(MAINTENANT, tick=False):
        autre = client.get(reverse("opportunites_moderation:bilan"), {"departement": "79"})
    assert autre.context["departement"] is None and autre.context["actuelle"].publiees == 4
    # Behind the filter of hostile requests too (as the URL fuzz tries): a NUL byte reached
    # PostgreSQL (500).
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequeteHostile" not in m]
    for hostile in ("a\x00b", "2" * 400, "é"):
        with time_machine.travel(MAINTENANT, tick=False):
            for url in ("opportunites_moderation:bilan", "opportunites_moderation:bilan_csv"):
                assert client.get(reverse(url), {"departement": hostile}).status_code < 500


def test_un_agent_regional_choisit_un_departement_et_telecharge_le_csv(
    client, territoires, annonces
):
    region = territoires["creuse"].region
    url = reverse("opportunites_moderation:bilan_csv")
    with time_machine.travel(MAINTENANT, tick=False):
        client.force_login(f.UserFactory(agent_ars=True, regions=[region]))
        tout = client.get(reverse("opportunites_moderation:bilan")).context
        csv = client.get(url, {"departement": "79", "annee": "2026"})
    assert tout["par_territoire"] == [("Creuse (23)", 4, 4), ("Deux-Sèvres (79)", 1, 1)]
    assert csv["Content-Disposition"] == 'attachment; filename="opportunites-79-2026.csv"'
    lignes = csv.content.decode("utf-8-sig").splitlines()
    assert lignes[1:4] == ["Annonces publiées;1;0", "Annonces pourvues;1;0",
                           "Délai médian pour pourvoir (jours);1;"]  # fmt: skip


def test_le_public_n_y_accede_pas(client, territoires):
    for url in ("opportunites_moderation:bilan", "opportunites_moderation:bilan_csv"):
        client.force_login(f.UserFactory())
        assert client.get(reverse(url)).status_code == 403


def test_nombre_de_requetes_constant(client, territoires, django_assert_max_num_queries):
    client.force_login(f.UserFactory(agent_ars=True, departements=[territoires["creuse"]]))
    client.get(reverse("opportunites_moderation:bilan"))  # the session's first reads
    comptes = []
    for n in (2, 30):
        for i in range(n):
            _annonce(territoires["felletin"], _quand(2026, 1, 1 + i % 28), _quand(2026, 3, 1))
        with django_assert_max_num_queries(15) as requetes:
            client.get(reverse("opportunites_moderation:bilan"))
        comptes.append(len(requetes.captured_queries))
    assert comptes[0] == comptes[1]
