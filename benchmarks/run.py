"""`make bench`: build the benchmark databases, serve the portal with gunicorn on loopback, load
it with wrk against an interleaved baseline, and write the results under benchmarks/results/.

Not a test: nothing here runs in `make test`. Every load is bounded in requests and in time and
targets 127.0.0.1 only. BENCH_QUICK=1 runs a smaller dataset and shorter rounds.
"""

import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RACINE = Path(__file__).resolve().parent.parent
RESULTATS = RACINE / "benchmarks" / "results"
PYTHON = sys.executable
RAPIDE = os.environ.get("BENCH_QUICK", "") not in ("", "0")
ECHELLE = "rapide" if RAPIDE else "national"
TOURS = int(os.environ.get("BENCH_ROUNDS", 2 if RAPIDE else 3))
DUREE = int(os.environ.get("BENCH_SECONDS", 3 if RAPIDE else 5))  # seconds per wrk run
CONNEXIONS = 16
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "3"))  # as in gunicorn.conf.py
# Bounds every wrk run in count as well as in time. wrk divides by the whole duration even when
# its threads stop early, so the bound caps the measured rate at 2 × MAX_PAR_THREAD / DUREE:
# 8,000 req/s here, above what 3 workers on 2 cores serve (a bound of 4,000 capped 5-second
# runs at 1,600 req/s, the bare view included).
MAX_PAR_THREAD = 4000 * DUREE
LIGNES_RPPS = 200_000 if RAPIDE else 2_000_000
ALERTES_TIMEOUT_S = 300  # one run of the digest job over every saved search of the dataset
# The targets of issue 29: public pages against the bare view (no middleware, no database).
CIBLES = {
    "ratio_nue": 0.35,
    "p95_ms": 50,
    "requetes": 10,
    "signees_requetes": 10,
    "signees_p95_ms": 150,
    "bulletin_region_s": 2,
    "bulletin_france_s": 5,
    "rpps_s": 30,
    "creneaux_ms": 20,
    "rss_mo": 250,
}
NUE = "/_bench/nue/"  # benchmarks.wsgi: a bare Django view, no middleware, no database
REFERENCE = "/_bench/reference/"  # the same view behind the portal's middleware


