"""Second pass: one time on every surface, guarded transitions, moving a meeting."""

import datetime
import re
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.urls import reverse
from icalendar import Calendar

from rendezvous import services
from rendezvous.models import Absence, RendezVous, TransitionRefusee
from tests.factories import CommuneFactory, UserFactory
from tests.rendezvous.factories import (
    LieuFactory,
    MotifFactory,
    PlageFactory,
    ReferentFactory,
    RendezVousFactory,
    martinique,
    territoire,
)

UTC = datetime.UTC
MAINTENANT = datetime.datetime(2026, 12, 1, 10, 17, tzinfo=UTC)  # a Tuesday
JOUR = datetime.date(2026, 12, 7)  # the next Monday, no public holiday
DEMANDEUR = {"nom": "Léa Durand", "courriel": "lea@exemple.fr"}

# zone, département factory, the zone's French name, the wrong readings (UTC, Paris)
FUSEAUX = {
    "martinique": ("America/Martinique", martinique, "heure de la Martinique", ["13:00", "14:00"]),
    "paris": ("Europe/Paris", territoire, "heure de Paris", ["08:00"]),
}


def ics(contenu) -> Calendar:
    return Calendar.from_ical(contenu)


def ics_du_courriel(message) -> Calendar:
    return ics(next(a for a in message.attachments if a[0] == "rendez-vous.ics")[1])


def installer(dep, *, lieu_type="adresse", **motif):
    motif = MotifFactory(delai_minimum_heures=0, fenetre_jours=30, **motif)
    referent = ReferentFactory(departements=[dep])
    referent.utilisateur.departements.set([dep])  # the referent's own territory
    lieu = LieuFactory(departement=dep, type=lieu_type)
    PlageFactory(
        referent=referent,
        motifs=[motif],
        lieu=lieu,
        date_debut=MAINTENANT.date(),
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(12),
    )
    return motif, referent


def a_neuf_heures(zone, jour=JOUR, heure=9):
    return datetime.datetime.combine(jour, datetime.time(heure), ZoneInfo(zone))


@pytest.fixture
def a_l_heure():
    with time_machine.travel(MAINTENANT, tick=False) as voyage:
        yield voyage


def _lu(reponse):
    assert reponse.status_code == 200, reponse.status_code
    return reponse.content.decode("utf-8-sig")


