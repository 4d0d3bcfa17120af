"""What the territory pages keep (demographie.rendu) follows every write that changes them:
headcounts, populations, sources, the 2016 Pacte figures, territories. Nothing of the request
is kept (the content is rendered without it)."""

import pytest

from demographie.models import IndicateurDispositif, Population, Source
from tests.factories import EffectifFactory

pytestmark = pytest.mark.django_db
URL = "/demographie/departement/972/"


def _get(client, url=URL, **parametres) -> str:
    response = client.get(url, parametres)
    assert response.status_code == 200
    return response.content.decode()


def test_page_gardee_puis_recalculee_a_chaque_ecriture(
    client, martinique, effectifs_martinique, django_assert_max_num_queries
):
    premiere = _get(client)  # computes the summary (a write): the page is not kept whole yet
    # the summary's rebuild bumped the "demographie" version: the fragments are built again
    assert _get(client) == premiere
    with django_assert_max_num_queries(3):  # the content versions, the covered tables (once)
        deuxieme = _get(client)  # from the fragments, and now kept whole
    with django_assert_max_num_queries(1):  # the content version, nothing else
        assert _get(client) == deuxieme
    assert premiere == deuxieme
    assert "csrfmiddlewaretoken" not in deuxieme
    assert ">40<" in deuxieme or "≥ 40" in deuxieme

    # a headcount written by an import, the admin or a shell
    EffectifFactory(departement=martinique, source=effectifs_martinique, effectif=60)
    assert "≥ 100" in _get(client)
    # a source renamed
    Source.objects.filter(pk=effectifs_martinique.pk).update(libelle="DREES, RPPS (renommé)")
    assert "DREES, RPPS (renommé)" in _get(client)
    # a population corrected: the density follows
    Population.objects.filter(niveau="departement", code_territoire="972").update(
        population=100_000
    )
    assert "100,0" in _get(client)
    # the 2016 Pacte figures
    IndicateurDispositif.objects.create(
        annee=2016,
        region_id="02",
        indicateur="msp_ouvertes",
        valeur=7,
        source="Pacte territoire santé, bilan fin 2016",
    )
    assert "Maisons de santé pluriprofessionnelles ouvertes" in _get(client)


def test_annee_et_profession_ne_partagent_pas_leur_page(client, effectifs_martinique):
    assert "Chiffres clés : Médecin généraliste, 2025" in _get(client)
    html = _get(client, annee=2024, profession="medecin-generaliste")
    assert "Chiffres clés : Médecin généraliste, 2024" in html
    assert '<option value="2024" selected>' in html
    assert "Chiffres clés : Infirmier" in _get(client, profession="infirmier")
    assert "Chiffres clés : Médecin généraliste, 2025" in _get(client)
    # an invalid value falls back to the defaults, the same page as without it
    assert "Chiffres clés : Médecin généraliste, 2025" in _get(client, annee="x")


def test_territoire_inconnu_jamais_garde(client, effectifs_martinique):
    assert client.get("/demographie/departement/999/").status_code == 404
    assert client.get("/demographie/departement/999/").status_code == 404