def journal(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def url_serveur() -> str:
    """The PostgreSQL server: DATABASE_URL's, or the embedded one of the worktree."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = (
            subprocess.run(
                [PYTHON, "-m", "guichet.embedded_db"],
                cwd=RACINE,
                check=True,
                text=True,
                capture_output=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
    return url


def url_base(url: str, nom: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + nom))


def creer_base(url: str, nom: str) -> None:
    import psycopg

    with psycopg.connect(url_base(url, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nom]).fetchone():
            conn.execute(f'CREATE DATABASE "{nom}"')


def environnement(url: str, nom: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url_base(url, nom),
        DEBUG="false",
        BENCH_MODE="1",
        SECRET_KEY="bench-only-5b0e7c1d9f3a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="true",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="guichet.settings",
    )
    return env


def manage(env, *args, capture=False, timeout=None) -> str:
    resultat = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=RACINE,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        timeout=timeout,
    )
    return resultat.stdout or ""


def construire(env, *, national: bool) -> float:
    debut = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "import_territoires")
    manage(env, "charger_demo", "--force")
    if national:
        manage(env, "bench_donnees", "--echelle", ECHELLE)
    return time.perf_counter() - debut


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serveur:
    """gunicorn with the portal's configuration file, bound to loopback."""

    def __init__(self, env):
        self.port = port_libre()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(RESULTATS / ".gunicorn.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "--config",
                "gunicorn.conf.py",
                # No recycling: at the bench's rates, max_requests (5,000, meant for a day of
                # production traffic) restarted a worker every few seconds, emptying its
                # process caches and slowing the bare view as much as the pages.
                "--max-requests",
                "0",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                str(RESULTATS / ".acces.log"),
                "benchmarks.wsgi:application",
            ],
            cwd=RACINE,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(120):
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("gunicorn ne répond pas (voir benchmarks/results/.gunicorn.log)")

    def get(self, chemin, cookie="") -> tuple[int, int]:
        entetes = {"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
        requete = urllib.request.Request(self.base + chemin, headers=entetes)
        with urllib.request.urlopen(requete, timeout=120) as r:  # noqa: S310 (loopback only)
            return r.status, len(r.read())

    def duree(self, chemin) -> float:
        debut = time.perf_counter()
        self.get(chemin)
        return time.perf_counter() - debut

    def workers(self) -> list[int]:
        enfants = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        return [int(p) for p in enfants.split()]

    def rss_mo(self) -> list[float]:
        tailles = []
        for pid in self.workers():
            for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
                if ligne.startswith("VmRSS:"):
                    tailles.append(round(int(ligne.split()[1]) / 1024, 1))
        return tailles

    def arreter(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def attendre_repos(serveur, *, maximum=300):
    """wrk leaves up to 16 requests queued in the sync workers (a slow page may take seconds
    each): wait until as many concurrent probes as workers all come back at once, so that the
    next measurement does not pay for the previous page's backlog."""
    fin = time.monotonic() + maximum
    while time.monotonic() < fin:
        with ThreadPoolExecutor(WORKERS) as pool:
            durees = list(pool.map(lambda _: serveur.duree("/healthz"), range(WORKERS)))
        if max(durees) < 0.25:
            return
    journal("les workers sont encore occupés après 5 minutes")


def wrk(base, chemin, *, duree, max_par_thread, chemins=(), cookie="") -> dict:
    sortie = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNEXIONS}",
            f"-d{duree}s",
            "--timeout",
            "30s",
            *(["-H", f"Cookie: {cookie}"] if cookie else []),
            "-s",
            str(RACINE / "benchmarks" / "charge.lua"),
            base + chemin,
            "--",
            str(max_par_thread),
            *chemins,
        ],
        check=True,
        text=True,
        capture_output=True,
        timeout=duree + 90,
    ).stdout
    mesure = json.loads([ligne for ligne in sortie.splitlines() if ligne.startswith("{")][-1])
    mesure["debit"] = mesure["requetes"] / max(mesure["duree_us"] / 1e6, 1e-9)
    mesure["erreurs"] = (
        mesure.pop("erreurs_socket")
        + mesure.pop("erreurs_statut")
        + mesure.pop("delais_depasses")
        + mesure.pop("non200")
    )
    return mesure


def _mediane(mesures, f):
    return statistics.median(f(m) for m in mesures)


def charge(serveur, pages, cookies) -> dict:
    """Rounds of (bare view, reference, page) triples: each page is compared with the two
    baselines run just before it. `pages`: key → {"chemin", "session" (None: anonymous)}."""
    tours = {nom: [] for nom in pages}
    for tour in range(TOURS):
        for nom, page in pages.items():
            mesure = {}
            cookie = cookies.get(page["session"], "")
            for cle, chemin in (("nue", NUE), ("reference", REFERENCE), ("page", page["chemin"])):
                mesure[cle] = wrk(
                    serveur.base,
                    chemin,
                    duree=DUREE,
                    max_par_thread=MAX_PAR_THREAD,
                    cookie=cookie if cle == "page" else "",
                )
                attendre_repos(serveur)
            tours[nom].append(mesure)
            if any(m["requetes"] >= 2 * MAX_PAR_THREAD for m in mesure.values()):
                journal(f"{nom} : borne de {2 * MAX_PAR_THREAD} requêtes atteinte, débit plafonné")
            p, n, r = mesure["page"]["debit"], mesure["nue"]["debit"], mesure["reference"]["debit"]
            journal(
                f"tour {tour + 1}/{TOURS} {nom}: {p:.1f} req/s ({p / max(n, 1e-9):.1%} de la "
                f"vue nue, {p / max(r, 1e-9):.1%} de la référence), p95 "
                f"{mesure['page']['p95_us'] / 1000:.0f} ms, "
                f"{mesure['page']['erreurs']} erreurs"
            )

    def rapport(m, base):
        return m["page"]["debit"] / max(m[base]["debit"], 1e-9)

    resultat = {}
    for nom, tous in tours.items():
        # A void baseline is noise: keep the rounds where both baselines answered.
        mesures = [m for m in tous if m["nue"]["requetes"] and m["reference"]["requetes"]] or tous
        resultat[nom] = {
            "chemin": pages[nom]["chemin"],
            "session": pages[nom]["session"],
            "debit": _mediane(mesures, lambda m: m["page"]["debit"]),
            "p95_ms": _mediane(mesures, lambda m: m["page"]["p95_us"]) / 1000,
            "ratio_nue": _mediane(mesures, lambda m: rapport(m, "nue")),
            "ratio_reference": _mediane(mesures, lambda m: rapport(m, "reference")),
            "nue_debit": _mediane(mesures, lambda m: m["nue"]["debit"]),
            "nue_p95_ms": _mediane(mesures, lambda m: m["nue"]["p95_us"]) / 1000,
            "reference_debit": _mediane(mesures, lambda m: m["reference"]["debit"]),
            "reference_p95_ms": _mediane(mesures, lambda m: m["reference"]["p95_us"]) / 1000,
            "erreurs": sum(m["page"]["erreurs"] for m in tous),
            "requetes_servies": sum(m["page"]["requetes"] for m in tous),
            "tours": tous,
        }
    return resultat