# -- one time, everywhere -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("cle", FUSEAUX)
def test_matrice_des_heures(client, cle, a_l_heure, django_capture_on_commit_callbacks):
    """A 09:00 meeting reads 09:00 on each surface, with its zone named in French."""
    zone, territoire_de, nom, fausses = FUSEAUX[cle]
    dep = territoire_de()
    motif, referent = installer(dep, slug=f"entretien-{cle}")
    debut = a_neuf_heures(zone)
    surfaces: dict[str, str] = {}

    url = reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={JOUR}"
    surfaces["liste des créneaux"] = _lu(client.get(url))
    creneau = re.search(r'reserver/\?creneau=([\d]+-[\dT]+)"', surfaces["liste des créneaux"])
    url = reverse("rendezvous:reserver", args=[dep.code, motif.slug]) + f"?creneau={creneau[1]}"
    surfaces["formulaire"] = html = _lu(client.get(url))
    nonce = re.search(r'name="nonce" value="([^"]+)"', html)[1]
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"creneau": creneau[1], "nonce": nonce, **DEMANDEUR})
    rdv = RendezVous.objects.select_related("lieu__departement__region").get()
    assert rdv.debut == debut
    surfaces["confirmation"] = _lu(client.get(reponse.url))
    jeton = re.search(r"/rendez-vous/gerer/([^/]+)/", mail.outbox[0].body)[1]
    surfaces["lien personnel"] = _lu(client.get(reverse("rendezvous:gerer", args=[jeton])))
    surfaces["page déplacer"] = _lu(
        client.get(reverse("rendezvous:gerer_deplacer", args=[jeton]) + f"?semaine={JOUR}")
    )
    for n, message in enumerate(mail.outbox):
        surfaces[f"courriel {n} (objet)"] = message.subject
        surfaces[f"courriel {n}"] = message.body
    services.envoyer_rappels(maintenant=debut - datetime.timedelta(hours=12))
    surfaces["rappel"] = mail.outbox[-1].body

    client.force_login(referent.utilisateur)
    q = f"?referent={referent.pk}"
    surfaces["agenda"] = _lu(client.get(reverse("rendezvous:agenda") + q))
    surfaces["journée"] = _lu(client.get(reverse("rendezvous:agenda_jour", args=[JOUR]) + q))
    surfaces["semaine"] = _lu(client.get(reverse("rendezvous:agenda_semaine", args=[JOUR]) + q))
    surfaces["export CSV"] = _lu(client.get(reverse("rendezvous:agenda_export") + q))
    surfaces["admin, liste"] = _lu(client.get(reverse("admin:rendezvous_rendezvous_changelist")))
    surfaces["admin, fiche"] = _lu(
        client.get(reverse("admin:rendezvous_rendezvous_change", args=[rdv.pk]))
    )
    absence = Absence.objects.create(
        referent=referent,
        debut=a_neuf_heures(zone, JOUR + datetime.timedelta(days=1)),
        fin=a_neuf_heures(zone, JOUR + datetime.timedelta(days=1), 11),
        motif="Formation",
    )
    surfaces["admin, absence"] = fiche_absence = _lu(
        client.get(reverse("admin:rendezvous_absence_change", args=[absence.pk]))
    )
    assert 'value="09:00:00"' in fiche_absence and f"En {nom}." in fiche_absence
    surfaces["admin, absences"] = _lu(client.get(reverse("admin:rendezvous_absence_changelist")))
    # The staff space: the person's meeting on their file, a question received at 09:00.
    from tests.espace.factories import AccompagnementFactory, QuestionFactory

    commune = CommuneFactory(departement=dep)
    suivi = AccompagnementFactory(courriel=DEMANDEUR["courriel"], commune_cible=commune)
    question = QuestionFactory(commune=commune, recue_le=debut)
    surfaces["espace, accompagnement"] = _lu(client.get(suivi.get_absolute_url()))
    surfaces["espace, questions reçues"] = _lu(client.get(reverse("espace:boite")))
    surfaces["espace, question"] = _lu(client.get(question.get_absolute_url()))

    for surface, texte in surfaces.items():
        assert "09:00" in texte, surface
        for fausse in fausses:
            assert fausse not in texte, (surface, fausse)
        assert "America/" not in texte and "Europe/" not in texte, surface
    for surface in [
        "liste des créneaux",
        "formulaire",
        "confirmation",
        "lien personnel",
        "courriel 0",
        "agenda",
        "journée",
        "semaine",
        "admin, liste",
        "espace, accompagnement",
        "espace, questions reçues",
        "espace, question",
    ]:
        assert nom in surfaces[surface], surface

    # The ICS of the e-mail and the referent's feed: the zone's TZID and the right UTC instant.
    flux = client.get(reverse("rendezvous:flux_ical", args=[referent.jeton_agenda])).content
    for calendrier in (ics_du_courriel(mail.outbox[0]), ics(flux)):
        event = calendrier.walk("VEVENT")[0]
        assert event["dtstart"].params["TZID"] == zone
        assert event.decoded("dtstart").astimezone(UTC) == debut.astimezone(UTC)
        assert event.decoded("dtstart").strftime("%H:%M") == "09:00"
        assert calendrier.walk("VTIMEZONE")[0]["TZID"] == zone
    print(f"matrice {cle} : {len(surfaces) + 2} surfaces")


@pytest.mark.django_db
def test_formulaire_d_absence_en_heure_du_territoire(client, a_l_heure):
    """A Martinique referent types 09:00: it is 09:00 in Martinique, whatever the browser."""
    dep = martinique()
    _, referent = installer(dep)
    client.force_login(referent.utilisateur)
    jour = f"{JOUR:%d/%m/%Y}"
    reponse = client.post(
        reverse("admin:rendezvous_absence_add"),
        {
            "referent": referent.pk,
            "debut_0": jour,
            "debut_1": "09:00",
            "fin_0": jour,
            "fin_1": "10:00",
            "motif": "Formation",
        },
    )
    assert reponse.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul", reponse.content.decode()
    )
    assert Absence.objects.get().debut == a_neuf_heures("America/Martinique")
    # The opening hours and absences inlines of the referent say so too.
    html = _lu(client.get(reverse("admin:rendezvous_referent_change", args=[referent.pk])))
    assert "En heure de la Martinique." in html and "rendezvous/admin_fuseau.js" in html


