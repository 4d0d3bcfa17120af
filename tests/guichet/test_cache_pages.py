"""Whole anonymous pages served from the cache (guichet.cache_pages, issue 29).

Over every public pattern of the URLconf (benchmarks/pages.py classifies them, as `make bench`
does): a second anonymous GET is a hit with the same bytes, and nothing that carries a CSRF
token, a CSP nonce or a user's name is ever kept. A page kept for an anonymous reader never
reaches a signed-in one, nor the reverse; a save in the admin or a queryset update is seen on
the next request.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from aides.models import Aide
from benchmarks import pages
from demographie.models import Bulletin
from espace.models import CompteurJournalier
from guichet import projet
from guichet.cache_pages import ALIAS, ENTETE_STATUT, MARQUE, _cle
from guichet.models import User
from guichet.versions import version_globale
from rendezvous.creneaux import lire_cle
from tests.aides.factories import AideFactory
from tests.benchmarks.test_pages_du_banc import monde  # noqa: F401 (fixture)
from tests.factories import CommuneFactory, UserFactory
from tests.guichet.test_isolation import donnees_du_formulaire
from tests.rendezvous.factories import (
    LieuFactory,
    MotifFactory,
    PlageFactory,
    ReferentFactory,
    territoire,
)

pytestmark = pytest.mark.django_db

# What may keep a public page out of the cache, and why (the reason the middleware gives).
RAISONS_ADMISES = (
    "HTTP 200 (flux)",  # files streamed from the storage (documents, ZIP of a parcours)
    "chemin jamais gardé",  # /healthz reads the database itself
)
# The pages the issue measures: each must be kept.
GARDEES = {
    "guichet:accueil", "aides:liste (filtres)", "aides:liste (texte)", "aides:detail",
    "rendezvous:creneaux", "guichet:commune", "guichet:communes", "demographie:territoire",
    "demographie:accueil", "installation:accueil", "installation:contacts", "installation:etape",
    "aides:simulateur (résultat)",
}  # fmt: skip
# What a page shows only to a signed-in reader (the header has no name: the "Mon compte" button and
# the logout form), a nonce, a message. A CSRF token is checked apart (_jetons): a kept form
# page carries its own reader's.
TRACES = (
    "nonce=",
    "Se déconnecter",
    "fr-icon-account-circle-line",
    "Message personnel",
)


def _get(client, chemin, **entetes):
    reponse = client.get(chemin, secure=True, **entetes)
    reponse.getvalue()
    return reponse


_CHAMP_JETON = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def _jetons(client, reponse) -> bytes:
    """The page with its CSRF tokens taken out, after checking each one is its reader's own:
    it unmasks to the secret of the CSRF cookie that reader holds."""
    contenu = reponse.getvalue()
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value if _CHAMP_JETON.search(contenu) else ""
    for jeton in _CHAMP_JETON.findall(contenu):
        assert _unmask_cipher_token(jeton.decode()) == secret
    return _CHAMP_JETON.sub(b"", contenu)


def test_chaque_page_publique_gardee_entiere_ou_pour_une_raison_admise(monde):  # noqa: F811
    classes = pages.classer(Client())
    gardees = set()
    for cle, page in classes["mesurees"].items():
        clients = Client(), Client()
        premiere, seconde = (_get(c, page["chemin"]) for c in clients)
        if premiere.get(ENTETE_STATUT) in ("miss", "hit"):
            gardees.add(cle)
            assert seconde[ENTETE_STATUT] == "hit", cle
            assert _jetons(clients[1], seconde) == _jetons(clients[0], premiere), cle
            assert seconde.get("ETag") == premiere.get("ETag"), cle
            assert not any(t.encode() in seconde.getvalue() for t in TRACES), cle
        else:
            raison = getattr(premiere, "cache_page", "chemin jamais gardé")
            assert raison in RAISONS_ADMISES, (cle, raison)
            assert ENTETE_STATUT not in seconde, cle
    assert GARDEES <= gardees, GARDEES - gardees


@pytest.mark.parametrize("nom", ["account_login", "question:poser", "account_signup"])
def test_une_page_a_formulaire_est_gardee_sans_le_jeton_de_personne(nom, pages_editoriales):
    """A form page is kept with its token taken out: each reader gets a token of their own
    (from their CSRF cookie, or a new cookie), which the form's POST then passes."""
    chemin = reverse(nom)
    lecteurs = [Client(enforce_csrf_checks=True) for _ in range(3)]
    reponses = [_get(c, chemin) for c in lecteurs]
    assert [r[ENTETE_STATUT] for r in reponses] == ["miss", "hit", "hit"]
    gardee = caches[ALIAS].get(_cle(reponses[0].wsgi_request))[0]
    assert MARQUE in gardee and not _CHAMP_JETON.search(gardee)
    secrets = {c.cookies[settings.CSRF_COOKIE_NAME].value for c in lecteurs}
    assert len(secrets) == 3  # a new secret for each newcomer, none shared
    for lecteur, reponse in zip(lecteurs, reponses, strict=True):
        assert _CHAMP_JETON.search(reponse.getvalue()) and MARQUE not in reponse.getvalue()
        assert _jetons(lecteur, reponse) == _jetons(lecteurs[0], reponses[0])
        controle = reponse["Cache-Control"]
        assert "private" in controle and "no-cache" in controle and not reponse.has_header("ETag")
    # A returning reader keeps their cookie and gets a token of that same secret.
    ancien = lecteurs[1].cookies[settings.CSRF_COOKIE_NAME].value
    encore = _get(lecteurs[1], chemin)
    assert encore[ENTETE_STATUT] == "hit" and _jetons(lecteurs[1], encore)
    assert lecteurs[1].cookies[settings.CSRF_COOKIE_NAME].value == ancien
    # The token served from the cache passes the CSRF check of the form's POST.
    jeton = _CHAMP_JETON.search(encore.getvalue())[1].decode()
    poste = lecteurs[1].post(chemin, {"csrfmiddlewaretoken": jeton}, secure=True,
                             HTTP_REFERER="https://testserver" + chemin)  # fmt: skip
    assert poste.status_code != 403
    etranger = Client(enforce_csrf_checks=True)
    etranger.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32  # another reader's secret
    refuse = etranger.post(chemin, {"csrfmiddlewaretoken": jeton}, secure=True,
                           HTTP_REFERER="https://testserver" + chemin)  # fmt: skip
    assert refuse.status_code == 403


