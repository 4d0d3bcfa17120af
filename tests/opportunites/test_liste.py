"""The public list (filters, radius, distance order, constant queries), the detail page and the
commune page's section."""

import datetime

import pytest
from django.urls import reverse

from opportunites.models import Statut
from tests import factories as f
from tests.aides.factories import ZonageFactory
from tests.opportunites.factories import OpportuniteFactory
from tests.rendezvous.factories import ReferentFactory

pytestmark = pytest.mark.django_db
LISTE = reverse("opportunites:liste")


@pytest.fixture
def lieux():
    na = f.RegionFactory(nouvelle_aquitaine=True)
    creuse = f.DepartementFactory(code="23", nom="Creuse", region=na)
    deux_sevres = f.DepartementFactory(code="79", nom="Deux-Sèvres", region=na)

    def commune(code, nom, dep, cp, lat, lon):
        return f.CommuneFactory(
            code=code, nom=nom, departement=dep, codes_postaux=[cp], latitude=lat, longitude=lon
        )

    return {
        "aubusson": commune("23008", "Aubusson", creuse, "23200", 45.95075, 2.16679),
        "felletin": commune("23079", "Felletin", creuse, "23500", 45.89089, 2.18224),
        "gueret": commune("23096", "Guéret", creuse, "23000", 46.17130, 1.87160),
        "niort": commune("79191", "Niort", deux_sevres, "79000", 46.32849, -0.46474),
    }


@pytest.fixture
def annonces(lieux):
    return {
        "cabinet": OpportuniteFactory(
            publiee=True,
            commune=lieux["felletin"],
            titre="Cabinet de médecine générale",
            description="Patientèle fidèle, maison de santé voisine.",
        ),
        "remplacement": OpportuniteFactory(
            publiee=True,
            commune=lieux["aubusson"],
            nature="remplacement",
            titre="Remplacement d'été",
            professions=["infirmier"],
            debut=datetime.date(2027, 7, 1),
            fin=datetime.date(2027, 8, 31),
        ),
        "gueret": OpportuniteFactory(
            publiee=True, commune=lieux["gueret"], titre="Poste à Guéret", nature="poste-salarie"
        ),
        "niort": OpportuniteFactory(
            publiee=True,
            commune=lieux["niort"],
            nature="remplacement",
            titre="Remplacement à Niort",
            debut=datetime.date(2027, 7, 14),
            fin=datetime.date(2027, 8, 15),
        ),
        "brouillon": OpportuniteFactory(commune=lieux["felletin"], titre="Brouillon caché"),
        "soumise": OpportuniteFactory(soumise=True, commune=lieux["felletin"], titre="Pas encore"),
    }


def _titres(reponse):
    return [o.titre for o in reponse.context["page_obj"]]


def test_seules_les_annonces_publiees(client, annonces):
    titres = _titres(client.get(LISTE))
    assert set(titres) == {
        "Cabinet de médecine générale",
        "Remplacement d'été",
        "Poste à Guéret",
        "Remplacement à Niort",
    }


def test_autour_d_une_commune_triees_par_distance(client, annonces):
    reponse = client.get(LISTE, {"commune": "23008", "rayon": "30"})
    # Aubusson itself, Felletin 6.8 km; Guéret (about 34 km) and Niort are out
    assert _titres(reponse) == ["Remplacement d'été", "Cabinet de médecine générale"]
    distances = [o.distance_km for o in reponse.context["page_obj"]]
    assert distances[0] == pytest.approx(0, abs=1e-6) and 6 < distances[1] < 8
    assert "à 30 km au plus d&#x27;Aubusson" in reponse.content.decode()
    plus_loin = _titres(client.get(LISTE, {"commune": "23008", "rayon": "50"}))
    assert plus_loin == ["Remplacement d'été", "Cabinet de médecine générale", "Poste à Guéret"]


def test_commune_tapee_par_nom_ou_code_postal(client, annonces):
    assert _titres(client.get(LISTE, {"commune_saisie": "Felletin", "rayon": "10"}))[0] == (
        "Cabinet de médecine générale"
    )
    assert "Remplacement à Niort" in _titres(
        client.get(LISTE, {"commune_saisie": "79000", "rayon": "10"})
    )


