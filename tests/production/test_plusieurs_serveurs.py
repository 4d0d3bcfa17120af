"""Scale-out: two app servers (separate gunicorn processes) on one database and one
S3-compatible object storage (moto in server mode), with the production settings. Nothing a
request needs may live in one server's memory, session file or disk."""

import datetime
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import boto3
import pytest
import requests
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image

from aides.models import Aide, Zonage
from guichet.models import ImportEnAttente
from installation.models import Document
from tests.aides.factories import AideFactory
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory
from tests.guichet.test_isolation import donnees_du_formulaire

# One worker runs the module: its two servers start once (pytest-xdist's loadgroup).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("deux_serveurs")]

RACINE = Path(__file__).resolve().parents[2]
SEAU = "guichet-test"
MOT_DE_PASSE = "mot-de-passe-de-test-solide"


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _url_de_la_base() -> str:
    """The URL of the test database (the one pytest-django created) for the servers."""
    r = connection.settings_dict
    identifiants = f"{r['USER']}:{r['PASSWORD'] or ''}"
    hote = r["HOST"] or r["OPTIONS"].get("host") or "localhost"  # a socket path for pgserver
    return f"postgresql://{identifiants}@{quote(hote, safe='')}:{r['PORT'] or 5432}/{r['NAME']}"


@pytest.fixture(autouse=True)
def _hachage_de_production(settings):
    """The servers run production's settings: passwords hashed as there (the tests use MD5)."""
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


@pytest.fixture(scope="module")
def stockage_s3():
    from moto.server import ThreadedMotoServer

    port = _port_libre()
    serveur = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    serveur.start()
    url = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=SEAU)
    yield url, client
    serveur.stop()