def memoire(serveur, chemins, bulletin) -> dict:
    """Workers' RSS after the warm-up, after a mix of the public pages, after a bulletin."""
    rss = {"apres_chauffe": serveur.rss_mo()}
    pids = serveur.workers()
    # 2,000 requests end within seconds; wrk then holds its connections open until the duration
    # ends, and a sync worker waiting on one is killed at gunicorn's 120 s timeout: with 180 s,
    # the RSS "after the mix" was read on fresh workers. 60 s keeps the same workers.
    mix = wrk(serveur.base, chemins[0], duree=60, max_par_thread=1000, chemins=chemins)
    attendre_repos(serveur)
    rss["apres_2000_requetes"] = serveur.rss_mo()
    rss["mix_2000"] = {k: mix[k] for k in ("requetes", "erreurs")}
    rss["workers_remplaces"] = len(set(pids) - set(serveur.workers()))
    from_bulletin = []
    for _ in range(WORKERS):  # one bulletin per worker, as far as the kernel spreads them
        debut = time.perf_counter()
        try:
            statut, octets = serveur.get(bulletin)
        except urllib.error.HTTPError as erreur:  # e.g. a worker killed by gunicorn's timeout
            statut, octets = erreur.code, 0
        except OSError:
            statut, octets = 0, 0
        from_bulletin.append(
            {"statut": statut, "octets": octets, "secondes": round(time.perf_counter() - debut, 2)}
        )
    rss["apres_bulletin"] = serveur.rss_mo()
    rss["bulletins_http"] = from_bulletin
    return rss


def mesures_commandes(env) -> dict:
    sortie = manage(
        env, "bench_demographie", "--lignes", str(LIGNES_RPPS), "--region", "75", capture=True
    )
    print(sortie, end="")
    resultat = {"sortie_demographie": sortie.strip().splitlines()}
    m = re.search(r"Import RPPS : (\d+) lignes .* en ([\d.]+) s", sortie)
    resultat["rpps_lignes"], resultat["rpps_s"] = int(m[1]), float(m[2])
    bulletins = re.findall(r"Bulletin \d+ (.+?) : ([\d.]+) s \(indicateurs ([\d.]+) s\)", sortie)
    durees = {nom: float(secondes) for nom, secondes, _ in bulletins}
    resultat["bulletins_s"] = durees
    resultat["bulletin_region_s"] = float(bulletins[0][1])  # the region comes first
    resultat["bulletin_france_s"] = durees["France"]
    sortie = manage(env, "bench_creneaux", "--departement", "79", capture=True)
    print(sortie, end="")
    resultat["sortie_creneaux"] = sortie.strip()
    resultat["creneaux_ms"] = float(re.search(r"en (\d+) ms \(meilleur", sortie)[1])
    resultat |= mesure_alertes(env)
    return resultat


