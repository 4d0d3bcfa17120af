"""Whole anonymous pages kept in the cache, keyed on the request and the content version.

``CachePagesMiddleware`` sits right after whitenoise (MIDDLEWARE): a hit skips sessions, CSRF,
authentication, messages, CSP, allauth and the view, and costs the one query that reads the
content version. The middleware outside it (hygiene, security) still runs on a hit, and the
headers the inner ones set (CSP, X-Frame-Options...) are stored with the page.

What is served from the cache: GET and HEAD requests carrying no cookie but the CSRF one (a
session, messages, the project pre-fill cookie or any other cookie: rendered as usual, never
stored) and no ``Authorization`` header — an anonymous reader with nothing of their own.

What is stored, checked on the rendered answer rather than declared: a 200 (a streamed one,
a document or a ZIP, is read whole first when it is small enough, else left streaming), under
``TAILLE_MAX`` bytes (up to ``TAILLE_MAX_GRANDE`` for an address without a query string,
the open-data exports: kept apart in the ``pages_grandes`` cache, a few entries), that sets no
cookie (but the CSRF one, see below, and those registered by ``cookie_renouvele``: the
simulator's project, renewed on each hit), used no CSP nonce, varies on
nothing but ``Cookie``, ``Accept-Encoding`` or ``Accept-Language`` (one language), is neither
private nor ``no-store``, and whose SQL, while it was rendered:
- read only tables whose every write bumps the content version (``_tables_couvertes()``: the
  tables with a content-version trigger) — a page reading anything else (the referents'
  agendas of the slot list, the opportunities...) is rendered on every request;
- wrote nothing (the anonymous usage counts it added, ``guichet.cumuls``, are kept with the
  page and added again on every hit, in memory: a page served from the cache is counted like a
  rendered one and writes nothing);
- compared no column with the clock (a ``datetime`` parameter: "upcoming events"): such a page
  is kept ``DUREE_HORLOGE`` seconds only.
A form that POSTs (sign-in, question...) carries the visitor's own CSRF token: the page is
kept with every token replaced by ``MARQUE`` (each 64-character word of the page that unmasks
to the visitor's secret), and each hit puts back a token of its own reader — read from their
CSRF cookie, or a new secret sent in a new cookie, exactly as ``CsrfViewMiddleware`` does. Such
a page is ``private`` and has no ``ETag``: its bytes differ for every reader. allauth's form
pages say ``never_cache`` for their token's sake only: those listed in
``settings.CACHE_PAGES_FORMULAIRES`` are kept all the same (their ``no-store`` is served).
A view can still opt out (``@sans_cache_page(raison)``), set its own duration
(``@cache_page_duree(secondes)``) or bound one answer's (``garder_au_plus(reponse, secondes)``).

The key: scheme, host, path, the query string sorted by parameter name, the content version
(``_version()``) and today's date (an aid closed since yesterday shows closed without a write).
Every kept page gets an ``ETag`` and ``Cache-Control: public, no-cache`` (``private`` when it
sets a cookie) with ``Vary: Cookie``
(a browser or proxy keeps it and asks again: ``If-None-Match`` answers 304).

The store is the ``pages`` cache of CACHES: Django's local-memory backend in each process,
bounded by ``MAX_ENTRIES``. Every request reads the version, so a write the database has seen
is seen on the next request of every server.
"""

import datetime
import hashlib
import itertools
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from guichet import cumuls
from guichet.models import VersionContenu
from guichet.versions import HORS_PAGES, version_globale

ALIAS = "pages"
ALIAS_GRANDES = "pages_grandes"  # answers over TAILLE_MAX: a few, at addresses without a query
TAILLE_MAX = 1024 * 1024  # bytes
TAILLE_MAX_GRANDE = 16 * 1024 * 1024  # bytes: an open-data export of every aid or post
MARQUE = b"\x00jeton-csrf\x00"  # stands for the reader's CSRF token in a kept page
_MOT_64 = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
DUREE = 60 * 60 * 24  # seconds: the day in the key ends it anyway
DUREE_HORLOGE = 60  # seconds, for a page whose SQL compared with the current time
VARY_PERMIS = {"cookie", "accept-encoding", "accept-language"}
ENTETES_EXCLUS = {"set-cookie", "content-length"}
ENTETE_STATUT = "X-Cache-Page"  # "hit" or "miss": tests, the bench, a curious operator

