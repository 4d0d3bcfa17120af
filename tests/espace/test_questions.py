import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from espace import services
from espace.models import MessageQuestion, Question
from tests.espace.factories import QuestionFactory
from tests.factories import UserFactory, code_totp

FORMULAIRE = {
    "profession": "medecin-generaliste",
    "situation": "interne",
    "sujet": "Aides en zone prioritaire",
    "message": "Bonjour, quelles aides pour m'installer ?",
    "courriel": "Interne@Exemple.fr",
}


def _poser(client, commune, REMOTE_ADDR="127.0.0.1", **autres):
    donnees = {**FORMULAIRE, "commune": getattr(commune, "code", commune), **autres}
    return client.post(reverse("question:poser"), donnees, REMOTE_ADDR=REMOTE_ADDR)


def test_question_routee_au_referent_du_departement(
    client, territoires, referent_a, referent_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = _poser(client, territoires["commune_a"])
    assert reponse.status_code == 302
    question = Question.objects.get()
    assert question.referent == referent_a
    assert question.departement == territoires["dep_a"]
    assert question.region == territoires["region_a"]
    assert question.courriel == "interne@exemple.fr"
    assert question.messages.count() == 1
    # The acknowledgement: subject, text and HTML.
    (accuse,) = mail.outbox
    assert accuse.to == ["interne@exemple.fr"]
    assert "Votre question a bien été reçue" in accuse.subject
    assert "Département A" in accuse.body
    assert accuse.alternatives[0].mimetype == "text/html"
    page = client.get(reponse["Location"]).content.decode()
    assert "Votre question est envoyée" in page


def test_sans_referent_du_departement_celui_de_la_region(client, territoires):
    regional = UserFactory(referent=True, regions=[territoires["region_a"]])
    UserFactory(agent_ars=True, departements=[territoires["dep_a"]])  # not a referent
    _poser(client, territoires["commune_a"])
    assert Question.objects.get().referent == regional


def test_sans_referent_la_question_attend_l_equipe(client, territoires, referent_b):
    _poser(client, territoires["commune_a"])
    assert Question.objects.get().referent is None


def test_le_moins_charge_des_referents(client, territoires, referent_a):
    autre = UserFactory(referent=True, departements=[territoires["dep_a"]])
    QuestionFactory(commune=territoires["commune_a"], referent=referent_a)
    _poser(client, territoires["commune_a"])
    assert Question.objects.latest("recue_le").referent == autre


def test_formulaire_invalide_rien_n_est_cree(client, territoires):
    reponse = _poser(client, "zzz", courriel="pas-une-adresse")
    assert reponse.status_code == 200
    assert "Aucune commune ne correspond" in reponse.content.decode()
    assert not Question.objects.exists() and not mail.outbox


def test_limite_par_courriel(client, territoires, settings):
    settings.QUESTION_LIMITE_COURRIEL = "2/h"
    for _ in range(2):
        assert _poser(client, territoires["commune_a"]).status_code == 302
    reponse = _poser(client, territoires["commune_a"], courriel="INTERNE@exemple.fr ")
    assert reponse.status_code == 429
    assert Question.objects.count() == 2


def test_les_questions_d_un_tiers_ne_bloquent_pas_le_titulaire(client, territoires, settings):
    """The per-e-mail rate is kept per (address, e-mail): anyone can type anyone's e-mail."""
    settings.QUESTION_LIMITE_COURRIEL = "2/h"
    for _ in range(3):
        reponse = _poser(client, territoires["commune_a"], REMOTE_ADDR="203.0.113.66")
    assert reponse.status_code == 429
    reponse = _poser(client, territoires["commune_a"], REMOTE_ADDR="198.51.100.20")
    assert reponse.status_code == 302
    assert Question.objects.count() == 3


def test_limite_par_adresse(client, territoires, settings):
    settings.QUESTION_LIMITE_ADRESSE = "1/h"
    assert _poser(client, territoires["commune_a"]).status_code == 302
    assert _poser(client, territoires["commune_a"], courriel="autre@exemple.fr").status_code == 429


def test_formulaire_mentionne_finalite_et_conservation(client, settings, db):
    settings.RGPD_CONSERVATION = {**settings.RGPD_CONSERVATION, "questions_mois": 18}
    page = client.get(reverse("question:poser"), {"sujet": "CESP"}).content.decode()
    assert "conservées 18 mois" in page and 'value="CESP"' in page


def test_echeance_en_jours_ouvres(settings):
    settings.QUESTION_DELAI_JOURS_OUVRES = 5
    vendredi = datetime.datetime(2026, 12, 4, 10, tzinfo=datetime.UTC)
    assert services.echeance_pour(vendredi) == datetime.date(2026, 12, 11)


def test_repondre_depuis_la_boite(client, territoires, referent_a):
    question = QuestionFactory(commune=territoires["commune_a"])
    client.force_login(referent_a)
    boite = client.get(reverse("espace:boite")).content.decode()
    assert question.sujet in boite
    reponse = client.post(
        reverse("espace:question", args=[question.pk]), {"texte": "Voici les aides possibles."}
    )
    assert reponse.status_code == 302
    question.refresh_from_db()
    assert question.statut == Question.Statut.REPONDUE
    assert question.referent == referent_a  # unassigned: whoever answers takes it
    assert question.premiere_reponse_le is not None
    (envoi,) = mail.outbox
    assert envoi.to == [question.courriel] and "Voici les aides possibles." in envoi.body
    fil = list(MessageQuestion.objects.filter(question=question))
    assert [m.auteur for m in fil] == [None, referent_a]
    page = client.get(reverse("espace:question", args=[question.pk])).content.decode()
    assert "Voici les aides possibles." in page


def test_une_deuxieme_reponse_garde_la_date_de_la_premiere(territoires, referent_a):
    question = QuestionFactory(commune=territoires["commune_a"])
    services.question_repondre(question=question, auteur=referent_a, texte="Un")
    premiere = Question.objects.get().premiere_reponse_le
    services.question_repondre(question=question, auteur=referent_a, texte="Deux", clore=True)
    question.refresh_from_db()
    assert question.premiere_reponse_le == premiere
    assert question.statut == Question.Statut.CLOSE and question.messages.count() == 3


def test_transitions_verifient_l_etat(territoires, referent_a):
    question = QuestionFactory(commune=territoires["commune_a"])
    question.prendre_en_charge(referent_a)
    assert question.statut == Question.Statut.EN_COURS
    with pytest.raises(ValidationError):
        question.prendre_en_charge(referent_a)
    with pytest.raises(ValidationError):
        question.rouvrir()
    question.clore()
    with pytest.raises(ValidationError):
        question.clore()
    with pytest.raises(ValidationError):
        question.marquer_repondue()
    question.rouvrir()
    assert question.statut == Question.Statut.EN_COURS


def test_repondre_a_une_question_close_refuse(client, territoires, referent_a):
    question = QuestionFactory(commune=territoires["commune_a"], statut="close")
    client.force_login(referent_a)
    client.post(reverse("espace:question", args=[question.pk]), {"texte": "Trop tard"})
    assert not mail.outbox and question.messages.count() == 1


def test_attribuer_dans_l_equipe(client, territoires, agent_a, referent_a):
    question = QuestionFactory(commune=territoires["commune_a"])
    client.force_login(agent_a)
    client.post(
        reverse("espace:question_action", args=[question.pk, "attribuer"]),
        {"referent": referent_a.pk},
    )
    question.refresh_from_db()
    assert question.referent == referent_a


def test_boite_nombre_de_requetes(client, territoires, referent_a, django_assert_max_num_queries):
    for _ in range(3):
        QuestionFactory(commune=territoires["commune_a"], referent=referent_a)
    client.force_login(referent_a)
    with django_assert_max_num_queries(16):
        reponse = client.get(reverse("espace:boite"))
    assert reponse.context["page_obj"].paginator.count == 3


def test_session_des_agents_plus_courte(client, settings, referent_a):
    settings.SESSION_AGE_AGENTS = 1800
    client.post(
        reverse("account_login"),
        {"login": referent_a.email, "password": "mot-de-passe-de-test-solide"},
    )
    # Staff log in with their second factor: the session is shortened once it is complete.
    client.post(reverse("mfa_authenticate"), {"code": code_totp(referent_a)})
    assert client.session.get("_auth_user_id") == str(referent_a.pk)
    assert client.session.get_expiry_age() == 1800
    public = UserFactory()
    client.logout()
    client.post(
        reverse("account_login"), {"login": public.email, "password": "mot-de-passe-de-test-solide"}
    )
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_liens_vers_l_espace_et_retour(client, pages_editoriales, referent_a):
    client.force_login(referent_a)
    accueil = client.get(reverse("guichet:accueil")).content.decode()
    assert reverse("espace:tableau_de_bord") in accueil
    admin = client.get(reverse("admin:index")).content.decode()
    assert reverse("espace:tableau_de_bord") in admin
    compte = client.get(reverse("guichet:mon_compte")).content.decode()
    assert reverse("usersessions_list") in compte and reverse("guichet:mes_donnees") in compte
    assert client.get(reverse("usersessions_list")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("boite", ["", "installation@ars.example.gouv.fr"])
@pytest.mark.parametrize("qui", ["referent", "agent"])
def test_la_reponse_porte_une_adresse_de_reponse(
    territoires, referent_a, agent_a, settings, boite, qui
):
    """The person can reply to an answer: the ARS mailbox if set, else the question's referent
    (else whoever answered), never the no-reply sender; the subject quotes nothing of theirs."""
    settings.RENDEZVOUS_REPONDRE_A = boite
    question = QuestionFactory(
        commune=territoires["commune_a"],
        referent=referent_a if qui == "referent" else None,
        sujet="Votre compte est suspendu",
    )
    auteur = agent_a if qui == "agent" else referent_a
    services.question_repondre(question=question, auteur=auteur, texte="Voici.")
    (reponse,) = mail.outbox
    assert reponse.reply_to == [boite or auteur.email]
    assert "suspendu" not in reponse.subject + reponse.body
    assert reponse.from_email == settings.DEFAULT_FROM_EMAIL


def test_les_filtres_de_la_boite_gardes_par_valeurs(client, agent_a, territoires):
    """The inbox's filter form is rendered once per set of values (guichet.forms.html_garde):
    the values submitted are shown checked and selected, each set its own."""
    client.force_login(agent_a)
    adresse = reverse("espace:boite")
    for _ in range(2):
        vide = client.get(adresse).content.decode()
        assert 'value="toutes" selected' not in vide and "checked" not in vide
        choisis = client.get(adresse, {"statut": "toutes", "miennes": "on"}).content.decode()
        assert 'value="toutes" selected' in choisis and "checked" in choisis
    mauvais = client.get(adresse, {"statut": "<b>x</b>"}).content.decode()
    assert "<b>x</b>" not in mauvais and "Sélectionnez un choix valide" in mauvais
