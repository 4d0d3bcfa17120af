"""The real catalogue and parcours, checked against the December 2026 fact-check.

Every aid carries a source, a legal basis and a verification date; a closed aid is never
listed as open; an aid about to end says so; no page shows an aid's slug in prose, and
every Markdown list renders as a list.
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from aides import services
from aides.models import Aide
from installation.models import Etape, Parcours
from tests.aides.factories import AideFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(territoires_complets):
    services.catalogue_charger(force=True)
    return {a.slug: a for a in Aide.objects.all()}


def test_chaque_aide_a_source_base_legale_et_date(catalogue):
    for aide in catalogue.values():
        assert aide.source_url.startswith("https://"), aide.slug
        assert aide.base_legale.strip(), aide.slug
        assert aide.verifie_le >= datetime.date(2026, 11, 1), aide.slug


def test_corrections_de_la_verification(catalogue):
    cde = catalogue["cde"]
    assert not cde.est_close and cde.valide_au is None
    assert "remplacant" in cde.situations and "installe" not in cde.situations
    assert "article 38" in cde.base_legale and "2023" in cde.base_legale
    assert catalogue["aide-primo-installation-zip"].zonage_requis == ["zip"]
    assert catalogue["aide-primo-installation-zac"].zonage_requis == ["zac"]
    assert "déclaration préalable" in catalogue["aide-cabinet-secondaire-zip"].contact
    assert "autorisation" not in catalogue["aide-cabinet-secondaire-zip"].contact
    assert "28 000 €" in catalogue["contrats-installation-sages-femmes"].remarques_montant
    assert "3 000 € par an" in catalogue["contrats-installation-sages-femmes"].remarques_montant
    assert "Île-de-France" in catalogue["aide-demarrage-msp"].remarques_montant
    dentiste = catalogue["contrat-installation-chirurgiens-dentistes"]
    assert dentiste.valide_du == datetime.date(2025, 1, 1)
    assert "rétroactive" not in dentiste.remarques_montant
    cesp = catalogue["cesp"]
    assert "2025-270" not in cesp.base_legale + cesp.description
    assert "2026-4 " not in cesp.description
    installation = catalogue["contrats-installation-orthophonistes"]
    maintien = catalogue["contrat-maintien-orthophonistes"]
    assert installation.professions == ["orthophoniste"] == maintien.professions
    assert installation.montant == 30000 and maintien.montant == 1500 and maintien.unite == "an"


def test_parcours_corriges(catalogue):
    call_command("import_parcours", verbosity=0)
    textes = {(e.parcours.slug, e.slug): e.description for e in Etape.objects.all()}
    for (parcours, slug), texte in textes.items():
        assert "OPTAM-CO " not in texte, (parcours, slug)
        # the 10 000 € aid is for ZIP only: QPV gets the FMT majoration, not the aid
        assert not re.search(r"quartier prioritaire[^:.]*: aide ponctuelle", texte), slug
        assert "enregistrés (cone beam)" not in texte, (parcours, slug)
    radioprotection = [t for (p, s), t in textes.items() if s == "radioprotection-hygiene"]
    assert radioprotection and all("régime de déclaration" in t for t in radioprotection)
    assert any("section E" in t for (p, s), t in textes.items() if s == "inscription-section-a")
    assert any("5 000 €" in t for (p, s), t in textes.items() if s == "etudier-territoire-zonage")


def test_corrections_de_la_seconde_verification(catalogue, client):
    """fact-check-2026-12b: two wrong claims, one outdated legal basis, four unsourced ones."""
    # 1. orthophonists: 7 500 € then 7 500 € (not 1 500 €), from the ARS portal, with the
    # 5 000 € average fees condition
    ortho = catalogue["contrats-installation-orthophonistes"]
    assert "7 500 € à la signature, 7 500 € avant le 30 avril" in ortho.versement
    assert "(19 500 €)" in ortho.versement and "selon la source" not in ortho.versement
    assert ortho.source_url == (
        "https://bourgogne-franche-comte.paps.sante.fr/index.php/les-aides-linstallation-13"
    )
    assert "plus de 5 000 €" in ortho.description and "plus de 5 000 €" in ortho.engagement
    # 6. CESP: a read page instead of asp.gouv.fr, the CNG's payment from a JO text
    cesp = catalogue["cesp"]
    assert "asp.gouv.fr" not in cesp.source_url and ".paps.sante.fr/" in cesp.source_url
    assert "arrêté du 29 octobre 2013" in cesp.base_legale
    assert "Centre national de gestion" in cesp.base_legale
    # 7. contrat local de santé: the CSP article, "généralement 5 ans", on the Élus page too
    cls = catalogue["contrat-local-de-sante"]
    assert "L. 1434-10" in cls.base_legale
    assert "généralement" in cls.resume and "Contrat de 5 ans" not in cls.resume
    assert "généralement" in cls.engagement
    elus = client.get(reverse("guichet:elus_collectivites")).content.decode()
    assert "programme d'actions, généralement sur 5 ans" in elus
    assert "programme d'actions sur 5 ans" not in elus


def test_parcours_centre_de_sante_et_mineurs_de_la_seconde_verification(catalogue):
    call_command("import_parcours", verbosity=0)
    centre = Parcours.objects.get(slug="creer-centre-sante")
    etapes = {e.slug: e for e in centre.etapes.all()}
    # 2. the agrément ended with HPST (2009), not in 2018; 2023-378 brought it back
    intro = centre.introduction
    assert "supprimé par la loi HPST de 2009" in intro
    assert "ordonnance n° 2018-17" in intro and "loi n° 2023-378 du 19 mai 2023" in intro
    assert "ne dépend plus d'un agrément" not in intro
    # 3. L. 6323-1-3 as amended in 2022 and 2023
    gestionnaire = etapes["choisir-gestionnaire"].description
    assert "loi n° 2022-217 du 21 février 2022 (art. 128)" in gestionnaire
    assert "loi n° 2023-378" in gestionnaire
    assert "dans sa rédaction issue de l'ordonnance" not in gestionnaire
    # 4. the 2025 accord from the Assurance Maladie, not a private insurer's page
    accord = etapes["adherer-accord-national"].description
    assert "lamedicale" not in accord and "communiqué de presse de l'Assurance Maladie" in accord
    assert "JORFTEXT000031249985" in accord  # the 2015 text, as history
    # 5. the DGOS instruction could not be found: it is gone
    assert "instruction" not in etapes["budget-centre-sante"].description
    # 8. minor points
    titres = Etape.objects.filter(slug="inscription-section-a").values_list("titre", flat=True)
    assert titres and all("section E outre-mer" in t for t in titres)
    msp = Parcours.objects.get(slug="creer-maison-sante-pluriprofessionnelle")
    assert "en général un à deux ans" not in msp.introduction
    assert "souvent un à deux ans" in msp.introduction


def test_une_aide_close_n_est_jamais_listee_ouverte(client):
    hier = datetime.date.today() - datetime.timedelta(days=1)
    close = AideFactory(nom="Contrat fini hier", valide_au=hier)
    ouverte = AideFactory(nom="Contrat en cours")
    html = client.get(reverse("aides:liste")).content.decode()
    assert ouverte.nom in html and close.nom not in html
    assert close.nom in client.get(reverse("aides:liste") + "?ouvertes=0").content.decode()
    assert f"Dispositif clos le {hier.day}" in client.get(close.get_absolute_url()).content.decode()
    assert close not in Aide.objects.ouvertes()


def test_une_aide_qui_se_termine_le_dit(client):
    fin = datetime.date.today() + datetime.timedelta(days=20)
    aide = AideFactory(nom="Contrat bientôt fini", valide_au=fin)
    loin = AideFactory(nom="Contrat durable", valide_au=fin + datetime.timedelta(days=400))
    assert aide.bientot_close and not loin.bientot_close
    assert "Se termine le" in client.get(aide.get_absolute_url()).content.decode()
    assert "Se termine le" not in client.get(loin.get_absolute_url()).content.decode()
    liste = client.get(reverse("aides:liste")).content.decode()
    assert liste.count("Se termine le") == 1


def _sans_liens(html: str) -> str:
    html = re.sub(r"<a\b[^>]*>.*?</a>", " ", html, flags=re.S)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _verifier_page(html: str, slugs: list[str], ou: str):
    main = html[html.index('id="content"') : html.index('id="footer"')]
    texte = _sans_liens(main)
    for slug in slugs:
        assert not re.search(rf"(?<![\w/-]){re.escape(slug)}(?![\w-])", texte), (ou, slug)
    assert "[[" not in texte, ou
    # A Markdown bullet left in a paragraph starts a line with "- " or "1. ".
    for ligne in main.splitlines():
        assert not re.match(r"\s*(?:- |\d+\. )\S", ligne), (ou, ligne)


def test_aucun_slug_en_clair_et_listes_rendues_sur_chaque_aide_et_etape(client, catalogue):
    call_command("import_parcours", verbosity=0)
    slugs = list(catalogue)
    for aide in Aide.objects.publiees():
        html = client.get(aide.get_absolute_url()).content.decode()
        _verifier_page(html, slugs, aide.slug)
        if "[[" in aide.cumul:
            assert '<a href="/aides/' in html[html.index("Cumul avec") :], aide.slug
    for etape in Etape.objects.select_related("parcours"):
        html = client.get(etape.get_absolute_url()).content.decode()
        _verifier_page(html, slugs, f"{etape.parcours.slug}/{etape.slug}")


def test_un_renvoi_vers_une_aide_inconnue_est_refuse(tmp_path, territoires_complets):
    texte = services.CATALOGUE.read_text(encoding="utf-8")
    fichier = tmp_path / "aides.yaml"
    fichier.write_text(texte.replace("[[cesp]]", "[[aide-qui-n-existe-pas]]", 1))
    with pytest.raises(services.ErreurImport) as erreur:
        services.catalogue_charger(fichier=fichier, force=True)
    assert "aide-qui-n-existe-pas" in str(erreur.value)


def test_renvoi_rendu_avec_le_nom_de_l_aide(client):
    cible = AideFactory(nom="Aide cible", slug="aide-cible")
    brouillon = AideFactory(nom="Aide en préparation", slug="aide-brouillon", brouillon=True)
    aide = AideFactory(
        cumul="Non cumulable avec [[aide-cible]] ni [[aide-brouillon]].",
        description="**Conditions** :\n- une ;\n- deux.",
    )
    html = client.get(aide.get_absolute_url()).content.decode()
    assert f'<a href="{cible.get_absolute_url()}">Aide cible</a>' in html
    assert "ni Aide en préparation." in html and brouillon.get_absolute_url() not in html
    assert "<li>une ;</li>" in html


@pytest.mark.parametrize("situation", ["interne", "etudiant"])
def test_le_cde_d_un_interne_est_dit_sous_condition_et_hors_total(client, catalogue, situation):
    """The CDE is for replacing doctors and for students with a licence de remplacement
    (fixtures/aides.yaml): an intern's or a student's result lists it, says the condition,
    and leaves its 12 000 € out of the total; a replacing doctor's total counts it."""
    from aides.eligibilite import projet_pour, simuler
    from guichet.models import Commune
    from tests.aides.factories import ZonageFactory

    commune = Commune.objects.get(pk="97213")  # Le Lamentin
    ZonageFactory(commune=commune, profession="medecin-generaliste", niveau="zip")
    assert catalogue["cde"].licence_remplacement and catalogue["mcs"].licence_remplacement

    def simulation(situation):
        projet = projet_pour(
            profession="medecin-generaliste",
            situation=situation,
            commune=commune,
            exercice="seul",
            secteur="secteur-1",
        )
        return simuler(projet)

    etudiant, remplacant = simulation(situation), simulation("remplacant")
    cde = next(r for r in etudiant.eligibles if r.aide.slug == "cde")
    assert cde.hors_total and "licence de remplacement" in " ".join(cde.a_verifier)
    # The MCS (SAMU) is open to interns with a licence de remplacement too: said as well.
    attendues = ["cde", "mcs"] if situation == "interne" else ["cde"]
    assert sorted(a.slug for a in etudiant.hors_total) == attendues
    assert "Sous condition d'une licence de remplacement" in etudiant.phrase()
    assert "CDE" in etudiant.phrase()
    assert not next(r for r in remplacant.eligibles if r.aide.slug == "cde").hors_total
    sans_cde = sum(
        (r.aide.total_potentiel() or 0) for r in etudiant.eligibles if r.aide.slug != "cde"
    )
    assert etudiant.total == sans_cde
    # The result page says it too.
    html = client.get(
        reverse("aides:simulateur"),
        {
            "profession": "medecin-generaliste",
            "situation": situation,
            "commune": "97213",
            "exercice": "seul",
            "secteur": "secteur-1",
            "premiere": "oui",
            "aide_recente": "non",
        },
    ).content.decode()
    assert "dans le total : CDE" in html
    assert "seulement s&#x27;ils ont une licence de remplacement" in html