_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_]\w*)"?', re.IGNORECASE)
# A name a WITH clause gives its subquery ("cles AS (SELECT ...)"): read FROM it, not a table.
_CTE = re.compile(r'\b"?([A-Za-z_]\w*)"?\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(', re.I)
# A statement that only reads: SELECT, WITH (no write inside), savepoints of atomic blocks.
_LECTURE = re.compile(r"^[\s(]*(?:SELECT|WITH|SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO)\b", re.I)
_VERROU = re.compile(r"\b(?:INSERT|UPDATE|DELETE|nextval|setval)\b", re.IGNORECASE)
_couvertes: set[str] = set()
# Django's own CSRF middleware, for the cookie and token of a hit (it reads the settings on each
# call: one instance serves every request).
_CSRF = CsrfViewMiddleware(lambda request: None)
_RENOUVELES: dict[str, Callable[[str], str]] = {}


def sans_cache_page(raison: str):
    """Mark a view whose anonymous page is never kept whole, for the reason given."""

    def decorateur(vue):
        vue.cache_page, vue.cache_page_raison = None, raison
        return vue

    return decorateur


def cache_page_duree(secondes: int):
    """Keep the view's anonymous page at most this long (it depends on the clock)."""

    def decorateur(vue):
        vue.cache_page = secondes
        return vue

    return decorateur


def garder_au_plus(reponse, secondes: float):
    """Keep this answer at most ``secondes`` (0 or less: not at all), for a page whose content
    expires with the clock (the slot list: the first slot listed leaves the booking window)."""
    reponse.cache_page_au_plus = int(secondes)
    return reponse


def cookie_renouvele(nom: str, renouveler: Callable[[str], str]) -> None:
    """Let a page that sets the cookie ``nom`` be kept: the cookie's value must depend on the
    URL alone (the same for every anonymous reader); it is kept with the page and each hit
    sends ``renouveler(valeur)`` (a fresh signature) with the same attributes."""
    _RENOUVELES[nom] = renouveler


def _cookies(reponse) -> list[tuple]:
    return [(nom, m.value, {"max_age": int(m["max-age"]) if m["max-age"] else None,
                            "path": m["path"] or "/", "domain": m["domain"] or None,
                            "secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                            "samesite": m["samesite"] or None})
            for nom, m in reponse.cookies.items()]  # fmt: skip


def _version() -> str:
    """The version of all the content the pages show, in one query (guichet.versions)."""
    return str(version_globale())


def _tables_couvertes() -> set[str]:
    """The tables whose every write (admin, bulk update, raw SQL) bumps ``_version()``: those
    with a content-version trigger of a page's area, read from the catalogue once per process."""
    if not _couvertes:
        with connection.cursor() as curseur:
            curseur.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'guichet_version_contenu'"
                " AND NOT encode(t.tgargs, 'escape') = ANY (%s)",  # one argument: the zone
                [[f"{zone}\\000" for zone in HORS_PAGES]],
            )
            _couvertes.update(nom for (nom,) in curseur.fetchall())
            _couvertes.add(VersionContenu._meta.db_table)
    return _couvertes


def _eligible(request) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    # The health check reads the database itself; the admin and files are never public pages.
    if request.path.startswith(("/healthz", "/" + settings.ADMIN_URL, settings.MEDIA_URL)):
        return False
    return set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}


def _cle(request) -> str:
    parametres = sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True),
                        key=lambda p: p[0])  # fmt: skip
    brute = "\n".join((
        "https" if request.is_secure() else "http", request.get_host(), request.path,
        urlencode(parametres), _version(), timezone.localdate().isoformat(),
    ))  # fmt: skip
    return "page:" + hashlib.sha256(brute.encode()).hexdigest()


