"""The personal plan: start, tick, progress, PDF, and nobody else can see it."""

import datetime
import io
import time

import pytest
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from installation import services
from installation.forms import SuiviEtapeForm
from installation.models import Plan, SuiviEtape
from tests.aides.factories import AideFactory, OrganisationFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory
from tests.installation.factories import (
    ContactFactory,
    EtapeFactory,
    ParcoursFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def parcours_infirmier():
    na = RegionFactory(nouvelle_aquitaine=True)
    deux_sevres = DepartementFactory(code="79", nom="Deux-Sèvres", region=na)
    gers = DepartementFactory(code="32", nom="Gers", region=RegionFactory(occitanie=True))
    niort = CommuneFactory(
        code="79191", nom="Niort", departement=deux_sevres, codes_postaux=["79000"]
    )
    ordre = OrganisationFactory(code="ordre-infirmiers", nom="Ordre national des infirmiers")
    cpam = OrganisationFactory(code="assurance-maladie", nom="Assurance Maladie")
    parcours = ParcoursFactory(slug="infirmier-liberal", titre="Infirmier libéral")
    etapes = [
        EtapeFactory(
            parcours=parcours,
            phase="ordre",
            ordre=10,
            organisation=ordre,
            titre="S'inscrire au tableau de l'Ordre",
        ),
        EtapeFactory(
            parcours=parcours,
            phase="assurance-maladie",
            ordre=20,
            organisation=cpam,
            titre="Adhérer à la convention",
        ),
        EtapeFactory(
            parcours=parcours,
            phase="premiers-mois",
            ordre=30,
            organisation=cpam,
            titre="Faire le point après six mois",
        ),
        EtapeFactory(
            parcours=parcours,
            phase="premiers-mois",
            ordre=40,
            organisation=cpam,
            titre="Étape propre au Gers",
            departement=gers,
        ),
    ]
    ContactFactory(
        organisation=ordre,
        departement=deux_sevres,
        intitule="Conseil départemental de l'Ordre des infirmiers",
        telephone="05 36 49 05 79",
    )
    ContactFactory(organisation=ordre, departement=gers, intitule="Ordre du Gers")
    AideFactory(nom="Contrat d'aide à l'installation des infirmiers", professions=["infirmier"])
    AideFactory(nom="Aide réservée aux médecins", professions=["medecin-generaliste"])
    return parcours, etapes, niort


def test_commencer_cocher_et_progresser(client, parcours_infirmier):
    parcours, etapes, niort = parcours_infirmier
    user = UserFactory(situation="installe")
    client.force_login(user)
    reponse = client.post(
        reverse("installation:plan_commencer", args=["infirmier-liberal"]),
        {"commune": "Niort 79000"},
    )
    plan = Plan.objects.get(utilisateur=user)
    assert reponse.url == plan.get_absolute_url() and plan.commune == niort

    html = client.get(plan.get_absolute_url()).content.decode()
    assert "0 étape faite sur 3" in html  # the Gers step is not in a Niort plan
    assert "Étape propre au Gers" not in html
    assert "Conseil départemental de l&#x27;Ordre des infirmiers" in html
    assert "Ordre du Gers" not in html
    assert "Contrat d&#x27;aide à l&#x27;installation des infirmiers" in html
    assert "Aide réservée aux médecins" not in html

    url = reverse("installation:plan_etape", args=[plan.pk, etapes[0].pk])
    reponse = client.post(url, {"fait": "on", "date": "2026-12-01", "note": "Dossier envoyé"})
    assert reponse.url.endswith(f"#etape-{etapes[0].pk}")
    suivi = SuiviEtape.objects.get(plan=plan, etape=etapes[0])
    assert suivi.fait and str(suivi.date) == "2026-12-01" and suivi.note == "Dossier envoyé"
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "1 étape faite sur 3" in html and "(33 %)" in html and "Dossier envoyé" in html
    # Unticking and a bad date
    client.post(url, {"date": "pas-une-date"})
    assert SuiviEtape.objects.get(plan=plan, etape=etapes[0]).fait
    client.post(url, {})
    assert not SuiviEtape.objects.get(plan=plan, etape=etapes[0]).fait
    # The same parcours again: the plan moves, it is not duplicated
    services.plan_commencer(utilisateur=user, parcours=parcours, commune=niort)
    assert Plan.objects.filter(utilisateur=user).count() == 1
    assert client.get(reverse("installation:mon_plan")).url == plan.get_absolute_url()


def test_commune_ambigue_ou_inconnue_redemande(client, parcours_infirmier):
    client.force_login(UserFactory())
    reponse = client.post(
        reverse("installation:plan_commencer", args=["infirmier-liberal"]), {"commune": "Zzzz"}
    )
    assert reponse.status_code == 200
    assert "Aucune commune ne correspond" in reponse.content.decode()
    assert not Plan.objects.exists()


def test_plan_pdf_contient_etapes_statut_contacts_aides(client, parcours_infirmier):
    parcours, etapes, niort = parcours_infirmier
    user = UserFactory(situation="installe")
    plan = services.plan_commencer(utilisateur=user, parcours=parcours, commune=niort)
    services.etape_suivre(plan=plan, etape=etapes[1], fait=True, note="RDV pris à la CPAM")
    client.force_login(user)
    debut = time.perf_counter()
    reponse = client.get(reverse("installation:plan_pdf", args=[plan.pk]))
    duree = time.perf_counter() - debut
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"].startswith("attachment;")
    lecteur = PdfReader(io.BytesIO(reponse.content))
    texte = " ".join(" ".join(p.extract_text().split()) for p in lecteur.pages)
    assert "Mon plan d'installation" in texte
    assert "Infirmier libéral" in texte and "Niort" in texte
    assert "1 étape faite sur 3" in texte
    assert "Fait Adhérer à la convention" in texte
    assert "À faire S'inscrire au tableau de l'Ordre" in texte
    assert "RDV pris à la CPAM" in texte
    assert "05 36 49 05 79" in texte
    assert "Contrat d'aide à l'installation des infirmiers" in texte
    assert "Étape propre au Gers" not in texte
    assert lecteur.metadata.title.startswith("Mon plan d'installation")
    assert duree < 15


def test_personne_d_autre_ne_voit_ni_ne_modifie_le_plan(client, parcours_infirmier):
    parcours, etapes, niort = parcours_infirmier
    plan = PlanFactory(parcours=parcours, commune=niort)
    client.force_login(UserFactory())
    assert client.get(reverse("installation:plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("installation:plan_pdf", args=[plan.pk])).status_code == 404
    url = reverse("installation:plan_etape", args=[plan.pk, etapes[0].pk])
    assert client.post(url, {"fait": "on"}).status_code == 404
    assert not SuiviEtape.objects.exists()
    client.logout()
    assert client.get(reverse("installation:plan", args=[plan.pk])).status_code == 302


def test_etape_d_un_autre_parcours_refusee(client, parcours_infirmier):
    parcours, etapes, niort = parcours_infirmier
    plan = PlanFactory(parcours=parcours, commune=niort)
    client.force_login(plan.utilisateur)
    autre = EtapeFactory()
    url = reverse("installation:plan_etape", args=[plan.pk, autre.pk])
    assert client.post(url, {"fait": "on"}).status_code == 404
    with pytest.raises(ValueError):
        services.etape_suivre(plan=plan, etape=autre, fait=True)


def test_page_du_plan_en_requetes_bornees(
    client, parcours_infirmier, django_assert_max_num_queries
):
    parcours, etapes, niort = parcours_infirmier
    for i in range(5):
        EtapeFactory(parcours=parcours, ordre=100 + i)
    plan = PlanFactory(parcours=parcours, commune=niort)
    for etape in etapes[:3]:
        services.etape_suivre(plan=plan, etape=etape, fait=True)
    client.force_login(plan.utilisateur)
    with django_assert_max_num_queries(25):
        html = client.get(plan.get_absolute_url()).content.decode()
    assert "3 étapes faites sur 8" in html


def test_formulaire_d_etape_ecrit_a_la_main_reprend_le_suivi(client, parcours_infirmier):
    """Each step's form is written out in the template (faster than the form renderer): the
    fields keep SuiviEtapeForm's names and show the step's follow-up, escaped."""
    parcours, etapes, niort = parcours_infirmier
    plan = PlanFactory(parcours=parcours, commune=niort)
    services.etape_suivre(
        plan=plan,
        etape=etapes[0],
        fait=True,
        date=datetime.date(2026, 3, 2),
        note="Appeler <la> CPAM",
    )
    client.force_login(plan.utilisateur)
    html = client.get(plan.get_absolute_url()).content.decode()
    premiere, seconde = etapes[0].pk, etapes[1].pk
    assert f'name="fait" id="etape-{premiere}-fait" checked>' in html
    assert f'id="etape-{premiere}-date" value="2026-03-02">' in html
    assert f'id="etape-{premiere}-note">\nAppeler &lt;la&gt; CPAM</textarea>' in html
    assert f'name="fait" id="etape-{seconde}-fait">' in html
    assert f'id="etape-{seconde}-date">' in html
    for nom, champ in SuiviEtapeForm.base_fields.items():
        assert f'name="{nom}"' in html
        assert f">{escape(champ.label)}</label>" in html


def test_le_plan_suit_le_contenu_garde_et_echappe_les_titres(client, parcours_infirmier):
    """The parcours' steps, contacts and aids a plan shows are kept in the process under the
    content versions: an edit of any kind (here queryset updates, no signal) is on the next
    display; a step's title is text, never markup; each form posts to its own step."""
    from aides.models import Aide
    from installation.models import Contact, Etape

    parcours, etapes, niort = parcours_infirmier
    plan = PlanFactory(parcours=parcours, commune=niort)
    client.force_login(plan.utilisateur)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "S&#x27;inscrire au tableau de l&#x27;Ordre" in html
    Etape.objects.filter(pk=etapes[0].pk).update(titre="S'inscrire <script>alert(1)</script>")
    Contact.objects.filter(telephone="05 36 49 05 79").update(intitule="Ordre, antenne de Niort")
    Aide.objects.filter(nom__startswith="Contrat d'aide").update(nom="Aide renommée <b>")
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "S&#x27;inscrire &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "Ordre, antenne de Niort" in html
    assert "Aide renommée &lt;b&gt;" in html and "installation des infirmiers" not in html
    for etape in etapes[:3]:
        action = reverse("installation:plan_etape", args=[plan.pk, etape.pk])
        assert f'action="{action}"' in html
        lien = f"{etape.get_absolute_url()}?departement=79"
        assert f'href="{lien}"' in html