def mesure_alertes(env) -> dict:
    """One run of the digest job over the dataset's saved searches, all due (bench_alertes)."""
    sortie = manage(env, "bench_alertes", capture=True, timeout=ALERTES_TIMEOUT_S)
    print(sortie, end="")
    m = re.search(
        r"(\d+) alertes dues .* un passage en ([\d.]+) s, (\d+) alertes/s ; .* "
        r"([\d.]+) par alerte",
        sortie,
    )
    return {
        "sortie_alertes": sortie.strip(),
        "alertes": int(m[1]),
        "alertes_s": float(m[2]),
        "alertes_par_s": int(m[3]),
        "alertes_requetes_par_alerte": float(m[4]),
    }


def conditions() -> dict:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=RACINE, text=True, capture_output=True
    ).stdout.strip()
    etat = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=RACINE,
        text=True,
        capture_output=True,
    ).stdout.strip()
    propre = not etat
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": commit + ("" if propre else "+modifications"),
        "echelle": ECHELLE,
        "tours": TOURS,
        "secondes_par_mesure": DUREE,
        "connexions": CONNEXIONS,
        "workers": WORKERS,
        "coeurs": os.cpu_count(),
        "charge_systeme": os.getloadavg(),
        "python": platform.python_version(),
        "wrk": subprocess.run(["wrk", "-v"], text=True, capture_output=True).stdout.split("\n")[0],
    }


def statiques_perimes() -> bool:
    """collectstatic (several minutes on a busy machine) only when a source is newer."""
    manifeste = RACINE / ".data" / "staticfiles" / "staticfiles.json"
    if not manifeste.exists():
        return True
    sources = [RACINE / "requirements-dev.lock", *(RACINE / "static").rglob("*")]
    return any(f.stat().st_mtime > manifeste.stat().st_mtime for f in sources)


def installer_wrk():
    if shutil.which("wrk"):
        return
    sys.exit("wrk est requis : sudo apt-get install wrk (make bench l'installe s'il le peut).")


def _construire_bases(serveur_pg) -> tuple[dict, dict]:
    """The demo and national databases, built if needed: their environments and build times."""
    bases = {"demo": "guichet_bench_demo", "national": f"guichet_bench_{ECHELLE}"}
    envs, construction = {}, {}
    if statiques_perimes():
        journal("collectstatic")
        manage(environnement(serveur_pg, bases["demo"]), "collectstatic", "--noinput", "-v", "0")
    for cle, nom in bases.items():
        creer_base(serveur_pg, nom)
        envs[cle] = environnement(serveur_pg, nom)
        journal(f"base {nom} : construction")
        construction[cle] = round(construire(envs[cle], national=cle == "national"), 1)
        journal(f"base {nom} prête en {construction[cle]:.0f} s")
    return envs, construction


def _pages(envs) -> tuple[dict, dict, dict]:
    """SQL counts at both scales, the pages to load (one per public pattern, then the signed-in
    ones) and the sessions' cookies; exits when a public pattern is left unclassified."""
    requetes = {
        cle: json.loads(manage(env, "bench_requetes", capture=True).splitlines()[-1])
        for cle, env in envs.items()
    }
    a_classer = {
        f"{cle} {route}": v
        for cle, r in requetes.items()
        for route, v in r["classes"]["a_classer"].items()
    }
    if a_classer:  # a public pattern the bench can neither fill nor was told to leave out
        lignes = [f"  {k} ({v['nom']}) : {v['raison']}" for k, v in a_classer.items()]
        sys.exit(
            "Motifs d'URL à classer (benchmarks/pages.py : EXCLUES ou parametres()) :\n"
            + "\n".join(lignes)
        )
    nationales = requetes["national"]
    pages = {
        cle: {"chemin": p["chemin"], "session": None}
        for cle, p in nationales["classes"]["mesurees"].items()
    }
    pages |= {
        nom: {"chemin": p["chemin"], "session": p["session"]}
        for nom, p in nationales["signees"].items()
    }
    cookies = nationales.pop("cookies")  # never written to the results
    requetes["demo"].pop("cookies")
    return requetes, pages, cookies


