"""Aid pages viewed and simulations run are counted server-side, without cookie or person."""

import datetime
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as reglages
from hypothesis import strategies as st

from espace.compteurs import CUMUL
from espace.models import CompteurJournalier
from guichet import cumuls
from tests.aides.factories import AideFactory


def test_vue_d_une_aide_comptee_sans_cookie(client, territoires):
    aide = AideFactory(portee="departement")
    aide.departements.add(territoires["dep_a"])
    nationale = AideFactory()
    for _ in range(2):
        reponse = client.get(aide.get_absolute_url())
    client.get(nationale.get_absolute_url())
    assert not reponse.cookies
    compteur = CompteurJournalier.objects.get(
        indicateur="aide-vue", departement=territoires["dep_a"]
    )
    assert compteur.nombre == 2 and compteur.region == territoires["region_a"]
    assert CompteurJournalier.objects.get(indicateur="aide-vue", region=None).nombre == 1
    assert CompteurJournalier.objects.count() == 2


def test_brouillon_non_compte(client, territoires):
    aide = AideFactory(brouillon=True)
    assert client.get(aide.get_absolute_url()).status_code == 404
    assert not CompteurJournalier.objects.exists()


def test_increment_par_jour(territoires):
    jour = datetime.date(2026, 1, 5)
    CompteurJournalier.incrementer("simulation", departement=territoires["dep_a"], jour=jour)
    CompteurJournalier.incrementer("simulation", departement=territoires["dep_a"], jour=jour)
    CompteurJournalier.incrementer("simulation", departement=territoires["dep_a"])
    valeurs = sorted(CompteurJournalier.objects.values_list("nombre", flat=True))
    assert valeurs == [1, 2]


def test_simulation_comptee(client, territoires):
    parametres = {
        "profession": "medecin-generaliste",
        "situation": "interne",
        "commune": "00001",
        "exercice": "seul",
        "secteur": "secteur-1",
        "premiere": "oui",
        "aide_recente": "non",
    }
    reponse = client.get(reverse("aides:simulateur"), parametres)
    assert "Poser une question" in reponse.content.decode()
    assert (
        CompteurJournalier.objects.get(indicateur="simulation").departement == territoires["dep_a"]
    )


# Counts are added up in each process and written together (guichet.cumuls): a page served
# from the cache writes nothing; the sums reach the table when due, at exit, or when forced.


def _total(indicateur):
    return sum(
        CompteurJournalier.objects.filter(indicateur=indicateur).values_list("nombre", flat=True)
    )


def test_une_page_servie_du_cache_compte_sans_ecrire(
    client, territoires, settings, django_assert_num_queries
):
    settings.CUMULS_DELAI = 3600
    aide = AideFactory(portee="departement")
    aide.departements.add(territoires["dep_a"])
    assert Client().get(aide.get_absolute_url())["X-Cache-Page"] == "miss"
    for _ in range(4):
        with django_assert_num_queries(1):  # the content version: no counter written
            assert Client().get(aide.get_absolute_url())["X-Cache-Page"] == "hit"
    assert _total("aide-vue") == 0
    cle = CompteurJournalier.cle("aide-vue", departement=territoires["dep_a"])
    assert cumuls.en_attente() == {(CUMUL, cle): 5}
    cumuls.ecrire(force=True)
    assert _total("aide-vue") == 5 and cumuls.en_attente() == {}


def test_les_comptes_sont_ecrits_une_fois_le_delai_passe(territoires, settings, monkeypatch):
    settings.CUMULS_DELAI = 5
    horloge = [1000.0]
    monkeypatch.setattr(cumuls.time, "monotonic", lambda: horloge[0])
    aide = AideFactory()
    Client().get(aide.get_absolute_url())
    horloge[0] += 4.9
    Client().get(aide.get_absolute_url())
    assert _total("aide-vue") == 0
    horloge[0] += 0.1  # five seconds after the first count: the next answer writes both
    Client().get(aide.get_absolute_url())
    assert _total("aide-vue") == 3 and cumuls.en_attente() == {}


def test_un_ecrivain_en_echec_garde_les_comptes(territoires, settings, monkeypatch):
    settings.CUMULS_DELAI = 3600
    cle = CompteurJournalier.cle("simulation", departement=territoires["dep_a"])
    cumuls.ajouter(CUMUL, cle, 2)

    def en_panne(sommes):
        raise RuntimeError("base indisponible")

    monkeypatch.setitem(cumuls._ecrivains, CUMUL, en_panne)
    with pytest.raises(RuntimeError):
        cumuls.ecrire(force=True)
    assert cumuls.en_attente() == {(CUMUL, cle): 2}
    monkeypatch.undo()
    cumuls.ajouter(CUMUL, cle)
    cumuls.ecrire(force=True)
    assert _total("simulation") == 3


def test_un_cumul_inconnu_est_refuse():
    with pytest.raises(LookupError):
        cumuls.ajouter("inconnu", ("x",))


@given(
    lots=st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(["simulation", "aide-vue"]),
                st.sampled_from(["dep_a", "dep_b", "region_a", None]),
                st.integers(min_value=0, max_value=2),  # day offset
                st.integers(min_value=1, max_value=3),
            ),
            max_size=12,
        ),
        min_size=1,
        max_size=4,
    )
)
@reglages(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_les_sommes_ecrites_sont_celles_ajoutees(territoires, lots):
    """Whatever is added, in however many writes (one per process or per delay), each row ends
    at the sum of what was added to it: the upsert adds, it never replaces."""
    CompteurJournalier.objects.all().delete()
    cumuls.oublier()
    attendu = Counter()
    for lot in lots:
        for indicateur, lieu, jours, n in lot:
            territoire = territoires[lieu] if lieu else None
            cle = CompteurJournalier.cle(
                indicateur,
                departement=territoire if lieu and lieu.startswith("dep") else None,
                region=territoire if lieu and lieu.startswith("region") else None,
                jour=datetime.date(2026, 3, 28) + datetime.timedelta(days=jours),
            )
            cumuls.ajouter(CUMUL, cle, n)
            attendu[cle] += n
        cumuls.ecrire(force=True)
    lignes = {
        (c.jour, c.indicateur, c.region_id, c.departement_id): c.nombre
        for c in CompteurJournalier.objects.all()
    }
    assert lignes == dict(attendu)