def _reserver(dep, motif, referent, debut, **demandeur):
    return services.rendezvous_reserver(
        departement=dep,
        motif=motif,
        referent_id=referent.pk,
        debut=debut,
        demandeur={**DEMANDEUR, **demandeur},
    )


# -- guarded lifecycle ----------------------------------------------------------------------

AVANT, APRES = "avant le début", "après le début"
TRANSITIONS = {
    "marquer_honore": lambda rdv, t: rdv.marquer_honore(t),
    "marquer_absent": lambda rdv, t: rdv.marquer_absent(t),
    "annuler_par_usager": lambda rdv, t: rdv.annuler_par_usager(t),
    "annuler_par_referent": lambda rdv, t: rdv.annuler_par_referent("Empêchement", t),
}
PERMISES = {
    ("confirme", "marquer_honore", APRES): "honore",
    ("confirme", "marquer_absent", APRES): "absent",
    ("confirme", "annuler_par_usager", AVANT): "annule-usager",
    ("confirme", "annuler_par_referent", AVANT): "annule-referent",
}


@pytest.mark.parametrize("moment", [AVANT, APRES])
@pytest.mark.parametrize("transition", TRANSITIONS)
@pytest.mark.parametrize("statut", RendezVous.Statut.values)
def test_matrice_des_transitions(statut, transition, moment):
    motif = MotifFactory.build(annulable=True, annulable_jusqu_heures=0)
    debut = datetime.datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    rdv = RendezVous(
        statut=statut, motif=motif, debut=debut, fin=debut + datetime.timedelta(minutes=45)
    )
    t = debut + (datetime.timedelta(minutes=5) if moment == APRES else -datetime.timedelta(hours=1))
    attendu = PERMISES.get((statut, transition, moment))
    if attendu:
        TRANSITIONS[transition](rdv, t)
        assert rdv.statut == attendu
    else:
        with pytest.raises(TransitionRefusee) as erreur:
            TRANSITIONS[transition](rdv, t)
        assert erreur.value.message and rdv.statut == statut
        assert re.search(r"[éèàê]|rendez-vous", erreur.value.message)  # French


def test_annulation_par_le_referent_exige_une_raison():
    motif = MotifFactory.build()
    debut = datetime.datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    rdv = RendezVous(statut="confirme", motif=motif, debut=debut)
    with pytest.raises(TransitionRefusee, match="raison"):
        rdv.annuler_par_referent("  ", debut - datetime.timedelta(days=1))
    assert rdv.statut == "confirme"


@pytest.mark.django_db
def test_onglet_perime_pas_de_500(client, a_l_heure, django_capture_on_commit_callbacks):
    """Cancel A, book B on the same slot, then mark A honoured: refused, no IntegrityError."""
    dep = territoire()
    motif, referent = installer(dep)
    debut = a_neuf_heures("Europe/Paris")
    a, _ = _reserver(dep, motif, referent, debut)
    services.rendezvous_annuler(rdv=a, par_referent=True, raison="Réunion imprévue")
    b, _ = _reserver(dep, motif, referent, debut, nom="B")
    a_l_heure.move_to(debut + datetime.timedelta(minutes=50))
    client.force_login(referent.utilisateur)
    reponse = client.post(
        reverse("rendezvous:agenda_statut", args=[a.uuid]), {"statut": "honore"}, follow=True
    )
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Ce rendez-vous est annulé" in html, re.findall(r"fr-alert.{0,300}", html, re.S)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.statut, b.statut) == ("annule-referent", "confirme")
    # A crafted status is refused too, with a message, never a 500.
    reponse = client.post(
        reverse("rendezvous:agenda_statut", args=[b.uuid]), {"statut": "x"}, follow=True
    )
    assert reponse.status_code == 200 and "Choisissez" in reponse.content.decode()


@pytest.mark.django_db
def test_annulation_par_le_referent_citee_dans_le_courriel(
    client, a_l_heure, django_capture_on_commit_callbacks
):
    dep = territoire()
    motif, referent = installer(dep)
    rdv = RendezVousFactory(
        referent=referent, motif=motif, lieu__departement=dep, debut=a_neuf_heures("Europe/Paris")
    )
    client.force_login(referent.utilisateur)
    html = _lu(client.get(reverse("rendezvous:agenda")))
    assert "Honoré" not in html  # not started: the outcome is not offered, let alone selected
    url = reverse("rendezvous:agenda_statut", args=[rdv.uuid])
    client.post(url, {"statut": "annule-referent", "raison": ""})
    rdv.refresh_from_db()
    assert rdv.statut == "confirme"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"statut": "annule-referent", "raison": "Je suis en formation ce jour-là"})
    rdv.refresh_from_db()
    assert rdv.statut == "annule-referent"
    assert "Je suis en formation ce jour-là" in mail.outbox[0].body
    assert ics_du_courriel(mail.outbox[0])["method"] == "CANCEL"


