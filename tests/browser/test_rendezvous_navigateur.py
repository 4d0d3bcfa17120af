"""A new user books a meeting, receives the e-mail and cancels from its link; the same booking
works with the keyboard only."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from rendezvous.models import RendezVous
from tests.rendezvous.factories import (
    LieuFactory,
    MotifFactory,
    PlageFactory,
    ReferentFactory,
    territoire,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offre():
    dep = territoire()
    motif = MotifFactory(
        nom="Premier entretien installation", slug="premier-entretien", delai_minimum_heures=0
    )
    referent = ReferentFactory(departements=[dep])
    PlageFactory(
        referent=referent,
        motifs=[motif],
        date_debut=timezone.localdate(),
        lieu=LieuFactory(departement=dep, nom="Délégation de Niort"),
    )
    return dep, motif


def semaine_prochaine():
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def test_reserver_recevoir_le_courriel_et_annuler(page, pages_editoriales, offre, live_server):
    page.goto("/")
    page.get_by_role("link", name="Prendre rendez-vous").click()
    page.get_by_label("Votre département").select_option("79")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("link", name="Premier entretien installation").click()
    page.goto(page.url + f"?semaine={semaine_prochaine()}")
    page.locator("a[href*='reserver/?creneau=']").first.click()
    page.get_by_label("Prénom et nom").fill("Léa Durand")
    page.get_by_label("Adresse électronique").fill("lea@exemple.fr")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    page.get_by_text("Votre rendez-vous est confirmé").wait_for()

    assert RendezVous.objects.get().courriel == "lea@exemple.fr"
    confirmation = next(m for m in mail.outbox if m.to == ["lea@exemple.fr"])
    lien = re.search(r"https?://\S+(/rendez-vous/gerer/\S+/)", confirmation.body).group(1)
    page.goto(lien)
    page.get_by_role("button", name="Annuler ce rendez-vous").click()
    page.get_by_text("Votre rendez-vous est annulé").wait_for()
    assert RendezVous.objects.get().statut == "annule-usager"
    assert any("annulé" in m.subject for m in mail.outbox if m.to == ["lea@exemple.fr"])


def test_reservation_au_clavier(page, pages_editoriales, offre):
    dep, motif = offre
    page.goto(f"/rendez-vous/{dep.code}/{motif.slug}/?semaine={semaine_prochaine()}")

    def tabuler_jusqu_a(predicat, essais=80):
        for _ in range(essais):
            page.keyboard.press("Tab")
            if page.evaluate(predicat):
                return
        pytest.fail(f"Élément jamais atteint au clavier : {predicat}")

    tabuler_jusqu_a("document.activeElement.href?.includes('reserver/?creneau=') ?? false")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reserver/?creneau=*")
    tabuler_jusqu_a("document.activeElement.id === 'id_nom'")
    page.keyboard.type("Sam Martin")
    page.keyboard.press("Tab")
    page.keyboard.type("sam@exemple.fr")
    tabuler_jusqu_a(
        "document.activeElement.type === 'submit' && document.activeElement.form?.method === "
        "'post' && document.activeElement.closest('main') !== null"
    )
    page.keyboard.press("Enter")
    page.get_by_text("Votre rendez-vous est confirmé").wait_for()
    assert RendezVous.objects.get().nom == "Sam Martin"


def test_deplacer_depuis_le_lien_du_courriel_au_clavier(page, pages_editoriales, offre):
    """From the e-mail link, "Déplacer" then a new slot, with the keyboard only."""
    from rendezvous import services
    from rendezvous.creneaux import creneaux_libres

    dep, motif = offre
    libres = [  # beyond the 24-hour self-service deadline
        c
        for c in creneaux_libres(departement=dep, motif=motif)
        if c.debut > timezone.now() + datetime.timedelta(hours=25)
    ]
    aujourd_hui = timezone.localdate()
    dimanche = aujourd_hui + datetime.timedelta(days=6 - aujourd_hui.weekday())
    rdv, jeton = services.rendezvous_reserver(
        departement=dep,
        motif=motif,
        referent_id=libres[0].referent_id,
        debut=libres[0].debut,
        demandeur={"nom": "Léa Durand", "courriel": "lea@exemple.fr"},
    )
    page.goto(f"/rendez-vous/gerer/{jeton}/")

    def tabuler_jusqu_a(predicat, essais=80):
        for _ in range(essais):
            page.keyboard.press("Tab")
            if page.evaluate(predicat):
                return
        pytest.fail(f"Élément jamais atteint au clavier : {predicat}")

    tabuler_jusqu_a("document.activeElement.textContent.trim() === 'Déplacer ce rendez-vous'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/deplacer/")
    cible = libres[1].cle
    if libres[1].debut.date() > dimanche:  # the page opens on this week
        tabuler_jusqu_a("document.activeElement.textContent.trim() === 'Semaine suivante'")
        page.keyboard.press("Enter")
        page.wait_for_url("**/deplacer/?semaine=*")
    tabuler_jusqu_a(f"document.activeElement.value === '{cible}'", essais=200)
    page.keyboard.press("Enter")
    page.get_by_text("Le rendez-vous est déplacé").wait_for()
    rdv.refresh_from_db()
    assert rdv.debut == libres[1].debut and rdv.sequence == 1
    assert any("déplacé" in m.subject for m in mail.outbox if m.to == ["lea@exemple.fr"])