def _bulletin(env) -> str:
    """The address of the latest regional bulletin, rendered first as the job would."""
    derniere = (
        "from demographie.models import Effectif; print(Effectif.objects.order_by"
        "('-annee').values_list('annee', flat=True).first())"
    )
    annee = int(manage(env, "shell", "-c", derniere, capture=True).split()[-1])
    bulletin = f"/demographie/bulletin/{annee}/region/75.pdf"
    # A bulletin is rendered by the scheduled job, never for an anonymous request: render the
    # region's edition first, as the job would, so the HTTP request serves the stored file.
    edition = (
        "from demographie import services; from demographie.territoires import trouver; "
        f"b = services.bulletin_pour(territoire=trouver('region', '75'), annee={annee}); "
        "services.bulletin_actualiser_edition(bulletin=b)"
    )
    manage(env, "shell", "-c", edition)
    return bulletin


def _charge_et_memoire(env, pages, cookies, bulletin) -> tuple[dict, dict]:
    """Every page warmed up (and checked to answer 200), then loaded; then the workers' memory."""
    serveur = Serveur(env)
    try:
        bases = {
            "nue": {"chemin": NUE, "session": None},
            "reference": {"chemin": REFERENCE, "session": None},
        }
        for nom, page in {**bases, **pages}.items():
            for _ in range(WORKERS * 2):  # warm-up, and every page must answer 200
                statut, _ = serveur.get(page["chemin"], cookies.get(page["session"], ""))
                if statut != 200:
                    raise RuntimeError(f"{nom} ({page['chemin']}) répond {statut}")
        attendre_repos(serveur)
        journal(f"chauffe terminée, mesures de charge de {len(pages)} pages")
        resultats_charge = charge(serveur, pages, cookies)
        publiques = [p["chemin"] for p in pages.values() if p["session"] is None]
        rss = memoire(serveur, publiques, bulletin)
    finally:
        serveur.arreter()
    return resultats_charge, rss


def _commandes(env) -> dict:
    """The import, bulletin and slot measures, or the error that stopped them."""
    commandes = {}
    if os.environ.get("BENCH_COMMANDS", "1") != "0":
        try:
            commandes = mesures_commandes(env)
        except (
            subprocess.CalledProcessError,
            subprocess.TimeoutExpired,
            TypeError,
            IndexError,
        ) as erreur:
            # The load figures are kept: a failing measurement command is reported, not fatal.
            journal(f"mesures par commande en échec : {erreur}")
            commandes = {"erreur": str(erreur)}
    return commandes


def main():
    installer_wrk()
    RESULTATS.mkdir(parents=True, exist_ok=True)
    debut_total = time.perf_counter()
    envs, construction = _construire_bases(url_serveur())
    requetes, pages, cookies = _pages(envs)
    bulletin = _bulletin(envs["national"])
    cond = conditions()
    resultats_charge, rss = _charge_et_memoire(envs["national"], pages, cookies, bulletin)
    commandes = _commandes(envs["national"])
    cond["charge_systeme_fin"] = os.getloadavg()
    rapport = {
        "conditions": cond,
        "construction_s": construction,
        "pages": pages,
        "bulletin": bulletin,
        "requetes_sql": requetes,
        "charge": resultats_charge,
        "memoire_mo": rss,
        "commandes": commandes,
        "cibles": CIBLES,
        "duree_totale_s": round(time.perf_counter() - debut_total),
    }
    ecrire(rapport)


def ecrire(rapport):
    from benchmarks.rapport import markdown

    c = rapport["conditions"]
    nom = f"{c['date'][:16].replace(':', '')}-{c['echelle']}"
    (RESULTATS / f"{nom}.json").write_text(json.dumps(rapport, indent=1, ensure_ascii=False))
    texte = markdown(rapport)
    (RESULTATS / f"{nom}.md").write_text(texte)
    print(texte)
    journal(f"résultats : benchmarks/results/{nom}.md et .json")


if __name__ == "__main__":
    main()
