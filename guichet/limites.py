"""Rate limits on public forms, per real client address and per e-mail (django-ratelimit).

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, the client address is the one the outermost
trusted proxy saw: the N-th entry from the right of ``X-Forwarded-For``. Entries further left
were written by the client and are never trusted. allauth reads the same setting.
"""

import functools
import ipaddress

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def adresse_client(request) -> str:
    """The client's IP address as seen by the first trusted proxy (or the socket's peer)."""
    distante = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    proxys = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxys <= 0:
        return distante
    entetes = request.META.get("HTTP_X_FORWARDED_FOR", "")
    adresses = [a.strip() for a in entetes.split(",") if a.strip()]
    if len(adresses) < proxys:
        return distante
    candidate = adresses[-proxys]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return distante


def limite_atteinte(
    request,
    groupe: str,
    *,
    par_adresse: str,
    courriel: str | None = None,
    par_courriel: str | None = None,
    compte=None,
    par_compte: str | None = None,
) -> bool:
    """Count one attempt of ``groupe`` and say whether a limit is exceeded.

    Rates are django-ratelimit's ("5/m", "20/h"); several, comma-separated ("6/h,20/d"), all
    apply. ``courriel`` is an e-mail typed in a public form: anyone can type anyone's, so its
    counter is kept per (address, e-mail) — a third party spends their own quota, never the
    owner's (a bound per e-mail that nobody else can spend lives with the data it protects,
    e.g. the cap on a person's future meetings). ``compte`` is the logged-in account, which
    only its owner drives: counted alone. The e-mail is normalised (case, spaces).
    """
    depasse = _depasse(request, f"{groupe}:ip", lambda _g, r: adresse_client(r), par_adresse)
    if courriel and par_courriel:
        cle = f"{adresse_client(request)}|{courriel.strip().lower()}"
        depasse |= _depasse(request, f"{groupe}:courriel", lambda _g, _r: cle, par_courriel)
    if compte is not None and par_compte:
        cle = str(compte.pk)
        depasse |= _depasse(request, f"{groupe}:compte", lambda _g, _r: cle, par_compte)
    return depasse


def _depasse(request, groupe, cle, taux: str) -> bool:
    depasse = False
    for rate in (t.strip() for t in taux.split(",") if t.strip()):
        depasse |= is_ratelimited(
            request, group=f"{groupe}:{rate}", key=cle, rate=rate, increment=True
        )
    return depasse


def reponse_trop_de_tentatives(request):
    """The 429 page, in French, with what to do next."""
    return render(request, "429.html", status=429)


def limiter(groupe: str, *, par_adresse: str, par_compte: str | None = None, methodes=("POST",)):
    """View decorator: a 429 page once the address (or the logged-in account) exceeds its rate.

    For writes and costly answers of the public (saving a simulation, a plan, a PDF).
    """

    def decorateur(vue):
        @functools.wraps(vue)
        def enveloppe(request, *args, **kwargs):
            if request.method in methodes:
                user = getattr(request, "user", None)
                compte = user if user is not None and user.is_authenticated else None
                if limite_atteinte(
                    request, groupe, par_adresse=par_adresse, compte=compte, par_compte=par_compte
                ):
                    return reponse_trop_de_tentatives(request)
            return vue(request, *args, **kwargs)

        return enveloppe

    return decorateur
