"""The demo that `make run` loads adds up (issue 28): for every département, year and
profession, its communes' headcounts add up to the département's (before masking; a masked
cell hides 1 or 2 professionals, never more), régions and France are the sums of their
départements, a commune's page and its département's map show the figures, and the three demo
bulletins are published and served.

The whole demo is loaded once for the module (about a minute: 440 000 rows and their summary).
"""

import re

import pytest
from django.db.models import Sum
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from demographie import demo, pdf, synthese
from demographie.models import (
    Bulletin,
    Effectif,
    IndicateurDispositif,
    Population,
    Source,
    Synthese,
)
from guichet.models import Commune, Departement, JeuDeDonnees

FELLETIN, CREUSE = "23079", "23"
# One worker runs the module: the demo's figures load once (pytest-xdist's loadgroup).
pytestmark = pytest.mark.xdist_group("demo_demographie")
GENERALISTE = "medecin-generaliste"


@pytest.fixture(scope="module")
def demo_chargee(territoires_complets, django_db_blocker):
    with django_db_blocker.unblock():
        avant = set(JeuDeDonnees.objects.values_list("pk", flat=True))
        demo.charger_effectifs(ecrire=lambda *_: None)
    yield
    with django_db_blocker.unblock():
        for modele in (Effectif, Source, Population, IndicateurDispositif):
            modele.objects.all().delete()
        # Only the data sets the demo recorded: the territories' stay (other tests read them).
        JeuDeDonnees.objects.exclude(pk__in=avant).delete()
        synthese.recalculer()


def _communes_generees(dep: str) -> dict[tuple[str, int], dict[str, int]]:
    """What the generator gives the communes of ``dep`` before masking."""
    population = Population.objects.get(
        annee=demo.ANNEE_BASE, niveau="departement", code_territoire=dep
    ).population
    communes = list(
        Commune.objects.filter(departement_id=dep)
        .order_by("code")
        .values_list("code", "population")
    )
    return demo.effectifs_communes(demo.totaux_departement(dep, population), communes)


def _totaux(**filtre) -> dict[tuple, int | None]:
    return {
        (s.code_territoire, s.annee, s.profession): s.total
        for s in Synthese.objects.filter(profession__gt="", **filtre)
    }


@given(
    total=st.integers(0, 5000),
    poids=st.lists(st.floats(0, 1e6, allow_subnormal=False), max_size=40),
)
def test_repartition_au_plus_fort_reste_tombe_juste(total, poids):
    parts = demo.repartir(total, {f"{i:05}": p for i, p in enumerate(poids)})
    if not poids:
        assert parts == {}
        return
    assert sum(parts.values()) == total
    somme = sum(poids) or None
    for i, p in enumerate(poids):
        exact = total * p / somme if somme else total / len(poids)
        assert exact - 1 < parts[f"{i:05}"] < exact + 1


@pytest.mark.django_db
def test_les_communes_somment_au_departement_pour_chaque_profession_et_annee(demo_chargee):
    departements = _totaux(niveau_territoire="departement", niveau="departement")
    communes = _totaux(niveau_territoire="departement", niveau="commune")
    avec_communes = {code for code, _, _ in communes}
    assert avec_communes == set(demo.DEPARTEMENTS_COMMUNES)
    # every département with data; the commune level is there for every year and profession,
    # or not at all (and the page says so: test_un_departement_sans_communes_le_dit)
    assert {code for code, _, _ in departements} == set(
        Departement.objects.values_list("code", flat=True)
    )
    for dep in avec_communes:
        cles = {(a, p) for d, a, p in departements if d == dep}
        assert {(a, p) for d, a, p in communes if d == dep} == cles
        generees = _communes_generees(dep)
        en_base = {
            (e["profession"], e["annee"], e["commune_id"]): e["effectif"]
            for e in Effectif.objects.filter(niveau="commune", departement_id=dep).values(
                "profession", "annee", "commune_id", "effectif"
            )
        }
        for (profession, annee), parts in generees.items():
            # before masking, the communes add up to the département exactly
            assert sum(parts.values()) == departements[(dep, annee, profession)], (dep, annee)
            for code, valeur in parts.items():
                attendu = None if valeur in demo.MASQUE else valeur
                assert en_base[(profession, annee, code)] == attendu, (dep, annee, code)
            # and what is published hides 1 or 2 per masked cell, no more
            ligne = Synthese.objects.get(
                niveau_territoire="departement",
                code_territoire=dep,
                annee=annee,
                niveau="commune",
                profession=profession,
            )
            cache = departements[(dep, annee, profession)] - (ligne.total or 0)
            assert ligne.masques <= cache <= 2 * ligne.masques, (dep, annee, profession)


@pytest.mark.django_db
def test_regions_et_france_sont_la_somme_de_leurs_departements(demo_chargee):
    departements = _totaux(niveau_territoire="departement", niveau="departement")
    regions = _totaux(niveau_territoire="region", niveau="departement")
    france = _totaux(niveau_territoire="france", niveau="departement")
    region_de = dict(Departement.objects.values_list("code", "region_id"))
    attendu_regions: dict[tuple, int] = {}
    for (dep, annee, profession), total in departements.items():
        cle = (region_de[dep], annee, profession)
        attendu_regions[cle] = attendu_regions.get(cle, 0) + total
    assert regions == attendu_regions
    attendu_france: dict[tuple, int] = {}
    for (_, annee, profession), total in regions.items():
        attendu_france[("FR", annee, profession)] = (
            attendu_france.get(("FR", annee, profession), 0) + total
        )
    assert france == attendu_france
    # the département's own rows are those totals
    creuse = Effectif.objects.filter(
        niveau="departement", departement_id=CREUSE, annee=2025, profession=GENERALISTE
    ).aggregate(n=Sum("effectif"))["n"]
    assert departements[(CREUSE, 2025, GENERALISTE)] == creuse > 0


