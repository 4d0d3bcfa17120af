"""Account safety: staff MFA, login throttling without lock-out, no enumeration, hostile URLs.

- ``MFAObligatoireMiddleware``: a staff user without an authenticator app is sent to enrol
  before any other page (the admin included); only enrolment, logout and static files answer.
- ``CodeMFA`` forms: wrong second-step codes are counted per (account, address) too, so five
  wrong codes typed elsewhere do not lock the owner out of the second step.
- ``fermer_les_autres_sessions``: a changed, set or reset password ends the account's other
  sessions (a thief's session does not outlive the change); the current one goes on.
- ``AdaptateurCompte``: failed logins are counted per address and per (account, address) pair,
  with longer pauses as failures repeat, so nobody can lock an account from elsewhere; a signup
  with an e-mail that already has an account hashes the password as a new signup would; account
  e-mails name the portal and link to it by SITE_URL (never the request's host nor a Site row
  written at another migrate); staff land on the Espace ARS after login.
- ``RequeteHostileMiddleware``: a NUL byte or invalid UTF-8 in the path or query string is
  refused with a 400 before any view runs (views validate their parameters too).
- ``HygieneMiddleware`` (outermost): a ``Permissions-Policy`` on every response; methods other
  than GET, HEAD and POST (TRACE...) get 405 on every URL; a declared body above the limit of
  its URL (``REQUETE_TAILLE_MAX``, the administration's ``REQUETE_TAILLE_MAX_GESTION``) gets
  413 before anything reads it.
- ``AuditMiddleware``: django-auditlog's middleware with the real client address.
"""

from types import SimpleNamespace
from urllib.parse import unquote_to_bytes, urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as adaptateur_compte
from allauth.core import context, ratelimit
from allauth.mfa.adapter import get_adapter as adaptateur_mfa
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve

from guichet.limites import adresse_client

# URL names a staff user without MFA may still reach: enrolment, logout, e-mail confirmation.
NOMS_SANS_MFA = {
    "account_logout",
    "account_login",
    "account_reauthenticate",
    "account_confirm_email",
    "account_email_verification_sent",
}
PREFIXES_SANS_MFA = ("mfa_",)


def _prefixes_statiques() -> tuple[str, ...]:
    return tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p) + ("/healthz",)


def doit_activer_mfa(user) -> bool:
    return bool(user.is_authenticated and user.is_staff and not is_mfa_enabled(user))


class MFAObligatoireMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and doit_activer_mfa(user) and not self._exempte(request.path_info):
            messages.warning(
                request,
                "Les comptes de gestion sont protégés par une double authentification : "
                "activez une application d'authentification pour continuer.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _exempte(chemin: str) -> bool:
        if chemin.startswith(_prefixes_statiques()):
            return True
        try:
            nom = resolve(chemin).url_name or ""
        except Resolver404:
            return True  # the 404 page shows nothing of the back-office
        return nom in NOMS_SANS_MFA or nom.startswith(PREFIXES_SANS_MFA)


def _hostile(brut: str) -> bool:
    octets = unquote_to_bytes(brut)
    if b"\x00" in octets:
        return True
    try:
        octets.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


class RequeteHostileMiddleware:
    """A safety net: the views validate their parameters too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chemin = request.META.get("PATH_INFO", "")
        requete = request.META.get("QUERY_STRING", "")
        if "\x00" in chemin or _hostile(requete.replace("+", " ")):
            return HttpResponseBadRequest(
                "Adresse invalide : elle contient des caractères non autorisés.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


METHODES_ADMISES = frozenset({"GET", "HEAD", "POST"})


class HygieneMiddleware:
    """First of the chain, so that its own answers carry the header too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._refus(request) or self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    def _refus(self, request):
        if request.method not in METHODES_ADMISES:
            response = HttpResponseNotAllowed(
                sorted(METHODES_ADMISES),
                "Méthode non autorisée.",
                content_type="text/plain; charset=utf-8",
            )
        else:
            taille = request.META.get("CONTENT_LENGTH") or "0"
            if not taille.isdigit():
                response = HttpResponseBadRequest(
                    "Requête invalide : longueur du corps illisible.",
                    content_type="text/plain; charset=utf-8",
                )
            elif int(taille) > self._taille_max(request.path_info):
                response = HttpResponse(
                    "Requête trop volumineuse.",
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
            else:
                return None
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @staticmethod
    def _taille_max(chemin: str) -> int:
        if chemin.startswith(f"/{settings.ADMIN_URL}"):
            return settings.REQUETE_TAILLE_MAX_GESTION
        return settings.REQUETE_TAILLE_MAX


class AuditMiddleware(AuditlogMiddleware):
    """auditlog trusts the first X-Forwarded-For entry, which the client writes: not here."""

    @staticmethod
    def _get_remote_addr(request):
        return adresse_client(request)


def sur_le_site(url: str) -> str:
    """``url`` with SITE_URL's scheme and host: links in e-mails lead to the real portal."""
    site = urlsplit(settings.SITE_URL)
    lien = urlsplit(url)
    return urlunsplit((site.scheme, site.netloc, lien.path, lien.query, lien.fragment))


class AdaptateurCompte(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failures per account only, which lets anyone lock an account out from
        # anywhere. Counting per (account, address) confines the pause to the guessing client;
        # the "ip" rates cap each address over every account.
        cle = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{cle}:{adresse_client(request)}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        site = urlsplit(settings.SITE_URL)
        contexte = {
            **context,
            "current_site": SimpleNamespace(domain=site.netloc, name=settings.PORTAIL_NOM),
            "site_url": settings.SITE_URL,
        }
        for cle, valeur in context.items():
            if cle.endswith("_url") and isinstance(valeur, str) and "://" in valeur:
                contexte[cle] = sur_le_site(valeur)
        super().send_mail(template_prefix, email, contexte)

    def get_login_redirect_url(self, request) -> str:
        if request.user.is_staff:  # agents and referents: their workspace, not "Mon compte"
            return resolve_url(settings.LOGIN_REDIRECT_URL_EQUIPE)
        return super().get_login_redirect_url(request)

    def send_account_already_exists_mail(self, email: str) -> None:
        # A new signup hashes the password (hundreds of milliseconds): do the same work here so
        # the answer's timing does not tell whether the e-mail has an account.
        requete = context.request
        mot_de_passe = requete.POST.get("password1", "") if requete is not None else ""
        make_password(mot_de_passe or "mot-de-passe-factice")
        super().send_account_already_exists_mail(email)


class _CodeParAdresse:
    """allauth counts wrong codes per account only (``mfa-auth-user-<pk>``): anyone who knows
    the password, or a stolen session half-way through the login, could lock the owner out of
    the second step. As at the password step, the failures are keyed on (account, address); the
    "ip" rates of ``login_failed`` still cap each address over every account. Same checks as
    allauth's ``BaseAuthenticateForm.clean_code`` otherwise (TOTP, then recovery codes).
    """

    def clean_code(self) -> str:
        requete = context.request
        cle = f"mfa-auth-user-{self.user.pk}:{adresse_client(requete)}"
        if not ratelimit.consume(requete, action="login_failed", key=cle):
            raise adaptateur_compte().validation_error("too_many_login_attempts")
        code = self.cleaned_data["code"]
        principal = None
        for auth in Authenticator.objects.filter(user=self.user).exclude(
            type=Authenticator.Type.WEBAUTHN
        ):
            if principal is None or auth.type == Authenticator.Type.TOTP:
                principal = auth
            if auth.wrap().validate_code(code):
                auth.user = self.user
                self.authenticator = auth
                ratelimit.clear(requete, action="login_failed", key=cle)
                return code
        if principal is not None:
            self._emit_authentication_failed(principal)
        raise adaptateur_mfa().validation_error("incorrect_code")


class CodeMFA(_CodeParAdresse, AuthenticateForm):
    pass


class CodeMFAReauthentification(_CodeParAdresse, ReauthenticateForm):
    pass


def fermer_les_autres_sessions(sender=None, request=None, user=None, **kwargs) -> None:
    """End every session of ``user`` but the request's own (allauth's password signals).

    Django would refuse the other sessions at their next request (the session hash changes
    with the password); ending them also removes them from "Mes sessions" and from the store.
    """
    from allauth.usersessions.models import UserSession

    courante = getattr(getattr(request, "session", None), "session_key", None)
    for session in UserSession.objects.filter(user=user).exclude(session_key=courante):
        session.end()