def test_aucune_page_ne_demande_de_nonce(client, pages_editoriales):
    # No page asks for a nonce any more: the policy allows the site's own scripts only.
    csp = _get(client, reverse("guichet:accueil"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "nonce" not in csp and directives["script-src"] == "'self'"


@pytest.fixture
def lea():
    return UserFactory(first_name="Léa", last_name="Fauvette", email="lea@exemple.fr")


def _avec_message(client):
    """A message waiting for the next page (as a view leaves one after a redirection)."""
    stockage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = stockage._encode([Message(constants.SUCCESS, "Message personnel")])


@pytest.mark.parametrize("ordre", ["connecte-puis-anonyme", "anonyme-puis-connecte"])
def test_une_page_gardee_ne_passe_jamais_d_un_lecteur_a_l_autre(ordre, lea, pages_editoriales):
    chemins = [reverse("guichet:accueil"), reverse("aides:liste")]
    connecte = Client()
    connecte.force_login(lea)
    _avec_message(connecte)

    def anonyme():
        for chemin in chemins:
            reponse = _get(Client(), chemin)
            assert reponse[ENTETE_STATUT] in ("miss", "hit")
            assert not any(t.encode() in reponse.getvalue() for t in TRACES), chemin

    def signe():
        for i, chemin in enumerate(chemins):
            html = _get(connecte, chemin).getvalue().decode()
            assert "Se déconnecter" in html and "csrfmiddlewaretoken" in html
            assert ("Message personnel" in html) == (i == 0)  # shown once, then gone

    if ordre == "anonyme-puis-connecte":
        anonyme()
        signe()
    else:
        signe()
    connecte.logout()
    anonyme()
    anonyme()  # hits now: still nothing of Léa's
    # After logging out, the browser keeps the CSRF cookie only: it reads the kept pages.
    assert set(connecte.cookies) - {"sessionid", "messages"} <= {"csrftoken"}


def test_en_tetes_d_une_page_gardee_et_get_conditionnel(client, pages_editoriales):
    chemin = reverse("guichet:accueil")
    premiere = _get(client, chemin)
    seconde = _get(client, chemin)
    assert (premiere[ENTETE_STATUT], seconde[ENTETE_STATUT]) == ("miss", "hit")
    for reponse in (premiere, seconde):
        assert reponse["Cache-Control"] == "public, no-cache"
        assert "Cookie" in reponse["Vary"] and reponse["ETag"].startswith('"')
        # the security headers are there on a hit too
        assert "frame-ancestors 'none'" in reponse["Content-Security-Policy"]
        assert reponse["X-Frame-Options"] == "DENY"
        assert "camera=()" in reponse["Permissions-Policy"]
        assert reponse["Strict-Transport-Security"].startswith("max-age=")
        assert reponse["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in reponse and not reponse.cookies
    non_modifiee = _get(client, chemin, HTTP_IF_NONE_MATCH=seconde["ETag"])
    assert non_modifiee.status_code == 304 and non_modifiee.getvalue() == b""
    assert _get(client, chemin, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_la_requete_est_normalisee_et_fait_partie_de_la_cle(client, pages_editoriales):
    AideFactory(nom="Aide au cabinet", professions=["infirmier"])
    liste = reverse("aides:liste")
    assert _get(client, f"{liste}?profession=infirmier&q=cabinet")[ENTETE_STATUT] == "miss"
    assert _get(client, f"{liste}?q=cabinet&profession=infirmier")[ENTETE_STATUT] == "hit"
    autre = _get(client, f"{liste}?q=autre&profession=infirmier")
    assert autre[ENTETE_STATUT] == "miss" and b"Aide au cabinet" not in autre.getvalue()


def test_une_requete_signee_ou_a_cookie_n_est_ni_servie_ni_gardee(client, lea, pages_editoriales):
    chemin = reverse("guichet:accueil")
    _get(client, chemin)
    client.cookies["projet_installation"] = "x"
    assert ENTETE_STATUT not in _get(client, chemin)
    assert ENTETE_STATUT not in _get(Client(), chemin, HTTP_AUTHORIZATION="Basic eDp5")


def _nom_affiche(aide) -> str:
    return _get(Client(), reverse("aides:detail", args=[aide.slug])).getvalue().decode()


def test_une_ecriture_est_vue_a_la_requete_suivante(pages_editoriales):
    aide = AideFactory(nom="Prime d'installation")
    assert "Prime d&#x27;installation" in _nom_affiche(aide)
    assert "Prime d&#x27;installation" in _nom_affiche(aide)  # a hit
    Aide.objects.filter(pk=aide.pk).update(nom="Prime renommée par un update")
    assert "Prime renommée par un update" in _nom_affiche(aide)


def test_un_enregistrement_dans_l_administration_est_vu_a_la_requete_suivante(pages_editoriales):
    aide = AideFactory(nom="Prime d'installation")
    assert _get(Client(), reverse("aides:detail", args=[aide.slug])).status_code == 200
    assert "Prime d&#x27;installation" in _nom_affiche(aide)  # kept
    agent = Client()
    agent.force_login(UserFactory(admin_national=True, email="national@ars.fr"))
    change = reverse("admin:aides_aide_change", args=[aide.pk])
    donnees, _, _ = donnees_du_formulaire(agent, change, Aide)
    donnees["nom"] = ["Prime enregistrée dans l'administration"]
    assert agent.post(change, donnees).status_code == 302
    assert "Prime enregistrée dans l&#x27;administration" in _nom_affiche(aide)


def test_une_page_comptee_l_est_aussi_servie_du_cache(pages_editoriales):
    aide = AideFactory()
    chemin = reverse("aides:detail", args=[aide.slug])
    reponses = [_get(Client(), chemin) for _ in range(3)]
    assert [r[ENTETE_STATUT] for r in reponses] == ["miss", "hit", "hit"]
    for reponse in reponses:  # never sent in chunks: the length is known
        assert int(reponse["Content-Length"]) == len(reponse.getvalue())
    assert sum(CompteurJournalier.objects.filter(indicateur="aide-vue").values_list(
        "nombre", flat=True)) == 3  # fmt: skip


def test_un_creneau_qui_sort_de_la_fenetre_disparait(time_machine, monde):  # noqa: F811
    """The slot list is kept until its first slot leaves the booking window: then it is gone
    from the next page, never offered in the past (the motif of the bench's world has no
    notice, so the window opens now)."""
    time_machine.move_to(timezone.now(), tick=False)
    chemin = next(p["chemin"] for p in pages.classer(Client())["mesurees"].values()
                  if p["nom"] == "rendezvous:creneaux")  # fmt: skip

    def premier_creneau():
        reponse = _get(Client(), chemin)
        cles = re.findall(r'creneau=([0-9]+-[^"&]+)', reponse.getvalue().decode())
        assert cles, "the bench's world has free slots this week"
        return reponse, cles[0], lire_cle(cles[0])[1]

    _, cle, debut = premier_creneau()
    time_machine.move_to(debut - datetime.timedelta(seconds=10), tick=False)
    reponse, cle, debut = premier_creneau()  # the same first slot, 10 s before it starts
    assert reponse[ENTETE_STATUT] == "miss" and reponse.cache_page_au_plus <= 10
    time_machine.move_to(debut - datetime.timedelta(seconds=5), tick=False)
    assert premier_creneau()[0][ENTETE_STATUT] == "hit"
    time_machine.move_to(debut + datetime.timedelta(seconds=1), tick=False)
    reponse, suivant, _ = premier_creneau()
    assert suivant != cle and cle not in reponse.getvalue().decode()


def test_le_resultat_du_simulateur_garde_renouvelle_le_cookie_du_projet(monde):  # noqa: F811
    """The result page remembers the project in a signed cookie (pre-filling a booking): kept
    whole, each hit sends the same project freshly signed, and counts a simulation."""
    chemin = pages.classer(Client())["mesurees"]["aides:simulateur (résultat)"]["chemin"]
    CompteurJournalier.objects.all().delete()
    caches["pages"].clear()  # classer() has read it
    reponses = [_get(Client(), chemin) for _ in range(3)]
    assert [r[ENTETE_STATUT] for r in reponses] == ["miss", "hit", "hit"]
    assert reponses[2]["Cache-Control"] == "private, no-cache"
    for reponse in reponses:
        cookie = reponse.cookies[projet.COOKIE]
        assert cookie["max-age"] == projet.DUREE and cookie["httponly"]
        requete = RequestFactory().get("/", HTTP_COOKIE=f"{projet.COOKIE}={cookie.value}")
        assert projet.lire(requete) == {
            "profession": "medecin-generaliste", "situation": "interne", "commune": "79191"
        }  # fmt: skip
    assert reponses[0].getvalue() == reponses[2].getvalue()
    assert sum(CompteurJournalier.objects.filter(indicateur="simulation").values_list(
        "nombre", flat=True)) == 3  # fmt: skip


def test_une_grande_page_n_est_gardee_qu_a_une_adresse_sans_requete(monkeypatch, pages_editoriales):
    """Pages over TAILLE_MAX (the open-data exports) are kept apart, a few per process, and only
    at an address without a query string: a stranger's endless filters never fill the memory."""
    from guichet import cache_pages

    AideFactory.create_batch(3)
    monkeypatch.setattr(cache_pages, "TAILLE_MAX", 200)
    chemin = reverse("aides:export_json")
    reponses = [_get(Client(), chemin) for _ in range(2)]
    assert [r[ENTETE_STATUT] for r in reponses] == ["miss", "hit"]
    assert reponses[0].getvalue() == reponses[1].getvalue()
    assert caches["pages_grandes"].get(_cle(reponses[0].wsgi_request)) is not None
    for _ in range(2):
        filtree = _get(Client(), chemin + "?profession=infirmier")
        assert ENTETE_STATUT not in filtree and "plus de 200 octets" in filtree.cache_page
    monkeypatch.setattr(cache_pages, "TAILLE_MAX_GRANDE", 300)
    caches["pages_grandes"].clear()
    assert ENTETE_STATUT not in _get(Client(), chemin)


def test_une_connexion_ou_un_mot_de_passe_ne_change_pas_la_version(lea):
    """The accounts table is under the content version for the names the pages print only: a
    sign-in (last_login) or a password saved with every column does not move it."""
    avant = version_globale()
    Client().force_login(lea)
    lea.refresh_from_db()
    assert lea.last_login is not None
    lea.set_password("Un autre mot de passe, 2026")
    lea.save()  # every column written again, the names unchanged
    assert version_globale() == avant
    User.objects.filter(pk=lea.pk).update(last_name="Mésange")
    assert version_globale() != avant


@pytest.fixture
def referent_de_niort():
    dep = territoire()
    commune = CommuneFactory(code="79191", nom="Niort", departement=dep, codes_postaux=["79000"])
    referent = ReferentFactory(
        departements=[dep], utilisateur__first_name="Camille", utilisateur__last_name="Martin"
    )
    PlageFactory(referent=referent, motifs=[MotifFactory()], lieu=LieuFactory(departement=dep))
    return commune, referent


def test_le_nom_d_un_referent_change_est_vu_a_la_requete_suivante(referent_de_niort):
    commune, referent = referent_de_niort
    chemins = [
        reverse("guichet:commune", args=[commune.code]),
        reverse("rendezvous:motifs", args=[commune.departement_id]),
    ]
    for chemin in chemins:
        _get(Client(), chemin)  # the commune page computes its sections: kept from the next one
        assert "Camille Martin" in _get(Client(), chemin).getvalue().decode()
        assert _get(Client(), chemin)[ENTETE_STATUT] == "hit", chemin
    Client().force_login(referent.utilisateur)  # the referent signs in: nothing shown changes
    assert all(_get(Client(), chemin)[ENTETE_STATUT] == "hit" for chemin in chemins)
    User.objects.filter(pk=referent.utilisateur_id).update(last_name="Moreau")
    for chemin in chemins:
        html = _get(Client(), chemin).getvalue().decode()
        assert "Camille Moreau" in html and "Camille Martin" not in html, chemin


def test_un_bulletin_publie_est_vu_a_la_requete_suivante(pages_editoriales):
    chemin = reverse("demographie:bulletins")
    assert "Aucun bulletin" in _get(Client(), chemin).getvalue().decode()
    assert _get(Client(), chemin)[ENTETE_STATUT] == "hit"
    bulletin = Bulletin.objects.create(annee=2025, niveau="france", code_territoire="FR")
    assert _get(Client(), chemin)[ENTETE_STATUT] == "miss"  # a new row: rendered again
    # the hourly job renders the draft's current edition: not in the list, the page stays kept
    bulletin.edition.name = "demographie/bulletins/editions/bulletin-2025-france-FR.pdf"
    bulletin.version_donnees, bulletin.edition_generee_le = "v1", timezone.now()
    bulletin.save(update_fields=["edition", "version_donnees", "edition_generee_le"])
    assert _get(Client(), chemin)[ENTETE_STATUT] == "hit"
    # published (services.bulletin_publier, the generer_bulletins job): listed at once
    bulletin.fichier.name = "demographie/bulletins/bulletin-2025-france-FR.pdf"
    bulletin.statut, bulletin.publie_le = Bulletin.Statut.PUBLIE, timezone.now()
    bulletin.save()
    html = _get(Client(), chemin).getvalue().decode()
    assert "Édition 2025" in html and bulletin.get_absolute_url() in html


def test_les_sous_requetes_nommees_ne_sont_pas_prises_pour_des_tables():
    from guichet.cache_pages import _Releve

    releve = _Releve()
    sql = (
        'WITH cles AS (SELECT id FROM "demographie_synthese"), partiel AS MATERIALIZED '
        '(SELECT * FROM cles JOIN "guichet_commune" ON true) SELECT * FROM partiel'
    )
    releve(lambda *a: None, sql, (), False, None)
    assert releve.lues == {"demographie_synthese", "guichet_commune"}
