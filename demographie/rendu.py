"""The territory pages' content, kept per demography content version and day (guichet.cache).

A territory page shows only published statistics: the headcounts' summary, populations,
sources, the 2016 Pacte figures and the territories, all tables whose writes bump the
"demographie" counter (migration demographie 0004). Its content is rendered without the
request (no CSRF token, no CSP nonce, nothing of the user), once per territory, year and
profession after each import; every worker keeps at most the budget of
"demographie.territoires" in settings.MEMOIRE_PROCESSUS (50–240 kB of HTML each: 120 pages,
~50 MB, hold France, the 18 régions and 101 départements for the default year and profession).
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from demographie import rapport as rapports
from demographie.forms import CHOIX_PROFESSIONS
from demographie.territoires import Territoire
from guichet.cache import Fragments


def page_territoire(
    trouver, niveau: str, code: str, annee: int | None, profession: str | None
) -> dict:
    """The page's context: its content, title and breadcrumb. ``trouver(niveau, code)`` gives
    the territory (or raises Http404) and is only called when the page is not kept."""
    pages = Fragments.pour("demographie").espace("demographie.territoires")
    cle = (niveau, code, annee, profession)
    page = pages.get(cle)
    if page is None:
        page = _construire(trouver(niveau, code), annee, profession)
        pages.set(cle, page)
    return page


def _construire(t: Territoire, annee, profession) -> dict:
    rapport = rapports.construire(t, annee=annee, profession=profession)
    fil = [{"titre": "Démographie", "url": reverse("demographie:accueil")}]
    fil += [
        {"titre": p.nom, "url": f"{p.get_absolute_url()}?profession={rapport.profession}"}
        for p in reversed(t.chaine()[1:])
    ]
    contexte = {
        "rapport": rapport,
        "annees": list(reversed(rapport.profil.annees)),
        "professions": CHOIX_PROFESSIONS,
        "url_csv": f"{t.url_csv()}?annee={rapport.annee}&profession={rapport.profession}",
        "url_bulletin": t.url_bulletin(rapport.annee) if rapport.annee else "",
    }
    contenu = render_to_string("demographie/_territoire.html", contexte)
    return {
        "contenu": mark_safe(contenu),  # noqa: S308 - rendered and escaped by the template engine
        "nom": t.nom,
        "annee": rapport.annee,
        "fil": fil,
    }