def test_filtres_profession_type_departement_texte_dates(client, annonces):
    assert _titres(client.get(LISTE, {"profession": "infirmier"})) == ["Remplacement d'été"]
    assert set(_titres(client.get(LISTE, {"nature": "remplacement"}))) == {
        "Remplacement d'été",
        "Remplacement à Niort",
    }
    assert _titres(client.get(LISTE, {"departement": "79"})) == ["Remplacement à Niort"]
    assert _titres(client.get(LISTE, {"q": "patientele maisons"})) == [
        "Cabinet de médecine générale"
    ]
    # available between 20 and 31 August: the Aubusson replacement and the open-ended posts
    aout = set(_titres(client.get(LISTE, {"du": "2027-08-20", "au": "2027-08-31"})))
    assert "Remplacement à Niort" not in aout and "Remplacement d'été" in aout
    juin = set(_titres(client.get(LISTE, {"nature": "remplacement", "au": "2027-06-30"})))
    assert juin == set()


@pytest.mark.parametrize(
    "parametres",
    [
        {"commune": "%00"},
        {"commune": "97999"},
        {"rayon": "9999"},
        {"du": "2027-02-30"},
        {"du": "2027-08-31", "au": "2027-08-01"},
        {"commune_saisie": "Nullepart"},
        {"profession": "x"},
        {"page": "999999"},
    ],
)
def test_parametres_invalides_jamais_d_erreur(client, annonces, parametres):
    assert client.get(LISTE, parametres).status_code == 200


def test_requetes_constantes(client, lieux, django_assert_max_num_queries):
    def compter(n):
        for i in range(n):
            OpportuniteFactory(
                publiee=True,
                commune=lieux["felletin" if i % 2 else "aubusson"],
                professions=["medecin-generaliste", "infirmier"],
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as requetes:
            reponse = client.get(
                LISTE,
                {"commune": "23008", "rayon": "30", "q": "cabinet", "profession": "infirmier"},
            )
        assert reponse.status_code == 200
        return len(requetes)

    client.get(LISTE)  # process-wide memos (départements, DSFR settings) filled once
    peu, beaucoup = compter(2), compter(18)
    assert peu == beaucoup <= 10
    with django_assert_max_num_queries(10):
        client.get(LISTE)


def test_fiche_zonage_de_ses_professions_et_referent(client, lieux, annonces):
    ZonageFactory(commune=lieux["felletin"], profession="medecin-generaliste", niveau="zip")
    ZonageFactory(commune=lieux["felletin"], profession="infirmier", niveau="tres-sous-dotee")
    ReferentFactory(
        departements=[lieux["felletin"].departement],
        utilisateur__first_name="Camille",
        utilisateur__last_name="Creuse",
    )
    html = client.get(annonces["cabinet"].get_absolute_url()).content.decode()
    zonage = html[html.index('id="zonage-annonce"') :]
    zonage = zonage[: zonage.index("</ul>")]
    assert "Médecin généraliste" in zonage and "Infirmier" not in zonage  # its professions only
    assert "Camille" in html
    assert "Patientèle fidèle" in html


def test_fiche_zonage_inconnu_reste_inconnu(client, annonces):
    html = client.get(annonces["cabinet"].get_absolute_url()).content.decode()
    assert "zonage inconnu, à vérifier" in html


@pytest.mark.parametrize("cle", ["brouillon", "soumise"])
def test_une_annonce_non_publiee_est_introuvable(client, annonces, cle):
    assert client.get(annonces[cle].get_absolute_url()).status_code == 404
    client.force_login(
        f.UserFactory(agent_ars=True, departements=[annonces[cle].commune.departement])
    )
    assert client.get(annonces[cle].get_absolute_url()).status_code == 200


def test_page_de_la_commune_opportunites_pres_de(client, annonces):
    html = client.get(reverse("guichet:commune", args=["23008"])).content.decode()
    section = html[html.index("Opportunités près d&#x27;Aubusson") :]
    assert section.index("Remplacement d&#x27;été") < section.index("Cabinet de médecine générale")
    assert "Remplacement à Niort" not in section and "Brouillon caché" not in section
    assert "commune=23008" in section


def test_une_annonce_pourvue_quitte_la_liste(client, annonces):
    cabinet = annonces["cabinet"]
    cabinet.marquer_pourvue()
    cabinet.save()
    assert "Cabinet de médecine générale" not in _titres(client.get(LISTE))
    assert cabinet.statut == Statut.POURVUE


def test_un_lien_par_code_insee_affiche_la_commune_dans_le_formulaire(client, annonces):
    reponse = client.get(LISTE, {"commune": "23008", "rayon": "30"})
    html = reponse.content.decode()
    assert '<input type="hidden" name="commune" value="23008">' in html
    assert 'value="Aubusson — Creuse (23), 23200"' in html
    # resubmitting the form as shown finds the same commune
    autre = client.get(
        LISTE,
        {"commune": "23008", "commune_saisie": "Aubusson — Creuse (23), 23200", "rayon": "30"},
    )
    assert autre.context["centre"].code == "23008"
