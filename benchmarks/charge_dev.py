"""Concurrent clients against a development server (`make run`): how many answers are 5xx.

    python -m benchmarks.charge_dev http://127.0.0.1:8000/healthz --clients 150 --requetes 3

Each client opens its own keep-alive connection (as a browser does), then all send their
requests at once, each client one after the other. Bounded: each request has a timeout, the whole
run a deadline. Prints one summary line: statuses and their counts, the duration.
"""

import argparse
import collections
import http.client
import sys
import threading
import time
from urllib.parse import urlsplit


def charger(
    url: str, *, clients: int, requetes: int, delai: float = 60.0, connecter_avant: bool = True
) -> dict:
    """Statuses of ``clients × requetes`` GETs of ``url`` (0: no answer within the delay).
    ``connecter_avant=False``: the clients also connect at once."""
    partie = urlsplit(url)
    chemin = partie.path + (f"?{partie.query}" if partie.query else "")
    statuts = collections.Counter()
    erreurs = collections.Counter()
    verrou = threading.Lock()
    depart = threading.Barrier(clients)
    fin = time.monotonic() + delai

    def client():
        connexion = http.client.HTTPConnection(partie.hostname, partie.port, timeout=delai)
        try:  # connected first, as open browser tabs are: the requests then start together
            if connecter_avant:
                connexion.connect()
        except OSError as exc:
            with verrou:
                erreurs[type(exc).__name__] += 1
        try:
            depart.wait(timeout=delai)
        except threading.BrokenBarrierError:
            pass
        for _ in range(requetes):
            if time.monotonic() > fin:
                statut = 0
            else:
                try:
                    connexion.request("GET", chemin)
                    reponse = connexion.getresponse()
                    reponse.read()
                    statut = reponse.status
                except (OSError, http.client.HTTPException) as exc:
                    statut = 0
                    with verrou:
                        erreurs[type(exc).__name__] += 1
                    connexion.close()
            with verrou:
                statuts[statut] += 1
        # Keep the connection open until every client is done, as idle browser tabs do.
        while time.monotonic() < fin and sum(statuts.values()) < clients * requetes:
            time.sleep(0.05)
        connexion.close()

    debut = time.monotonic()
    fils = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=max(0.0, fin - time.monotonic()) + 5)
    return {"statuts": dict(statuts), "erreurs": dict(erreurs), "duree": time.monotonic() - debut}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--requetes", type=int, default=3)
    parser.add_argument("--delai", type=float, default=60.0)
    parser.add_argument(
        "--connexions-ensemble",
        action="store_true",
        help="les clients se connectent aussi tous à la fois",
    )
    args = parser.parse_args(argv)
    resultat = charger(
        args.url,
        clients=args.clients,
        requetes=args.requetes,
        delai=args.delai,
        connecter_avant=not args.connexions_ensemble,
    )
    print(
        f"statuts {dict(sorted(resultat['statuts'].items()))} {resultat['erreurs'] or ''} "
        f"en {resultat['duree']:.1f} s"
    )
    return 0 if all(200 <= s < 500 for s in resultat["statuts"]) else 1


if __name__ == "__main__":
    sys.exit(main())
