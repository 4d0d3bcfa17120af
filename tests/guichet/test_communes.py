import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.forms import CommuneField
from guichet.models import Commune


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("saisie", "attendu"),
    [
        ("st etienne", "Saint-Étienne"),
        ("Saint Etienne", "Saint-Étienne"),
        ("SAINT-ÉTIENNE", "Saint-Étienne"),
        ("ste foy les lyon", "Sainte-Foy-lès-Lyon"),
        ("fort de france", "Fort-de-France"),
        ("l'abergement clemenciat", "L'Abergement-Clémenciat"),
        ("42000", "Saint-Étienne"),
        ("79191", "Niort"),
        ("2A004", "Ajaccio"),
    ],
)
def test_recherche_ignore_casse_accents_tirets_et_saint(territoires_complets, saisie, attendu):
    assert Commune.objects.recherche(saisie)[0].nom == attendu


@pytest.mark.django_db
def test_recherche_par_prefixe_de_code_postal(territoires_complets):
    noms = [c.nom for c in Commune.objects.recherche("790")]
    assert "Niort" in noms
    assert all(c.departement_id == "79" for c in Commune.objects.recherche("790"))


@pytest.mark.django_db
def test_api_communes_json(client, territoires_complets, django_assert_max_num_queries):
    client.get(reverse("guichet:communes"), {"q": "niort"})  # the process's first page
    # Rendered: the content version (the page cache's key), the matching codes, their rows.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("guichet:communes"), {"q": "st etienne"})
    assert response.status_code == 200
    # Asked again: the kept answer, after the version alone.
    with django_assert_max_num_queries(1):
        encore = client.get(reverse("guichet:communes"), {"q": "st etienne"})
    assert encore.content == response.content
    premier = response.json()["resultats"][0]
    assert premier == {
        "code": "42218",
        "nom": "Saint-Étienne",
        "codes_postaux": ["42000", "42100", "42230"],
        "departement": {"code": "42", "nom": "Loire"},
        "libelle": "Saint-Étienne — Loire (42), 42000, 42100, 42230",
        "url": "/communes/42218/",
    }
    assert len(response.json()["resultats"]) <= 20


@pytest.mark.django_db
def test_api_communes_requete_vide(client):
    assert client.get(reverse("guichet:communes")).json() == {"resultats": []}


@pytest.mark.django_db
class TestChampCommuneSansJavascript:
    def test_nom_exact_unique(self, territoires_complets):
        assert CommuneField().clean("Niort").code == "79191"

    def test_libelle_de_la_suggestion(self, territoires_complets):
        assert CommuneField().clean("Saint-Étienne (42) 42218").code == "42218"

    def test_nom_ambigu_propose_les_choix(self, territoires_complets):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as erreur:
            CommuneField().clean("Saint-Denis")
        message = erreur.value.messages[0]
        assert "Plusieurs communes correspondent" in message
        assert "(93," in message and "(974," in message

    def test_nom_et_code_postal_leve_l_ambiguite(self, territoires_complets):
        assert CommuneField().clean("Saint-Denis 97400").departement_id == "974"

    def test_commune_inconnue(self, territoires_complets):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="Aucune commune ne correspond"):
            CommuneField().clean("Zzyzx")


@pytest.mark.django_db
def test_un_code_postal_n_est_jamais_confondu_avec_un_code_insee(client, territoires_complets):
    # 97232: Le Lamentin's postal code, and Le Vauclin's INSEE code.
    noms = [c.nom for c in Commune.objects.recherche("97232")]
    assert noms == ["Le Lamentin"]
    assert CommuneField().clean("97232").nom == "Le Lamentin"
    resultats = client.get(reverse("guichet:communes"), {"q": "97232"}).json()["resultats"]
    assert [r["nom"] for r in resultats] == ["Le Lamentin"]
    assert resultats[0]["libelle"] == "Le Lamentin — Martinique (972), 97232"
    vauclin = client.get(reverse("guichet:communes"), {"q": "vauclin"}).json()["resultats"][0]
    assert "97232" not in vauclin["libelle"] and vauclin["libelle"].endswith("97280")
    assert CommuneField().clean(vauclin["libelle"]).nom == "Le Vauclin"


@pytest.mark.django_db
def test_un_libelle_de_suggestion_designe_sa_commune_meme_si_le_code_postal_est_partage():
    """Melle and Saint-Romans-lès-Melle share 79500: the suggestion "Melle — …, 79500" (or
    "Melle 79500") is Melle, not an ambiguity."""
    from guichet.forms import CommuneField
    from tests.factories import CommuneFactory, DepartementFactory

    dep = DepartementFactory(code="79", nom="Deux-Sèvres")
    melle = CommuneFactory(code="79174", nom="Melle", departement=dep, codes_postaux=["79500"])
    CommuneFactory(
        code="79299", nom="Saint-Romans-lès-Melle", departement=dep, codes_postaux=["79500"]
    )
    assert CommuneField().clean("Melle — Deux-Sèvres (79), 79500") == melle
    assert CommuneField().clean("melle 79500") == melle
    with pytest.raises(Exception, match="Plusieurs communes"):
        CommuneField().clean("79500")


@pytest.mark.django_db
def test_un_code_seul_se_lit_en_une_requete(territoires_complets, django_assert_num_queries):
    """A bare code is read as a postal code first, then as an INSEE code: one query for both."""
    with django_assert_num_queries(1):
        assert CommuneField().clean("97232").nom == "Le Lamentin"  # postal code first
    with django_assert_num_queries(1):
        assert CommuneField().clean("79191").nom == "Niort"  # no such postal code: INSEE
    with django_assert_num_queries(1), pytest.raises(ValidationError, match="Bessines"):
        CommuneField().clean("79000")  # Niort's postal code, shared: the choices


@pytest.mark.django_db
def test_debuts_de_mots_d_abord_puis_l_interieur_des_mots(django_assert_num_queries):
    """Names whose words start with the words typed come first (whole name, beginning, a
    word), each group by population; a match inside a word only completes a short list."""
    from tests.factories import CommuneFactory

    CommuneFactory(nom="Saint-Ézorbanne", population=170000)  # inside a word
    CommuneFactory(nom="Zorbanne-sur-Loire", population=200)  # begins with it
    CommuneFactory(nom="Bois-Zorbanneville", population=900)  # a word begins with it
    CommuneFactory(nom="Zorbanne", population=50)  # the whole name
    with django_assert_num_queries(3):  # the index, the completion, the rows
        noms = [c.nom for c in Commune.objects.recherche("zorbanne", 10)]
    assert noms == ["Zorbanne", "Zorbanne-sur-Loire", "Bois-Zorbanneville", "Saint-Ézorbanne"]
    with django_assert_num_queries(2):  # enough beginnings: no scan of every name
        assert [c.nom for c in Commune.objects.recherche("ZORBANNE", 2)] == [
            "Zorbanne",
            "Zorbanne-sur-Loire",
        ]
    assert [c.nom for c in Commune.objects.recherche("bois zorb")] == ["Bois-Zorbanneville"]
    assert [c.nom for c in Commune.objects.recherche("ezorb")] == ["Saint-Ézorbanne"]
    assert list(Commune.objects.recherche("zzyzx")) == []
    assert list(Commune.objects.recherche("!!!")) == []  # no word: nothing to look up
