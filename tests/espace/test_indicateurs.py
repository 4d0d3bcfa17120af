"""The dashboard's arithmetic on known data, and its CSV."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from espace import indicateurs
from espace.models import CompteurJournalier
from tests.aides.factories import AideFactory
from tests.espace.factories import AccompagnementFactory, QuestionFactory
from tests.rendezvous.factories import LieuFactory, RendezVousFactory

ANNEE = timezone.localdate().year


def _le(mois, jour, annee=ANNEE, heure=9):
    return datetime.datetime(annee, mois, jour, heure, tzinfo=datetime.UTC)


@pytest.fixture
def activite(territoires):
    commune = territoires["commune_a"]
    # Questions: answered after 2 h and 6 h (median 4 h), one unanswered; one last year.
    QuestionFactory(commune=commune, recue_le=_le(3, 1), premiere_reponse_le=_le(3, 1, heure=11))
    QuestionFactory(commune=commune, recue_le=_le(3, 2), premiere_reponse_le=_le(3, 2, heure=15))
    QuestionFactory(commune=commune, recue_le=_le(4, 5))
    QuestionFactory(
        commune=commune, recue_le=_le(6, 1, ANNEE - 1), premiere_reponse_le=_le(6, 1, ANNEE - 1, 19)
    )
    QuestionFactory(commune=territoires["commune_b"], recue_le=_le(3, 1))  # another region
    # Accompaniments: this year's cohort of 4 (1 installed after 40 days, 2 still in progress).
    a = datetime.date
    AccompagnementFactory(
        commune_cible=commune,
        premier_contact_le=a(ANNEE, 3, 1),
        etape="installe",
        installe_le=a(ANNEE, 4, 10),
    )
    AccompagnementFactory(commune_cible=commune, premier_contact_le=a(ANNEE, 5, 1), etape="projet")
    AccompagnementFactory(
        commune_cible=commune, premier_contact_le=a(ANNEE, 6, 1), profession="infirmier"
    )
    AccompagnementFactory(
        commune_cible=commune, premier_contact_le=a(ANNEE, 2, 1), etape="abandonne"
    )
    # Last year's cohort: one installed this year, 100 days after first contact.
    AccompagnementFactory(
        commune_cible=commune,
        premier_contact_le=a(ANNEE - 1, 12, 1),
        etape="installe",
        installe_le=a(ANNEE, 3, 11),
    )
    AccompagnementFactory(
        commune_cible=commune, premier_contact_le=a(ANNEE - 1, 7, 1), etape="parti"
    )
    # Meetings: one honoured, one missed, one cancelled.
    lieu = LieuFactory(departement=territoires["dep_a"])
    for jour, statut in [(10, "honore"), (11, "absent"), (12, "annule-usager")]:
        RendezVousFactory(lieu=lieu, debut=_le(2, jour), statut=statut)
    for _ in range(3):
        CompteurJournalier.incrementer(
            "simulation", departement=territoires["dep_a"], jour=a(ANNEE, 1, 5)
        )
    CompteurJournalier.incrementer(
        "aide-vue", departement=territoires["dep_a"], jour=a(ANNEE, 1, 5)
    )
    CompteurJournalier.incrementer("aide-vue", region=territoires["region_b"], jour=a(ANNEE, 1, 5))


def test_indicateurs_de_l_annee(activite, agent_a):
    perimetre = indicateurs.perimetres_possibles(agent_a)[0]
    annee = indicateurs.calculer(agent_a, perimetre, ANNEE)
    assert (annee.questions_recues, annee.questions_repondues) == (3, 2)
    assert annee.delai_median == datetime.timedelta(hours=4)
    assert annee.questions_par_mois[3] == 2 and annee.questions_par_mois[4] == 1
    assert (annee.rendezvous, annee.rendezvous_honores, annee.rendezvous_absents) == (2, 1, 1)
    assert (annee.accompagnes, annee.dont_installes, annee.dont_en_projet) == (4, 1, 2)
    assert annee.installations == 2
    assert annee.jours_median_installation == 70.0  # median of 40 and 100 days
    assert (annee.simulations, annee.aides_vues) == (3, 1)
    assert annee.par_profession == [
        ("Médecin généraliste", 3, 1),
        ("Infirmier ou infirmière", 1, 0),
    ]
    assert annee.par_territoire == [("Département A (A1D)", 4, 1)]
    precedente = indicateurs.calculer(agent_a, perimetre, ANNEE - 1)
    assert (precedente.questions_recues, precedente.delai_median_heures) == (1, 10.0)
    assert (precedente.accompagnes, precedente.dont_installes, precedente.dont_en_projet) == (
        2,
        1,
        0,
    )
    assert indicateurs.en_cours(agent_a, perimetre) == 2


def test_perimetre_departement_et_national(activite, territoires, agent_a, django_user_model):
    from tests.factories import UserFactory

    national = UserFactory(admin_national=True)
    choix = {p.cle: p for p in indicateurs.perimetres_possibles(national)}
    assert indicateurs.calculer(national, choix["tout"], ANNEE).questions_recues == 4
    assert indicateurs.calculer(national, choix["region-B1"], ANNEE).questions_recues == 1
    assert indicateurs.calculer(national, choix["region-B1"], ANNEE).aides_vues == 1
    dep = {p.cle: p for p in indicateurs.perimetres_possibles(agent_a)}["departement-A1D"]
    assert indicateurs.calculer(agent_a, dep, ANNEE).accompagnes == 4


def test_page_au_format_des_bilans(client, activite, agent_a):
    client.force_login(agent_a)
    page = client.get(reverse("espace:tableau_de_bord")).content.decode()
    assert "4 professionnels accompagnés, dont 1 installé et 2 en projet" in page
    assert "2 professionnels sont accompagnés" in page
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg" class="graphique" id="questions-par-mois"' in page
    )
    assert "<caption>Données : " in page  # each chart comes with its data table


def test_csv_du_tableau_de_bord(client, activite, agent_a):
    client.force_login(agent_a)
    reponse = client.get(reverse("espace:tableau_de_bord_csv"), {"annee": ANNEE})
    lignes = reponse.content.decode()[1:].strip().split("\r\n")
    assert lignes[0] == f"Indicateur (Tout mon périmètre);{ANNEE};{ANNEE - 1}"
    assert "Questions reçues;3;1" in lignes
    assert "Délai médian de réponse (heures);4.0;10.0" in lignes
    assert "Professionnels accompagnés (premier contact dans l'année);4;2" in lignes


def test_aides_a_reverifier(territoires, agent_a):
    vieille = datetime.date.today() - datetime.timedelta(days=400)
    a_jour = AideFactory(portee="region", verifie_le=datetime.date.today())
    ancienne = AideFactory(portee="region", verifie_le=vieille)
    autre_region = AideFactory(portee="region", verifie_le=vieille)
    nationale = AideFactory(verifie_le=vieille)
    for aide in (a_jour, ancienne):
        aide.regions.add(territoires["region_a"])
    autre_region.regions.add(territoires["region_b"])
    perimetre = indicateurs.perimetres_possibles(agent_a)[0]
    assert list(indicateurs.aides_a_reverifier(agent_a, perimetre)) == [ancienne]
    assert nationale.pk


def test_annee_invalide_sans_erreur(client, agent_a):
    client.force_login(agent_a)
    reponse = client.get(reverse("espace:tableau_de_bord"), {"annee": "abc", "perimetre": "x"})
    assert reponse.status_code == 200 and reponse.context["annee"] == ANNEE


ROLES = {
    "superutilisateur": {"superuser": True},
    "national": {"admin_national": True},
    "régional": {"agent_ars": True, "regions": ["region_a"]},
    "départemental": {"agent_ars": True, "departements": ["dep_a"]},
    "deux départements": {"agent_ars": True, "departements": ["dep_a", "dep_b"]},
    "référent": {"referent": True, "departements": ["dep_a"]},
}


@pytest.mark.parametrize("role", ROLES)
def test_chaque_perimetre_offert_montre_les_chiffres_de_son_nom(client, territoires, role):
    """Every role, every perimeter offered: the figures are those of the territory named."""
    from tests.factories import CommuneFactory, DepartementFactory, UserFactory

    region_a = territoires["region_a"]
    voisin = DepartementFactory(code="A2D", nom="Département voisin", region=region_a)
    for commune, nombre in [
        (territoires["commune_a"], 1),
        (CommuneFactory(departement=voisin), 2),
        (territoires["commune_b"], 4),
    ]:
        for _ in range(nombre):
            QuestionFactory(commune=commune, recue_le=_le(3, 1))
    options = {
        k: [territoires[t] for t in v] if isinstance(v, list) else v for k, v in ROLES[role].items()
    }
    user = UserFactory(**options)
    racine = UserFactory(superuser=True)
    reference = {p.cle: p for p in indicateurs.perimetres_possibles(racine)}
    choix = indicateurs.perimetres_possibles(user)
    for perimetre in choix[1:]:
        attendu = indicateurs.calculer(racine, reference[perimetre.cle], ANNEE)
        assert perimetre.libelle == reference[perimetre.cle].libelle
        assert (
            indicateurs.calculer(user, perimetre, ANNEE).questions_recues
            == attendu.questions_recues
        ), (role, perimetre.libelle)
    regions = {p.cle for p in choix if p.region is not None}
    if role in ("départemental", "deux départements", "référent"):
        assert not regions
        client.force_login(user)
        page = client.get(reverse("espace:tableau_de_bord"), {"perimetre": "region-A1"})
        assert 'value="region-' not in page.content.decode()
        assert "Région A" not in page.content.decode()


def test_le_tableau_de_bord_nomme_mois_et_professions(client, activite, agent_a):
    """The months chart's axis and table read "janv.", never "1"; the table of professions
    is headed "Profession", not "Territoire"."""
    import re

    client.force_login(agent_a)
    page = client.get(reverse("espace:tableau_de_bord"), {"annee": ANNEE}).content.decode()
    courbe = page.split('id="questions-par-mois"')[1].split("</svg>")[0]
    axe = re.findall(r'text-anchor="middle">([^<]+)</text>', courbe)
    assert axe and all(not a.strip().isdigit() for a in axe), axe
    assert "janv." in axe
    tableau = page.split('id="donnees-questions-par-mois"')[1].split("</table>")[0]
    assert '<th scope="row" class="texte">janv.</th>' in tableau
    professions = page.split('id="donnees-accompagnes-par-profession"')[1].split("</thead>")[0]
    assert ">Profession</th>" in professions and "Territoire" not in professions


# The dashboard's figures are kept in the process under the versions of what they are computed
# from (the "espace" version for the staff space's data and the accounts' scopes): every kind of
# write, ORM or not, is seen at the next display; a display without a write computes nothing.


def _affiche(client):
    return client.get(reverse("espace:tableau_de_bord"), {"annee": ANNEE}).context


def _ecrire_sql(sql, params):
    from django.db import connection

    with connection.cursor() as curseur:
        curseur.execute(sql, params)


ECRITURES = {
    "question (ORM)": (
        lambda t, agent: QuestionFactory(commune=t["commune_a"], recue_le=_le(3, 3)),
        lambda c: c["actuelle"].questions_recues,
    ),
    "question (SQL brut)": (
        lambda t, agent: _ecrire_sql(
            "UPDATE espace_question SET recue_le = %s WHERE recue_le = %s", [_le(3, 2), _le(4, 5)]
        ),
        lambda c: c["actuelle"].questions_par_mois[4],
    ),
    "accompagnement (update)": (
        lambda t, agent: (
            __import__("espace.models")
            .models.Accompagnement.objects.filter(etape="projet")
            .update(etape="installe", installe_le=datetime.date(ANNEE, 6, 1))
        ),
        lambda c: c["actuelle"].dont_installes,
    ),
    "compteur (cumul écrit)": (
        lambda t, agent: CompteurJournalier.incrementer(
            "simulation", departement=t["dep_a"], jour=datetime.date(ANNEE, 1, 5)
        ),
        lambda c: c["actuelle"].simulations,
    ),
    "rendez-vous": (
        lambda t, agent: RendezVousFactory(
            lieu=LieuFactory(departement=t["dep_a"]), debut=_le(2, 20), statut="honore"
        ),
        lambda c: c["actuelle"].rendezvous_honores,
    ),
    "périmètre du compte retiré": (
        lambda t, agent: agent.regions.remove(t["region_a"]),
        lambda c: c["actuelle"].questions_recues,
    ),
}


@pytest.mark.parametrize("ecriture", ECRITURES)
def test_le_tableau_garde_suit_chaque_ecriture(
    client, activite, territoires, agent_a, ecriture, django_assert_max_num_queries
):
    ecrire, lire = ECRITURES[ecriture]
    client.force_login(agent_a)
    avant = lire(_affiche(client))
    with django_assert_max_num_queries(6) as requetes:  # kept: no figure computed again
        assert lire(_affiche(client)) == avant
    assert not any("espace_question" in q["sql"] for q in requetes.captured_queries)
    ecrire(territoires, agent_a)
    assert lire(_affiche(client)) != avant


def test_une_ecriture_de_l_espace_ne_vide_pas_le_cache_des_pages(client, territoires):
    """The "espace" version is the staff space's: a question asked leaves the public pages'
    version, and so every kept page, as it was."""
    from guichet.versions import ESPACE, version_globale, versions

    globale, espace = version_globale(), versions(ESPACE)
    QuestionFactory(commune=territoires["commune_a"])
    CompteurJournalier.incrementer("simulation", departement=territoires["dep_a"])
    assert versions(ESPACE) != espace
    assert version_globale() == globale