class _Releve:
    """What the SQL of one rendering read and wrote (``connection.execute_wrapper``)."""

    def __init__(self):
        self.lues: set[str] = set()
        self.ecrit = self.horloge = False

    def __call__(self, execute, sql, params, many, context):
        if _LECTURE.match(sql) is None or _VERROU.search(sql):  # a write, a lock, a sequence
            self.ecrit = self.ecrit or sql[:80]
        sous_requetes = set(_CTE.findall(sql)) if "WITH" in sql.upper() else set()
        self.lues.update(
            t for t in _TABLE.findall(sql) if not t.isdigit() and t not in sous_requetes
        )
        self.horloge = self.horloge or any(
            isinstance(p, datetime.datetime) for p in (params or ()) if not many
        )
        return execute(sql, params, many, context)


def _lu_en_entier(reponse, limite: int):
    """A streamed answer (a file of the storage, a ZIP built on the fly) read whole when it ends
    within ``limite`` bytes: an ``HttpResponse`` with the same headers, which can be kept. A
    longer one is given back streaming, its first blocks put in front of the rest."""
    blocs, taille, flux = [], 0, iter(reponse.streaming_content)
    for bloc in flux:
        blocs.append(bloc)
        taille += len(bloc)
        if taille > limite:
            reponse.streaming_content = itertools.chain(blocs, flux)
            return reponse
    entiere = HttpResponse(b"".join(blocs), status=reponse.status_code)
    for nom, valeur in reponse.items():
        entiere[nom] = valeur
    entiere.cookies = reponse.cookies
    # The storage's file (not ``reponse.close()``: that signals the end of the request).
    if (fichier := getattr(reponse, "file_to_stream", None)) is not None:
        fichier.close()
    return entiere


def _taille_admise(request, reponse) -> bool:
    taille = len(reponse.content)
    if taille <= TAILLE_MAX:
        return True
    grande = not request.META.get("QUERY_STRING") and ALIAS_GRANDES in settings.CACHES
    return grande and taille <= TAILLE_MAX_GRANDE


def _duree(request, reponse, releve) -> tuple[int | None, str]:
    """Seconds to keep the page (None: not kept) and why (``reponse.cache_page``, for tests)."""
    if reponse.status_code != 200 or reponse.streaming:
        return None, f"HTTP {reponse.status_code}" + (" (flux)" if reponse.streaming else "")
    if autres := set(reponse.cookies) - set(_RENOUVELES) - {settings.CSRF_COOKIE_NAME}:
        return None, "cookie : " + ", ".join(sorted(autres))
    if getattr(request, "_csp_nonce", None):
        return None, "nonce CSP"
    controle = reponse.get("Cache-Control", "").lower()
    nom = getattr(getattr(request, "resolver_match", None), "view_name", None)
    formulaire = nom in settings.CACHE_PAGES_FORMULAIRES
    if any(mot in controle for mot in ("private", "no-store", "no-cache")) and not formulaire:
        return None, f"Cache-Control: {controle}"
    vary = {v.strip().lower() for v in reponse.get("Vary", "").split(",") if v.strip()}
    if not vary <= VARY_PERMIS or not _taille_admise(request, reponse):
        return None, f"Vary: {', '.join(sorted(vary))} ou plus de {TAILLE_MAX} octets"
    vue = getattr(getattr(request, "resolver_match", None), "func", None)
    for cible in (vue, getattr(vue, "view_class", None)):
        if cible is not None and hasattr(cible, "cache_page"):
            return cible.cache_page, getattr(cible, "cache_page_raison", "déclarée par la vue")
    if releve.ecrit:
        return None, f"la page a écrit en base : {releve.ecrit}"
    if hors := releve.lues - _tables_couvertes():
        return None, "tables hors de la version du contenu : " + ", ".join(sorted(hors))
    duree, raison = (DUREE_HORLOGE, "comparée à l'heure") if releve.horloge else (DUREE, "")
    au_plus = getattr(reponse, "cache_page_au_plus", None)
    if au_plus is not None and au_plus < duree:
        duree, raison = au_plus, f"gardée {au_plus} s au plus (déclaré par la vue)"
    return (duree if duree > 0 else None), raison


