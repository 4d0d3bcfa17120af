"""The referent's printable day prints the day, not the site."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.rendezvous.factories import rdv_du_referent, territoire

pytestmark = pytest.mark.django_db(transaction=True)


def test_la_journee_imprimee_ne_montre_que_la_journee(page, live_server):
    debut = datetime.datetime(2026, 12, 7, 9, tzinfo=ZoneInfo("Europe/Paris"))
    rdv = rdv_du_referent(debut, territoire(), minutes=60)
    client = Client()
    client.force_login(rdv.referent.utilisateur)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "url": live_server.url,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            }
        ]
    )
    page.goto(
        reverse("rendezvous:agenda_jour", args=[debut.date()]) + f"?referent={rdv.referent.pk}"
    )
    assert page.locator("header.fr-header").is_visible()
    page.emulate_media(media="print")
    for masque in (
        "header.fr-header",
        "footer.fr-footer",
        ".fr-breadcrumb",
        ".agenda-navigation",
        ".agenda-ecran",
    ):
        assert page.locator(masque).count() and not page.locator(masque).first.is_visible(), masque
    assert page.get_by_role("heading", level=1).is_visible()
    tableau = page.locator("table")
    assert tableau.is_visible() and "Léa Durand" in tableau.inner_text()
    assert "lundi 7 décembre 2026" in page.get_by_role("heading", level=1).inner_text().lower()
