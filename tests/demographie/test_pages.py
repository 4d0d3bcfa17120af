import pytest
from django.urls import reverse

from demographie import importation, synthese
from tests.factories import EffectifFactory, SourceFactory


@pytest.fixture
def dispositifs(martinique):
    from demographie.models import IndicateurDispositif

    for indicateur, valeur in [("ptmg_contrats_signes", 1), ("msp_ouvertes", 2)]:
        IndicateurDispositif.objects.create(
            annee=2016,
            region=martinique.region,
            indicateur=indicateur,
            valeur=valeur,
            source=importation.SOURCE_DISPOSITIFS,
        )


@pytest.mark.django_db
def test_page_region_chiffres_graphiques_dispositifs(
    client, effectifs_martinique, communes_martinique, dispositifs
):
    response = client.get("/demographie/region/02/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Démographie des professionnels de santé : Martinique" in html
    assert "≥ 40" in html  # 40 known + a masked cell
    assert "20,0" in html  # density
    assert "DREES, RPPS (test)" in html and "2025" in html
    # pyramid, evolution, comparison and the map of the communes, each with its data table
    assert html.count("<svg") == 4 and html.count("<title id=") == 4
    assert html.count("Données : ") == 4
    assert "Carte des densités par commune" in html and "Fort-de-France" in html
    assert "Contrats de praticien territorial de médecine générale" in html
    assert "Pacte territoire santé, bilan fin 2016" in html
    assert "/aides/?departement=972" in html and reverse("rendezvous:accueil") in html
    assert "/demographie/bulletin/2025/region/02.pdf" in html
    assert "fictives" not in html


@pytest.mark.django_db
def test_donnees_fictives_signalees(client, martinique):
    EffectifFactory(departement=martinique, source=SourceFactory(fictive=True))
    SourceFactory(fictive=True)
    html = client.get("/demographie/departement/972/").content.decode()
    assert "Données fictives de démonstration" in html


@pytest.mark.django_db
def test_choix_annee_et_profession(client, effectifs_martinique):
    html = client.get(
        "/demographie/departement/972/", {"annee": 2024, "profession": "medecin-generaliste"}
    ).content.decode()
    assert "Chiffres clés : Médecin généraliste, 2024" in html
    # unknown values fall back to the defaults instead of failing
    assert client.get("/demographie/departement/972/", {"annee": "x"}).status_code == 200


@pytest.mark.django_db
def test_accueil_mene_aux_regions(client, martinique):
    html = client.get("/demographie/").content.decode()
    assert 'href="/demographie/region/02/"' in html
    response = client.get("/demographie/", {"territoire": "region:02", "profession": "infirmier"})
    assert response.status_code == 302
    assert response.url == "/demographie/region/02/?profession=infirmier"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "saisie",
    ["Niort", "niort", "NIORT", "79000", "Niort — Deux-Sèvres (79), 79000"],
)
def test_accueil_commune_saisie_mene_a_sa_demographie(client, deux_sevres, saisie):
    from guichet.models import Commune

    Commune.objects.filter(pk="79191").update(
        codes_postaux=["79000"], codes_postaux_prefixe="79000"
    )
    # When the real communes are loaded (a session fixture), Bessines shares 79000.
    Commune.objects.exclude(pk="79191").filter(codes_postaux__contains=["79000"]).update(
        codes_postaux=["79009"], codes_postaux_prefixe="79009"
    )
    # What a person types goes in the text input (commune_saisie), read as the search reads it.
    response = client.get("/demographie/", {"commune_saisie": saisie, "profession": "infirmier"})
    assert response.status_code == 302
    assert response.url == "/demographie/commune/79191/?profession=infirmier"


@pytest.mark.django_db
def test_accueil_commune_sans_accent_ambigue_ou_introuvable(client, martinique):
    from tests.factories import CommuneFactory

    CommuneFactory(
        code="97230", nom="Sainte-Marie", departement=martinique, codes_postaux=["97230"]
    )
    CommuneFactory(
        code="97418",
        nom="Sainte-Marie",
        codes_postaux=["97438"],
        departement__code="974",
        departement__region__code="04",
    )
    response = client.get("/demographie/", {"commune": "le lamentin", "profession": "infirmier"})
    assert response.url.startswith("/demographie/commune/97213/")
    # two communes of the same name: the form lists both with their postal codes
    html = client.get("/demographie/", {"commune": "sainte marie", "profession": "infirmier"})
    html = html.content.decode()
    assert "Plusieurs communes correspondent" in html
    assert "Sainte-Marie (972, 97230)" in html and "Sainte-Marie (974, 97438)" in html
    html = client.get("/demographie/", {"commune": "Zzyzx", "profession": "infirmier"})
    assert "Aucune commune ne correspond" in html.content.decode()
    # nothing typed nor chosen: said, not a 500 nor a silent redirect
    response = client.get(
        "/demographie/", {"commune": "", "territoire": "", "profession": "infirmier"}
    )
    assert response.status_code == 200
    assert "Saisissez une commune ou choisissez un territoire" in response.content.decode()
    # the field carries the suggestions hook (static/js/communes.js)
    assert "data-commune-autocomplete" in response.content.decode()


@pytest.mark.django_db
def test_territoire_inconnu(client, martinique):
    assert client.get("/demographie/region/99/").status_code == 404
    assert client.get("/demographie/departement/972/x/").status_code == 404


@pytest.mark.django_db
def test_export_csv(client, effectifs_martinique):
    response = client.get("/demographie/departement/972.csv")
    assert response["Content-Type"].startswith("text/csv")
    lignes = response.content.decode("utf-8-sig").splitlines()
    assert (
        lignes[0] == "annee;niveau;code_territoire;territoire;profession;indicateur;valeur;source"
    )
    assert (
        "2025;departement;972;Martinique (972);medecin-generaliste;effectif;40;DREES, RPPS (test)"
        in lignes
    )
    assert any(";densite;20.0;" in ligne for ligne in lignes)
    assert any(";evolution_5ans;-20.0;" in ligne for ligne in lignes)  # machine-readable


@pytest.mark.django_db
def test_signe_moins_typographique_sur_la_page(client, effectifs_martinique):
    """People read a minus sign (U+2212), not a hyphen; the CSV keeps the hyphen (above)."""
    page = client.get("/demographie/departement/972/").content.decode()
    assert "\u221220,0\u00a0%" in page or "\u221220,0 %" in page
    assert "-20,0" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/demographie/region/02/", "/demographie/departement/972/", "/demographie/france/FR/"]
)
def test_nombre_de_requetes(
    client, effectifs_martinique, deux_sevres, url, django_assert_max_num_queries
):
    EffectifFactory(departement=deux_sevres, effectif=60)
    EffectifFactory(departement=deux_sevres, effectif=5, profession="infirmier")
    synthese.recalculer()  # as every import does
    client.get(url)  # the site configuration is then cached by the process
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_page_commune_compare_a_la_france(client, communes_martinique):
    """A commune's figures are computed on the fly (not stored in the summary): they must
    compare with the stored figures of France (a Decimal minus a float failed there)."""
    response = client.get("/demographie/commune/97209/", {"profession": "medecin-generaliste"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fort-de-France" in html
    assert "137,5" in html  # 110 GPs for 80,000 inhabitants
    assert "Écart à la France" in html
    assert "Médecins généralistes au 1er janvier 2025" in html  # 110: plural
    for ligne in synthese.lignes_commune("97209"):
        assert all(type(getattr(ligne, c)) is int for c in ("lignes", "masques", "total"))