def _sans_jeton(request, contenu: bytes) -> bytes:
    """The page with each CSRF token of its reader (a 64-character word that unmasks to their
    secret) replaced by ``MARQUE``: what is kept holds nobody's token."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return contenu

    def remplacer(mot):
        return MARQUE if _unmask_cipher_token(mot[0].decode()) == secret else mot[0]

    return _MOT_64.sub(remplacer, contenu)


def _conditionnel(request, reponse):
    etag = reponse.get("ETag")
    if etag and etag in request.headers.get("If-None-Match", ""):
        court = HttpResponseNotModified()
        for entete in ("ETag", "Cache-Control", "Vary", ENTETE_STATUT):
            court[entete] = reponse[entete]
        court.cookies = reponse.cookies
        return court
    return reponse


def _servir(request, entree):
    contenu, entetes, ajouts, cookies = entree
    for nom, cle, n in ajouts:
        cumuls.ajouter(nom, cle, n)
    csrf = None
    if MARQUE in contenu:  # the reader's own token, as CsrfViewMiddleware gives it
        csrf = _CSRF
        csrf.process_request(request)
        contenu = contenu.replace(MARQUE, get_token(request).encode())
    reponse = HttpResponse(contenu)
    for nom, valeur in entetes:
        reponse[nom] = valeur
    # As CommonMiddleware gives a rendered page (skipped on a hit): without it, the server
    # sends the body in chunks.
    reponse["Content-Length"] = str(len(contenu))
    for nom, valeur, attributs in cookies:
        reponse.set_cookie(nom, _RENOUVELES[nom](valeur), **attributs)
    if csrf is not None:
        csrf.process_response(request, reponse)
    reponse[ENTETE_STATUT] = "hit"
    return _conditionnel(request, reponse)


def _garder(request, cle, reponse, ajouts, duree) -> None:
    """Store the rendered answer (its reader's CSRF token taken out) and mark its headers."""
    contenu = _sans_jeton(request, reponse.content)
    if MARQUE in contenu:  # bytes that differ for every reader: no ETag, no shared cache
        if "no-store" not in reponse.get("Cache-Control", ""):
            reponse["Cache-Control"] = "private, no-cache"
    else:  # a view's own validator and lifetime (a stored bulletin's) are kept
        if not reponse.has_header("ETag"):
            reponse["ETag"] = '"' + hashlib.sha256(contenu).hexdigest()[:32] + '"'
        # A page that sets a cookie is kept by the browser only, never by a shared proxy.
        prive = set(reponse.cookies) - {settings.CSRF_COOKIE_NAME}
        if prive or not reponse.has_header("Cache-Control"):
            reponse["Cache-Control"] = ("private" if prive else "public") + ", no-cache"
    patch_vary_headers(reponse, ["Cookie"])
    entetes = [(n, v) for n, v in reponse.items() if n.lower() not in ENTETES_EXCLUS]
    cookies = [c for c in _cookies(reponse) if c[0] != settings.CSRF_COOKIE_NAME]
    alias = ALIAS if len(contenu) <= TAILLE_MAX else ALIAS_GRANDES
    caches[alias].set(cle, (contenu, entetes, ajouts, cookies), duree)


@receiver(setting_changed)
def _reglage_change(**kwargs):
    """A setting changed (tests: a deployment restarts the processes): pages rendered under
    the old value are forgotten."""
    for alias in (ALIAS, ALIAS_GRANDES):
        if alias in settings.CACHES:
            caches[alias].clear()


class CachePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        cle = _cle(request)
        entree = caches[ALIAS].get(cle)
        if entree is None and not request.META.get("QUERY_STRING"):
            entree = caches[ALIAS_GRANDES].get(cle) if ALIAS_GRANDES in settings.CACHES else None
        if entree is not None:
            return _servir(request, entree)
        releve = _Releve()
        with connection.execute_wrapper(releve), cumuls.releve() as ajouts:
            reponse = self.get_response(request)
            if reponse.streaming and reponse.status_code == 200:
                grande = not request.META.get("QUERY_STRING")
                reponse = _lu_en_entier(reponse, TAILLE_MAX_GRANDE if grande else TAILLE_MAX)
        duree, reponse.cache_page = _duree(request, reponse, releve)
        if duree is None:
            return reponse
        _garder(request, cle, reponse, ajouts, duree)
        reponse[ENTETE_STATUT] = "miss"
        return _conditionnel(request, reponse)