@pytest.mark.django_db
def test_controle_de_statut_sans_preselection(client, a_l_heure):
    dep = territoire()
    motif, referent = installer(dep)
    RendezVousFactory(
        referent=referent,
        motif=motif,
        lieu__departement=dep,
        debut=MAINTENANT - datetime.timedelta(hours=2),
    )
    client.force_login(referent.utilisateur)
    html = _lu(client.get(reverse("rendezvous:agenda")))
    select = re.search(r'<select[^>]*name="statut"[^>]*>(.*?)</select>', html, re.S)[1]
    assert '<option value="" selected disabled>' in select
    assert 'value="honore" selected' not in select and 'value="absent" selected' not in select


@pytest.mark.django_db
def test_la_garde_de_double_soumission_ne_grossit_pas_la_session(client, a_l_heure):
    dep = territoire()
    motif, _ = installer(dep)
    html = _lu(
        client.get(reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={JOUR}")
    )
    cle = re.search(r'reserver/\?creneau=([\d]+-[\dT]+)"', html)[1]
    url = reverse("rendezvous:reserver", args=[dep.code, motif.slug]) + f"?creneau={cle}"
    client.get(url)
    taille = len(client.session.encode(dict(client.session)))
    for _ in range(30):
        client.get(url)
    assert len(client.session.encode(dict(client.session))) == taille


@pytest.mark.django_db
def test_reservations_limitees_par_courriel(client, a_l_heure, settings):
    # The rate alone, not the cap on future meetings (tests/rendezvous/test_plafonds.py).
    settings.RENDEZVOUS_MAX_PAR_REFERENT = settings.RENDEZVOUS_MAX_PAR_COURRIEL = 5
    dep = territoire()
    motif, _ = installer(dep)
    html = _lu(
        client.get(reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={JOUR}")
    )
    cles = re.findall(r'reserver/\?creneau=([\d]+-[\dT]+)"', html)
    statuts = []
    for n, cle in enumerate(cles[:5]):
        url = reverse("rendezvous:reserver", args=[dep.code, motif.slug]) + f"?creneau={cle}"
        nonce = re.search(r'name="nonce" value="([^"]+)"', _lu(client.get(url)))[1]
        statuts.append(
            client.post(
                url,
                {
                    "creneau": cle,
                    "nonce": nonce,
                    "nom": f"Nom {'abcde'[n]}",
                    "courriel": " LEA@exemple.fr",
                },
            ).status_code
        )
    assert statuts == [302, 302, 302, 302, 429]
    assert RendezVous.objects.count() == 4


# -- moving a meeting -----------------------------------------------------------------------


@pytest.mark.django_db
def test_deplacer_depuis_le_lien_du_courriel(client, a_l_heure, django_capture_on_commit_callbacks):
    dep = martinique()
    motif, referent = installer(dep, annulable_jusqu_heures=24)
    ancien = a_neuf_heures("America/Martinique")
    with django_capture_on_commit_callbacks(execute=True):
        rdv, jeton = _reserver(dep, motif, referent, ancien)
    uid = str(ics_du_courriel(mail.outbox[0]).walk("VEVENT")[0]["uid"])
    mail.outbox.clear()
    url = reverse("rendezvous:gerer_deplacer", args=[jeton])
    assert "Déplacer ce rendez-vous" in _lu(client.get(reverse("rendezvous:gerer", args=[jeton])))
    html = _lu(client.get(url + f"?semaine={JOUR}"))
    nouvelle = f"{referent.pk}-20261207T1400"  # 10:00 in Martinique
    assert f'value="{nouvelle}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"creneau": nouvelle})
    assert reponse.url == reverse("rendezvous:gerer", args=[jeton])
    rdv.refresh_from_db()
    assert rdv.debut == a_neuf_heures("America/Martinique", heure=10) and rdv.sequence == 1
    assert RendezVous.objects.count() == 1  # the same meeting, moved
    assert {m.to[0] for m in mail.outbox} == {"lea@exemple.fr", referent.utilisateur.email}
    cal = ics_du_courriel(mail.outbox[0])
    event = cal.walk("VEVENT")[0]
    assert cal["method"] == "REQUEST" and str(event["uid"]) == uid and event["sequence"] == 1
    assert "10:00" in mail.outbox[0].body and "09:00" in mail.outbox[0].body  # new and old
    # The old 09:00 slot is free again; the token still works.
    _, autre = _reserver(dep, motif, referent, ancien, courriel="autre@exemple.fr")
    assert autre and client.get(reverse("rendezvous:gerer", args=[jeton])).status_code == 200


@pytest.mark.django_db
def test_deplacer_depuis_l_agenda(client, a_l_heure, django_capture_on_commit_callbacks):
    dep = territoire()
    motif, referent = installer(dep)
    rdv, _ = _reserver(dep, motif, referent, a_neuf_heures("Europe/Paris"))
    client.force_login(referent.utilisateur)
    assert "Déplacer" in _lu(client.get(reverse("rendezvous:agenda")))
    url = reverse("rendezvous:agenda_deplacer", args=[rdv.uuid])
    html = _lu(client.get(url + f"?semaine={JOUR + datetime.timedelta(days=1)}"))
    cle = f"{referent.pk}-20261208T0800"  # 09:00 in Paris, the next day
    assert f'value="{cle}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"creneau": cle})
    rdv.refresh_from_db()
    assert rdv.debut == a_neuf_heures("Europe/Paris", JOUR + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2
    # A taken or crafted slot: refused with a message, nothing changes.
    reponse = client.post(url, {"creneau": f"{referent.pk}-20261207T0300"}, follow=True)
    assert "vient d&#x27;être réservé" in reponse.content.decode()
    rdv.refresh_from_db()
    assert rdv.debut == a_neuf_heures("Europe/Paris", JOUR + datetime.timedelta(days=1))


@pytest.mark.django_db(transaction=True)
def test_quatre_deplacements_vers_le_meme_creneau_un_seul_gagne():
    """Four people move to the same free slot at once: exactly one wins, the others keep theirs.

    Real time here (time travel is not thread-safe): a day a week ahead, not a public holiday.
    """
    from rendezvous.creneaux import jours_feries

    dep = territoire()
    paris = "Europe/Paris"
    jour = datetime.date.today() + datetime.timedelta(days=7)
    while jour in jours_feries(dep.code, {jour.year}):
        jour += datetime.timedelta(days=1)
    motif, referent = installer(dep)
    PlageFactory(
        referent=referent,
        motifs=[motif],
        lieu=referent.plages.get().lieu,
        date_debut=MAINTENANT.date(),
        heure_debut=datetime.time(12),
        heure_fin=datetime.time(15),
    )
    rdvs = [
        _reserver(dep, motif, referent, a_neuf_heures(paris, jour, h), courriel=f"{h}@ex.fr")[0]
        for h in (9, 10, 11, 12)
    ]
    cible = a_neuf_heures(paris, jour, 13)
    depart = threading.Barrier(len(rdvs), timeout=60)
    resultats = []

    def deplacer(rdv):
        try:
            depart.wait()
            services.rendezvous_deplacer(rdv=rdv, debut=cible, par_usager=True)
            resultats.append("ok")
        except services.CreneauIndisponible as exc:
            resultats.append(exc.message)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            resultats.append(repr(exc))
        finally:
            connection.close()

    fils = [threading.Thread(target=deplacer, args=(r,)) for r in rdvs]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=120)
    assert resultats.count("ok") == 1, resultats
    assert resultats.count("Ce créneau vient d'être réservé, choisissez-en un autre.") == 3
    debuts = list(RendezVous.objects.values_list("debut", flat=True))
    assert debuts.count(cible) == 1 and len(debuts) == 4  # the losers kept their own slot


# -- no dead ends ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_mode_du_creneau_visible_et_lien_visio(
    client, a_l_heure, django_capture_on_commit_callbacks
):
    dep = territoire()
    motif, referent = installer(dep, lieu_type="visio")
    html = _lu(
        client.get(reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={JOUR}")
    )
    assert "</span>&nbsp;· en visioconférence</a>" in html  # visible, not only to screen readers
    lieu = referent.plages.get().lieu
    lieu.lien_visio = "https://visio.example.gouv.fr/salle-42"
    lieu.save()
    with django_capture_on_commit_callbacks(execute=True):
        _reserver(dep, motif, referent, a_neuf_heures("Europe/Paris"))
    assert "https://visio.example.gouv.fr/salle-42" in mail.outbox[0].body
    event = ics_du_courriel(mail.outbox[0]).walk("VEVENT")[0]
    assert "salle-42" in str(event["url"]) and "salle-42" in str(event["description"])
    assert str(event["organizer"]) == f"mailto:{referent.utilisateur.email}"
    assert mail.outbox[0].reply_to == [referent.utilisateur.email]


@pytest.mark.django_db
def test_departement_sans_referent_donne_la_delegation_et_le_referent_regional(client):
    from tests.aides.factories import OrganisationFactory
    from tests.installation.factories import ContactFactory

    dep = territoire()
    voisin = territoire("86", "Vienne", dep.region)
    ReferentFactory(departements=[voisin])
    ars = OrganisationFactory(code="ars-na", type="ars", nom="ARS Nouvelle-Aquitaine")
    ContactFactory(
        organisation=ars,
        departement=dep,
        intitule="Délégation des Deux-Sèvres",
        telephone="05 49 00 00 00",
    )
    html = _lu(client.get(reverse("rendezvous:motifs", args=[dep.code])))
    assert "Délégation des Deux-Sèvres" in html and "05 49 00 00 00" in html
    assert reverse("rendezvous:motifs", args=["86"]) in html


@pytest.mark.django_db
def test_reservation_preremplie_par_le_simulateur(client, a_l_heure):
    from tests.factories import CommuneFactory

    dep = territoire()
    motif, _ = installer(dep)
    commune = CommuneFactory(code="79191", nom="Niort", departement=dep)
    simulation = {
        "profession": "infirmier",
        "situation": "installe",
        "commune": commune.code,
        "exercice": "seul",
        "secteur": "",
        "premiere": "oui",
        "aide_recente": "non",
    }
    resultat = client.get(reverse("aides:simulateur"), simulation)
    assert resultat.status_code == 200 and "aide" in _lu(resultat)
    # Remembered in a signed cookie: an anonymous simulation stores no session.
    assert "projet_installation" in resultat.cookies and not Session.objects.exists()
    html = _lu(
        client.get(reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={JOUR}")
    )
    cle = re.search(r'reserver/\?creneau=([\d]+-[\dT]+)"', html)[1]
    html = _lu(
        client.get(reverse("rendezvous:reserver", args=[dep.code, motif.slug]) + f"?creneau={cle}")
    )
    assert re.search(r'<option value="infirmier"[^>]*selected', html)
    assert re.search(r'<input type="hidden" name="commune" value="79191">', html)
    assert re.search(r'<input[^>]*name="commune_saisie"[^>]*value="Niort', html)


@pytest.mark.django_db
def test_agenda_depuis_l_en_tete_et_l_accueil_de_l_administration(client):
    referent = ReferentFactory(departements=[territoire()])
    client.force_login(referent.utilisateur)
    assert "Mon agenda" in _lu(client.get(reverse("guichet:accueil")))
    assert reverse("rendezvous:agenda") in _lu(client.get(reverse("admin:index")))


@pytest.mark.django_db
def test_admin_sans_champs_techniques_et_choix_du_territoire(client, a_l_heure):
    dep = territoire()
    motif, referent = installer(dep)
    lointain = ReferentFactory(
        departements=[martinique()],
        utilisateur=UserFactory(referent=True, email="loin@ars.fr", last_name="Lointaine"),
    )
    LieuFactory(nom="Lieu lointain", departement=lointain.departements.get())
    rdv = RendezVousFactory(
        referent=referent, motif=motif, lieu__departement=dep, debut=a_neuf_heures("Europe/Paris")
    )
    client.force_login(referent.utilisateur)
    html = _lu(client.get(reverse("admin:rendezvous_rendezvous_change", args=[rdv.pk])))
    assert str(rdv.uuid) not in html and "fin, battement compris" not in html
    assert "Version de l" not in html  # the ICS sequence
    html = _lu(client.get(reverse("admin:rendezvous_plageouverture_add")))
    assert "Lointaine" not in html and "Lieu lointain" not in html
    html = _lu(client.get(reverse("admin:rendezvous_referent_change", args=[referent.pk])))
    assert "admin-autocomplete" in html or "autocomplete" in html


@pytest.mark.django_db
def test_un_projet_falsifie_ne_preremplit_rien(client, a_l_heure):
    from tests.factories import CommuneFactory

    dep = territoire()
    motif, _ = installer(dep)
    CommuneFactory(code="79191", nom="Niort", departement=dep)
    client.cookies["projet_installation"] = '{"profession": "infirmier", "commune": "79191"}'
    html = _lu(
        client.get(reverse("rendezvous:creneaux", args=[dep.code, motif.slug]) + f"?semaine={JOUR}")
    )
    cle = re.search(r'reserver/\?creneau=([\d]+-[\dT]+)"', html)[1]
    html = _lu(
        client.get(reverse("rendezvous:reserver", args=[dep.code, motif.slug]) + f"?creneau={cle}")
    )
    assert not re.search(r'<option value="infirmier"[^>]*selected', html)
    assert re.search(r'<input[^>]*name="commune"', html)
    assert not re.search(r'<input[^>]*name="commune"[^>]*value="Niort', html)


def _boutons(html):
    return re.findall(r'name="creneau" value="([^"]+)"', html)


def _compte_annonce(html):
    return int(re.search(r"Semaine du [^:]+ : (\d+) créneau", html)[1])


@pytest.mark.django_db
@pytest.mark.parametrize("cote", ["usager", "referent"])
def test_deplacer_n_offre_jamais_son_propre_creneau(
    client, a_l_heure, cote, django_capture_on_commit_callbacks
):
    """The meeting's own slot is neither listed, counted, nor "the next free one"; the count
    matches the buttons every week; a slot of another mode (on site → video) asks first."""
    dep = territoire()
    motif = MotifFactory(
        delai_minimum_heures=0, fenetre_jours=30, duree_minutes=45, tampon_minutes=15
    )
    referent = ReferentFactory(departements=[dep])
    referent.utilisateur.departements.set([dep])
    lundi = JOUR  # the only on-site slot: Monday 7 December, 09:00
    PlageFactory(
        referent=referent,
        motifs=[motif],
        jours=[0],
        date_debut=MAINTENANT.date(),
        date_fin=lundi,
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(10),
        lieu=LieuFactory(departement=dep, nom="Délégation", type="adresse"),
    )
    rdv, jeton = _reserver(dep, motif, referent, a_neuf_heures("Europe/Paris"))
    propre = f"{referent.pk}-20261207T0800"
    if cote == "usager":
        url = reverse("rendezvous:gerer_deplacer", args=[jeton])
    else:
        client.force_login(referent.utilisateur)
        url = reverse("rendezvous:agenda_deplacer", args=[rdv.uuid])
    semaines = [lundi - datetime.timedelta(days=7), lundi, lundi + datetime.timedelta(days=7)]
    for semaine in semaines:  # nothing else is free: no week offers the meeting's own slot
        html = _lu(client.get(f"{url}?semaine={semaine}"))
        assert propre not in html and _boutons(html) == [] and _compte_annonce(html) == 0
        assert "Aucun autre créneau n" in html
    # A video slot on Tuesday: listed, counted, and offered as the next one from the week before.
    mardi = lundi + datetime.timedelta(days=1)
    PlageFactory(
        referent=referent,
        motifs=[motif],
        jours=[1],
        date_debut=mardi,
        date_fin=mardi,
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(10),
        lieu=LieuFactory(departement=dep, nom="À distance", type="visio"),
    )
    for semaine in semaines:
        html = _lu(client.get(f"{url}?semaine={semaine}"))
        assert propre not in html and len(_boutons(html)) == _compte_annonce(html)
    html = _lu(client.get(f"{url}?semaine={semaines[0]}"))
    assert "Le prochain est le mardi 8 décembre à 09:00" in html
    video = f"{referent.pk}-20261208T0800"
    assert _boutons(_lu(client.get(f"{url}?semaine={lundi}"))) == [video]
    # Choosing it asks first, and changes nothing until confirmed.
    html = _lu(client.post(url, {"creneau": video}))
    assert "change de modalité" in html and "en visioconférence" in html and "sur place" in html
    assert 'name="confirmer" value="oui"' in html
    rdv.refresh_from_db()
    assert rdv.debut == a_neuf_heures("Europe/Paris") and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"creneau": video, "confirmer": "oui"})
    assert reponse.status_code == 302
    rdv.refresh_from_db()
    assert rdv.debut == a_neuf_heures("Europe/Paris", mardi) and rdv.lieu.type == "visio"