@pytest.fixture(scope="module")
def serveurs(django_db_setup, django_db_blocker, stockage_s3, tmp_path_factory):
    """Servers A and B: gunicorn, 1 worker each, DEBUG off, database cache, S3 storage."""
    url_s3, _ = stockage_s3
    with django_db_blocker.unblock():
        url_base = _url_de_la_base()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reglages_serveurs",
        "DATABASE_URL": url_base,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "S3_BUCKET": SEAU,
        "S3_ENDPOINT_URL": url_s3,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "TEST_DATABASE_NAME": "",
    }
    env.pop("REDIS_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    processus, adresses = [], []
    dossier = tmp_path_factory.mktemp("gunicorn")
    for i in range(2):
        port = _port_libre()
        commande = [
            sys.executable,
            "-m",
            "gunicorn",
            "guichet.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
            "--log-level",
            "warning",
            "--control-socket",
            str(dossier / f"{i}.ctl"),
        ]
        processus.append(subprocess.Popen(commande, cwd=RACINE, env=env))
        adresses.append(f"http://127.0.0.1:{port}")
    try:
        for adresse, p in zip(adresses, processus, strict=True):
            _attendre(adresse, p)
        yield adresses
    finally:
        for p in processus:
            p.send_signal(signal.SIGTERM)
        for p in processus:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def _attendre(adresse, p, delai=90):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if p.poll() is not None:
            raise RuntimeError(f"Le serveur {adresse} s'est arrêté (code {p.returncode}).")
        try:
            if requests.get(f"{adresse}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"Le serveur {adresse} ne répond pas.")


class Navigateur:
    """Cookies kept by hand: the production cookies are Secure, the test servers speak HTTP."""

    def __init__(self, cookies=None):
        self.cookies = dict(cookies or {})

    def _retenir(self, reponse):
        for cookie in reponse.cookies:
            self.cookies[cookie.name] = cookie.value
        return reponse

    def get(self, url, **kw):
        return self._retenir(
            requests.get(url, cookies=self.cookies, allow_redirects=False, timeout=60, **kw)
        )

    def post(self, url, data=None, **kw):
        data = {**(data or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self._retenir(
            requests.post(
                url, data=data, cookies=self.cookies, timeout=60, allow_redirects=False, **kw
            )
        )

    def jeton_csrf(self, url):
        html = self.get(url).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class _SansContexte:
    """A Navigateur read as the test client's responses are (no template context)."""

    def __init__(self, nav):
        self.nav = nav

    def get(self, url):
        reponse = self.nav.get(url)
        reponse.context = {}
        return reponse


def _session_de(user) -> dict:
    """A staff session created in the database (as the test client's force_login does)."""
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def test_une_session_ouverte_sur_a_vaut_sur_b(serveurs):
    a, b = serveurs
    user = UserFactory(email="pro@example.fr")
    nav = Navigateur()
    nav.jeton_csrf(f"{a}/comptes/login/")  # the login page sets the CSRF cookie
    reponse = nav.post(f"{a}/comptes/login/", {"login": user.email, "password": MOT_DE_PASSE})
    assert reponse.status_code == 302, reponse.text[:500]
    assert "sessionid" in nav.cookies
    compte = nav.get(f"{b}/compte/")
    assert compte.status_code == 200 and "pro@example.fr" in compte.text
    assert Navigateur().get(f"{b}/compte/").status_code == 302  # without the session: login


def test_une_limite_de_tentatives_compte_sur_les_deux_serveurs(serveurs):
    a, b = serveurs
    user = UserFactory(email="cible@example.fr")
    nav = Navigateur()
    nav.jeton_csrf(f"{a}/comptes/login/")
    bloque = "Trop de tentatives de connexion"
    for i in range(5):  # login_failed: 5 per 5 minutes for one account, whatever the server
        serveur = a if i % 2 == 0 else b
        reponse = nav.post(f"{serveur}/comptes/login/", {"login": user.email, "password": "faux"})
        assert reponse.status_code == 200 and bloque not in reponse.text
    # The sixth attempt, on B, is refused even with the right password: A's failures count.
    reponse = nav.post(f"{b}/comptes/login/", {"login": user.email, "password": MOT_DE_PASSE})
    assert reponse.status_code == 200 and bloque in reponse.text
    assert "sessionid" not in nav.cookies


def test_un_import_apercu_sur_a_se_confirme_sur_b(serveurs, stockage_s3):
    a, b = serveurs
    _, s3 = stockage_s3
    dep = DepartementFactory(code="79", nom="Deux-Sèvres", region=RegionFactory(code="75"))
    CommuneFactory(code="79174", nom="Melle", departement=dep)
    nav = Navigateur(_session_de(UserFactory(superuser=True)))
    url = "/gestion/aides/zonage/importer/"
    nav.jeton_csrf(f"{a}{url}")
    csv = (
        "code_commune;profession;niveau;date_arrete;source\n"
        "79174;medecin-generaliste;zip;2025-01-15;Arrêté test\n"
    )
    apercu = nav.post(f"{a}{url}", files={"fichier": ("zonage.csv", csv.encode(), "text/csv")})
    assert apercu.status_code == 200, apercu.text[:500]
    jeton = re.search(r'name="jeton" value="([^"]+)"', apercu.text).group(1)
    attente = ImportEnAttente.objects.get(jeton=jeton)
    objets = [o["Key"] for o in s3.list_objects_v2(Bucket=SEAU).get("Contents", [])]
    assert attente.fichier.name in objets  # waiting in the object storage, not on server A
    assert not Zonage.objects.exists()
    confirmation = nav.post(f"{b}{url}", {"jeton": jeton})
    assert confirmation.status_code == 302
    assert Zonage.objects.get().commune_id == "79174"
    assert not ImportEnAttente.objects.exists()


def test_un_document_televerse_sur_a_se_telecharge_sur_b(serveurs, stockage_s3):
    a, b = serveurs
    _, s3 = stockage_s3
    nav = Navigateur(_session_de(UserFactory(superuser=True)))
    url = "/gestion/installation/document/add/"
    nav.jeton_csrf(f"{a}{url}")
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(image, format="PNG")
    reponse = nav.post(
        f"{a}{url}",
        {
            "titre": "Plan d'accès",
            "description": "",
            "type": "autre",
            "date": "2026-12-01",
            "region": "",
            "departement": "",
            "publics": ["professionnels"],
            "statut_publication": "publiee",
        },
        files={"fichier": ("plan.png", image.getvalue(), "image/png")},
    )
    assert reponse.status_code == 302, reponse.text[:2000]
    document = Document.objects.get()
    objets = [o["Key"] for o in s3.list_objects_v2(Bucket=SEAU).get("Contents", [])]
    assert document.fichier.name in objets
    telechargement = Navigateur().get(f"{b}{document.get_absolute_url()}")
    assert telechargement.status_code == 200
    assert telechargement.content == image.getvalue()


def test_des_horaires_clos_par_un_update_se_lisent_sur_les_deux_serveurs(serveurs):
    """The Deux-Sèvres case across processes: both servers have the public slot week in
    memory; one UPDATE ends every opening hour (no signal); both list no slot at once."""
    from rendezvous.models import PlageOuverture
    from tests.rendezvous.factories import (
        LieuFactory,
        MotifFactory,
        PlageFactory,
        ReferentFactory,
        territoire,
    )

    a, b = serveurs
    dep = territoire()
    motif = MotifFactory()
    referent = ReferentFactory(departements=[dep])
    PlageFactory(referent=referent, motifs=[motif], lieu=LieuFactory(departement=dep))
    lundi = datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday())
    chemin = reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={lundi}"
    for serveur in (a, b, a, b):  # kept in each server's memory
        page = requests.get(serveur + chemin, timeout=60)
        assert page.status_code == 200 and page.text.count("creneau=") == 21, page.text[:500]
    PlageOuverture.objects.filter(referent=referent).update(date_fin=lundi - datetime.timedelta(1))
    for serveur in (a, b):
        assert requests.get(serveur + chemin, timeout=60).text.count("creneau=") == 0


def test_une_page_gardee_sur_chaque_serveur_suit_une_ecriture_faite_sur_l_autre(serveurs):
    """Whole anonymous pages are kept in each server's memory (guichet.cache_pages), keyed on
    the content version every request reads: a save in the admin of A, or a bulk update from a
    shell, is seen by B on its next request."""
    a, b = serveurs
    aide = AideFactory(nom="Prime initiale")
    page = aide.get_absolute_url()

    def lire(serveur):
        reponse = Navigateur().get(f"{serveur}{page}")
        assert reponse.status_code == 200
        return reponse.headers.get("X-Cache-Page"), reponse.text

    for serveur in (a, b):
        assert lire(serveur)[1].count("Prime initiale") and lire(serveur)[0] == "hit"
    nav = Navigateur(_session_de(UserFactory(superuser=True)))
    change = f"{a}/gestion/aides/aide/{aide.pk}/change/"
    donnees, _, _ = donnees_du_formulaire(_SansContexte(nav), change, Aide)
    donnees["nom"] = ["Prime enregistrée sur A"]
    assert nav.post(change, donnees).status_code == 302
    statut, html = lire(b)
    assert statut == "miss" and "Prime enregistrée sur A" in html
    assert lire(b)[0] == "hit"
    Aide.objects.filter(pk=aide.pk).update(nom="Prime changée par un update")
    for serveur in (a, b):
        assert "Prime changée par un update" in lire(serveur)[1]


def test_le_tableau_de_bord_garde_sur_chaque_serveur_suit_une_question(serveurs):
    """The staff dashboard's figures are kept in each server's memory under the "espace"
    version (guichet.versions): a question received, whichever process writes it, is counted on
    both servers' next display."""
    from espace.models import Question
    from tests.espace.factories import QuestionFactory
    from tests.factories import activer_totp

    a, b = serveurs
    agent = UserFactory(admin_national=True)
    activer_totp(agent)
    nav = Navigateur(_session_de(agent))

    def recues(serveur):
        html = nav.get(f"{serveur}/espace-ars/").text
        return int(re.search(r'Questions reçues</th><td class="nombre">(\d+)<', html).group(1))

    avant = {serveur: recues(serveur) for serveur in (a, b, a, b)}  # kept on both
    QuestionFactory(commune=CommuneFactory())
    assert Question.objects.count() == 1
    assert all(recues(serveur) == avant[serveur] + 1 for serveur in (a, b))


def test_la_semaine_d_agenda_gardee_sur_chaque_serveur_suit_un_update(serveurs):
    """A referent's agenda week is kept in each server's memory under the agendas' version
    (rendezvous.semaines): a meeting renamed, then cancelled, by a queryset update made
    elsewhere is on both servers' next display."""
    from zoneinfo import ZoneInfo

    from rendezvous.models import RendezVous
    from tests.factories import activer_totp
    from tests.rendezvous.factories import rdv_du_referent, territoire

    a, b = serveurs
    lundi = datetime.date(2026, 12, 7)
    debut = datetime.datetime(2026, 12, 8, 10, tzinfo=ZoneInfo("Europe/Paris"))
    rdv = rdv_du_referent(debut, territoire())
    activer_totp(rdv.referent.utilisateur)
    nav = Navigateur(_session_de(rdv.referent.utilisateur))
    adresse = reverse("rendezvous:agenda_semaine", args=[lundi]) + f"?referent={rdv.referent.pk}"

    def semaine(serveur):
        reponse = nav.get(f"{serveur}{adresse}")
        assert reponse.status_code == 200
        return reponse.text

    assert all("Léa Durand" in semaine(serveur) for serveur in (a, b, a, b))  # kept on both
    RendezVous.objects.filter(pk=rdv.pk).update(nom="Léo Martin")
    for serveur in (a, b):
        html = semaine(serveur)
        assert "Léo Martin" in html and "Léa Durand" not in html
    RendezVous.objects.filter(pk=rdv.pk).update(statut="annule-usager")
    assert all("Léo Martin" not in semaine(serveur) for serveur in (a, b))
