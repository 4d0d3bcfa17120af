import pytest
from django.core.exceptions import ImproperlyConfigured

from guichet import env


@pytest.mark.django_db
def test_en_tetes_de_securite(client, pages_editoriales):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    # Every script of the page is a file served by the portal itself: no inline script.
    html = response.content.decode()
    assert html.count("<script") == html.count('<script type="module"\n        src="/static/') + (
        html.count('<script nomodule\n        src="/static/') + html.count('<script src="/static/')
    )
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_reglages_de_production_par_defaut(settings):
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.DSFR_USE_INTEGRITY_CHECKSUMS is False
    assert settings.DSFR_CONTENT_IS_SAFE is False
    assert settings.LANGUAGE_CODE == "fr-fr" and settings.TIME_ZONE == "Europe/Paris"
    assert settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.dummy.DummyCache"


@pytest.mark.parametrize("valeur", ["peut-être", "2"])
def test_booleen_invalide_refuse(monkeypatch, valeur):
    monkeypatch.setenv("X_BOOL", valeur)
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env.env_bool("X_BOOL")


def test_entier_invalide_refuse(monkeypatch):
    monkeypatch.setenv("X_INT", "douze")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env.env_int("X_INT", 3)


def test_secret_obligatoire_en_production(monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_SECRET"):
        env.env_secret("X_SECRET", required=True, dev_default="dev")
    assert env.env_secret("X_SECRET", required=False, dev_default="dev") == "dev"


def test_listes_et_valeurs(monkeypatch):
    monkeypatch.setenv("X_LISTE", " a.fr, b.fr ,,")
    monkeypatch.setenv("X_OUI", "oui")
    assert env.env_list("X_LISTE") == ["a.fr", "b.fr"]
    assert env.env_bool("X_OUI") is True