def _chiffre_cle(html: str) -> str:
    return re.search(r'chiffre-cle__valeur">([^<]*)<', html).group(1)


@pytest.mark.django_db
def test_la_page_d_une_commune_montre_ses_professionnels(client, demo_chargee):
    generees = _communes_generees(CREUSE)
    felletin = generees[(GENERALISTE, 2025)][FELLETIN]
    assert felletin >= 3  # a bourg-centre of 1 600 inhabitants has its GPs in the demo
    url = reverse("demographie:territoire", args=["commune", FELLETIN])
    html = client.get(url, {"profession": GENERALISTE, "annee": 2025}).content.decode()
    assert _chiffre_cle(html) == str(felletin)
    # every commune shows its count, "masqué" for a masked cell, never 0 in its place
    masquee = next(
        code for code, n in sorted(generees[(GENERALISTE, 2025)].items()) if n in demo.MASQUE
    )
    url = reverse("demographie:territoire", args=["commune", masquee])
    html = client.get(url, {"profession": GENERALISTE, "annee": 2025}).content.decode()
    assert _chiffre_cle(html) == "masqué"


@pytest.mark.django_db
def test_la_carte_des_communes_de_la_creuse_a_des_valeurs(client, demo_chargee):
    url = reverse("demographie:territoire", args=["departement", CREUSE])
    html = client.get(url, {"profession": GENERALISTE, "annee": 2025}).content.decode()
    carte = html[html.index('id="carte-medecin-generaliste-departement-23"') :]
    carte = carte[: carte.index("</svg>")]
    classes = dict(re.findall(r"<title>([^<:]+) : (\d+) territoires?</title>", carte))
    valeurs = _communes_generees(CREUSE)[(GENERALISTE, 2025)]
    positives = {
        k: int(n)
        for k, n in classes.items()
        if k.strip() not in ("aucun professionnel", "inconnu ou masqué")
    }
    assert positives
    assert sum(positives.values()) == sum(n > 2 for n in valeurs.values())
    assert int(classes["inconnu ou masqué"]) == sum(n in demo.MASQUE for n in valeurs.values())
    assert int(classes["aucun professionnel"]) == sum(n == 0 for n in valeurs.values())


@pytest.mark.django_db
def test_un_departement_sans_communes_le_dit(client, demo_chargee):
    assert not Effectif.objects.filter(niveau="commune", departement_id="01").exists()
    url = reverse("demographie:territoire", args=["departement", "01"])
    html = client.get(url, {"profession": GENERALISTE}).content.decode()
    assert "ne sont pas publiés par commune" in html
    assert "Pas de carte pour une commune" not in html


@pytest.mark.django_db
def test_charger_demo_publie_les_trois_bulletins(client, demo_chargee, monkeypatch):
    rendus = []

    def rendre_pdf(rapport, *, bulletin=None):  # WeasyPrint takes 5 to 25 s a bulletin
        rendus.append((rapport.territoire.niveau, rapport.territoire.code, rapport.annee))
        return b"%PDF-1.7 " + rapport.territoire.nom.encode()

    monkeypatch.setattr(pdf, "rendre_pdf", rendre_pdf)
    demo.charger(ecrire=lambda *_: None)
    assert rendus == [(n, c, demo.ANNEES[-1]) for n, c in demo.BULLETINS]
    publies = Bulletin.objects.publies()
    assert {(b.niveau, b.code_territoire) for b in publies} == set(demo.BULLETINS)
    liste = client.get(reverse("demographie:bulletins")).content.decode()
    assert liste.count("données fictives de démonstration") == 3
    for bulletin in publies:
        assert f'href="{bulletin.get_absolute_url()}"' in liste
        reponse = client.get(bulletin.get_absolute_url())
        assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
        assert reponse.getvalue().startswith(b"%PDF-")
    assert liste.index("France —") < liste.index("Martinique —") < liste.index("Creuse (23) —")
    # each territory's page links its published bulletin (Martinique's from both its pages)
    urls = {b.get_absolute_url() for b in publies}
    for niveau, code in [*demo.BULLETINS, ("departement", "972")]:
        page = client.get(reverse("demographie:territoire", args=[niveau, code])).content.decode()
        liens = set(re.findall(r'href="(/demographie/bulletin/[^"]+\.pdf)"', page))
        assert liens and liens <= urls, (niveau, code, liens)
    # a second `make run` renders nothing
    demo.charger(ecrire=lambda *_: None)
    assert len(rendus) == 3
    # new fictitious figures: the editions made from the old ones are replaced
    monkeypatch.setattr(demo, "empreinte", lambda: "une autre version")
    demo.publier_bulletins(ecrire=lambda *_: None)
    assert len(rendus) == 6 and Bulletin.objects.publies().count() == 3
