"""`make run` survives 150 concurrent clients (issue 28).

The development server answers each client in a thread of its own; with persistent database
connections, 150 keep-alive clients opened 150 connections, more than PostgreSQL accepts (100
on the embedded server): 500 "too many clients". And it kept only 10 connections waiting to be
accepted: 150 clients connecting at once waited for retransmissions or were reset. The test
runs the very command line of `make run` (read from `make -n run`) against the test database.
"""

import os
import re
import signal
import subprocess
import time

import pytest
import requests

from benchmarks.charge_dev import charger
from tests.production.test_plusieurs_serveurs import RACINE, _port_libre, _url_de_la_base

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 150


def _ligne_de_make_run(port: int) -> str:
    """The runserver line of `make run`, as make would run it (without the autoreloader, whose
    second process would outlive the test)."""
    sortie = subprocess.run(
        ["make", "-n", "-o", "install", "run", f"PORT={port}"],
        cwd=RACINE,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    ligne = next(ligne for ligne in sortie.splitlines() if "manage.py runserver" in ligne)
    assert ligne.rstrip().endswith(f"runserver 127.0.0.1:{port}"), ligne
    return f"exec env {ligne} --noreload"


@pytest.fixture
def serveur_de_developpement(django_db_blocker):
    with django_db_blocker.unblock():
        url_base = _url_de_la_base()
    port = _port_libre()
    propres_aux_tests = r"DEBUG$|DJANGO_SETTINGS_MODULE$|TEST_DATABASE_NAME$|DATABASE_"
    env = {k: v for k, v in os.environ.items() if not re.match(propres_aux_tests, k)}
    env["DATABASE_URL"] = url_base  # the test database instead of the embedded one's default
    processus = subprocess.Popen(
        ["bash", "-c", _ligne_de_make_run(port)],
        cwd=RACINE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    adresse = f"http://127.0.0.1:{port}"
    try:
        fin = time.monotonic() + 90
        while time.monotonic() < fin:
            assert processus.poll() is None, processus.stderr.read()
            try:
                if requests.get(f"{adresse}/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        yield adresse
    finally:
        processus.send_signal(signal.SIGTERM)
        try:
            processus.wait(timeout=20)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait()
        processus.stderr.close()


def test_make_run_tient_150_clients_simultanes(serveur_de_developpement):
    """150 clients connect at once, then 150 already connected clients (as open browser tabs)
    send their requests at once, each keeping its connection open until all are answered:
    every answer is a 200, none a 500 nor a reset connection, within the deadline."""
    debut = time.monotonic()
    for chemin, connecter_avant in (("/healthz", False), ("/rendez-vous/", True)):
        resultat = charger(
            f"{serveur_de_developpement}{chemin}",
            clients=CLIENTS,
            requetes=1,
            delai=120,
            connecter_avant=connecter_avant,
        )
        assert resultat["statuts"] == {200: CLIENTS}, (chemin, resultat)
    print(
        f"{2 * CLIENTS} requêtes de {CLIENTS} clients simultanés en "
        f"{time.monotonic() - debut:.1f} s"
    )


def test_au_dela_de_la_borne_une_connexion_attend_son_tour(monkeypatch):
    """The bound of guichet.postgresql: a connection waits for a closed one, never exceeds it,
    and says so in French when none frees in time."""
    from django.db import connection
    from django.db.utils import OperationalError

    from guichet.postgresql import base

    monkeypatch.setattr(base, "ATTENTE_MAX", 0.2)
    reglages = {**connection.settings_dict, "CONNEXIONS_MAX": 2}
    connexions = [base.DatabaseWrapper(reglages) for _ in range(3)]
    for c in connexions[:2]:
        c.ensure_connection()
    with pytest.raises(OperationalError, match="Aucune des 2 connexions"):
        connexions[2].ensure_connection()
    connexions[0].close()
    connexions[2].ensure_connection()  # the freed token
    assert connexions[2].cursor().execute("SELECT 1") is not None
    for c in connexions[1:]:
        c.close()
    assert base.jetons("default", 2)._value == 2  # every token back
