"""Saved searches: one digest per user and day, idempotent, resumed after a crash, bounded,
unsubscribed in one click; each with a signed Atom feed."""

import datetime
import json
import re
from xml.etree import ElementTree

import pytest
import time_machine
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aides.models import Zonage
from guichet import rgpd
from opportunites import alertes
from opportunites.models import Alerte, EnvoiAlertes
from tests import factories as f
from tests.aides.factories import AideFactory, ZonageFactory
from tests.opportunites.factories import OpportuniteFactory

pytestmark = pytest.mark.django_db
LUNDI = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)  # 10:00 in Paris
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def lieux():
    creuse = f.DepartementFactory(code="23", nom="Creuse", region=f.RegionFactory(code="75"))
    deux_sevres = f.DepartementFactory(code="79", nom="Deux-Sèvres", region=creuse.region)

    def commune(code, nom, dep, cp, lat, lon):
        return f.CommuneFactory(
            code=code, nom=nom, departement=dep, codes_postaux=[cp], latitude=lat, longitude=lon
        )

    return {
        "aubusson": commune("23008", "Aubusson", creuse, "23200", 45.95075, 2.16679),
        "felletin": commune("23079", "Felletin", creuse, "23500", 45.89089, 2.18224),
        "niort": commune("79191", "Niort", deux_sevres, "79000", 46.32849, -0.46474),
    }


@pytest.fixture
def docteure():
    return f.UserFactory(email="docteure@exemple.fr", email_verifiee=True)


def _enregistrer(client, user, requete, frequence="quotidienne"):
    client.force_login(user)
    reponse = client.post(
        reverse("opportunites:alerte_creer"), {"parametres": requete, "frequence": frequence}
    )
    assert reponse.status_code == 302
    return Alerte.objects.filter(utilisateur=user).latest("pk")


def _publier(commune, **champs):
    return OpportuniteFactory(publiee=True, commune=commune, **champs)


def test_la_recherche_de_la_liste_est_enregistree_avec_le_code_insee(client, lieux, docteure):
    with time_machine.travel(LUNDI, tick=False):
        alerte = _enregistrer(
            client,
            docteure,
            "commune=&commune_saisie=Aubusson 23200&rayon=30&profession=medecin-generaliste&page=3",
        )
    assert alerte.parametres == {
        "commune": "23008",
        "rayon": "30",
        "profession": "medecin-generaliste",
    }
    assert alerte.commune == lieux["aubusson"]
    # Tomorrow at the morning hour (07:00 in Paris).
    assert alerte.prochain_envoi == datetime.datetime(2026, 12, 8, 6, 0, tzinfo=datetime.UTC)
    client.force_login(docteure)  # the session opened on LUNDI ends 12 hours later
    page = client.get(reverse("opportunites:alertes"))
    assert "Médecin généraliste, 30 km autour d&#x27;Aubusson" in page.content.decode()


@pytest.mark.parametrize("requete", ["rayon=7", "commune=99999", "du=2027-02-01&au=2027-01-01"])
def test_une_recherche_non_valide_n_est_pas_enregistree(client, lieux, docteure, requete):
    client.force_login(docteure)
    reponse = client.post(
        reverse("opportunites:alerte_creer"),
        {"parametres": requete, "frequence": "quotidienne"},
        follow=True,
    )
    assert "pas valide" in reponse.content.decode()
    assert not Alerte.objects.exists()


def test_une_adresse_non_verifiee_ne_cree_pas_d_alerte(client, lieux):
    client.force_login(f.UserFactory(email_verifiee=False))
    reponse = client.post(
        reverse("opportunites:alerte_creer"), {"parametres": "rayon=30", "frequence": "quotidienne"}
    )
    assert reponse.status_code == 403 and not Alerte.objects.exists()


def test_un_seul_courriel_par_jour_avec_les_annonces_du_rayon(client, lieux, docteure):
    with time_machine.travel(LUNDI, tick=False):
        _enregistrer(client, docteure, "commune=23008&rayon=30&profession=medecin-generaliste")
        _enregistrer(client, docteure, "nature=remplacement", frequence="quotidienne")
        avant = _publier(lieux["felletin"])  # published before: not news
    with time_machine.travel(LUNDI + datetime.timedelta(hours=5), tick=False):
        felletin = _publier(lieux["felletin"], titre="Votre compte est suspendu")
        _publier(lieux["niort"])  # 300 km away
        _publier(lieux["felletin"], professions=["infirmier"])
        remplacement = _publier(
            lieux["niort"], nature="remplacement", debut=datetime.date(2027, 7, 1)
        )
    avant.save()
    with time_machine.travel(LUNDI + datetime.timedelta(hours=21), tick=False):  # 07:00 Paris
        assert alertes.envoyer_alertes() == {"prepares": 1, "envoyes": 1}
        assert alertes.envoyer_alertes() == {"prepares": 0, "envoyes": 0}
        call_command("envoyer_alertes")
    assert len(mail.outbox) == 1
    courriel = mail.outbox[0]
    assert courriel.to == ["docteure@exemple.fr"]
    assert "2 nouveautés" in courriel.subject
    assert felletin.get_absolute_url() in courriel.body
    assert remplacement.get_absolute_url() in courriel.body
    assert avant.get_absolute_url() not in courriel.body
    assert "Felletin (23), à 7 km" in courriel.body
    assert "suspendu" not in courriel.body  # the author's title is never quoted
    desabonner = courriel.extra_headers["List-Unsubscribe"].strip("<>")
    assert courriel.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert desabonner in courriel.body
    # Next day, nothing new: no e-mail; a new post comes in the next day's digest.
    with time_machine.travel(LUNDI + datetime.timedelta(days=1, hours=21), tick=False):
        assert alertes.envoyer_alertes()["envoyes"] == 0
    with time_machine.travel(LUNDI + datetime.timedelta(days=1, hours=22), tick=False):
        nouvelle = _publier(lieux["aubusson"])
    with time_machine.travel(LUNDI + datetime.timedelta(days=2, hours=21), tick=False):
        assert alertes.envoyer_alertes()["envoyes"] == 1
    assert nouvelle.get_absolute_url() in mail.outbox[-1].body
    assert felletin.get_absolute_url() not in mail.outbox[-1].body


def test_hebdomadaire_une_fois_par_semaine(client, lieux, docteure):
    with time_machine.travel(LUNDI, tick=False):
        _enregistrer(client, docteure, "profession=medecin-generaliste", frequence="hebdomadaire")
    for jour in range(1, 15):
        with time_machine.travel(LUNDI + datetime.timedelta(days=jour, hours=-1), tick=False):
            _publier(lieux["aubusson"])
        with time_machine.travel(LUNDI + datetime.timedelta(days=jour, hours=1), tick=False):
            alertes.envoyer_alertes()
    assert [len(re.findall(r"/opportunites/\d+/", m.body)) for m in mail.outbox] == [7, 7]


def test_une_panne_d_envoi_est_reprise_et_jamais_doublee(client, lieux, docteure, monkeypatch):
    with time_machine.travel(LUNDI, tick=False):
        _enregistrer(client, docteure, "profession=medecin-generaliste")
        annonce = _publier(lieux["felletin"], publiee_le=LUNDI + datetime.timedelta(hours=1))
    envoyer = alertes.EmailMessage.send

    def panne(self, *args, **kwargs):
        raise ConnectionError("serveur de courriel injoignable")

    monkeypatch.setattr(alertes.EmailMessage, "send", panne)
    with time_machine.travel(LUNDI + datetime.timedelta(days=1), tick=False):
        assert alertes.envoyer_alertes() == {"prepares": 1, "envoyes": 0}
    envoi = EnvoiAlertes.objects.get()
    assert envoi.envoye_le is None and envoi.tentatives == 1  # recorded, not sent
    monkeypatch.setattr(alertes.EmailMessage, "send", envoyer)
    with time_machine.travel(LUNDI + datetime.timedelta(days=1, hours=1), tick=False):
        assert alertes.envoyer_alertes() == {"prepares": 0, "envoyes": 1}
        assert alertes.envoyer_alertes() == {"prepares": 0, "envoyes": 0}
    assert len(mail.outbox) == 1 and annonce.get_absolute_url() in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<alertes-{envoi.pk}-")


def test_chaque_passage_est_borne(client, lieux, settings):
    settings.OPPORTUNITE_ALERTES_PAR_PASSAGE = 2
    with time_machine.travel(LUNDI, tick=False):
        for i in range(5):
            user = f.UserFactory(email=f"p{i}@exemple.fr", email_verifiee=True)
            _enregistrer(client, user, "profession=medecin-generaliste")
        _publier(lieux["felletin"], publiee_le=LUNDI + datetime.timedelta(hours=1))
    with time_machine.travel(LUNDI + datetime.timedelta(days=1), tick=False):
        envoyes = [alertes.envoyer_alertes()["envoyes"] for _ in range(4)]
    assert envoyes == [2, 2, 1, 0]
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{i}@exemple.fr" for i in range(5)]


def test_desabonnement_en_un_clic_signe(client, lieux, docteure):
    with time_machine.travel(LUNDI, tick=False):
        une = _enregistrer(client, docteure, "profession=medecin-generaliste")
        autre = _enregistrer(client, docteure, "profession=infirmier")
    tiers = Alerte.objects.create(
        utilisateur=f.UserFactory(), sujet="opportunites", depuis=LUNDI, prochain_envoi=LUNDI
    )
    client.logout()
    jeton = alertes.jeton_desabonner(utilisateur_id=docteure.pk, alerte_id=une.pk)
    url = reverse("opportunites:desabonner", args=[jeton])
    assert client.get(url).status_code == 200 and Alerte.objects.count() == 3  # GET changes nothing
    for faux in (jeton[:-2] + "xx", signing.dumps({"u": docteure.pk}, salt="autre"), "a:b:c"):
        assert client.post(reverse("opportunites:desabonner", args=[faux])).status_code == 404
    reponse = client.post(url, {"List-Unsubscribe": "One-Click"})  # no CSRF token, no session
    assert reponse.status_code == 200
    assert set(Alerte.objects.all()) == {autre, tiers}
    tout = alertes.jeton_desabonner(utilisateur_id=docteure.pk)
    client.post(reverse("opportunites:desabonner", args=[tout]))
    assert list(Alerte.objects.all()) == [tiers]


def test_le_flux_atom_signe_se_lit_sans_compte(client, lieux, docteure):
    with time_machine.travel(LUNDI, tick=False):
        alerte = _enregistrer(client, docteure, "commune=23008&rayon=30")
    proche = _publier(lieux["felletin"], titre="Cabinet à Felletin")
    _publier(lieux["niort"], titre="Cabinet à Niort")
    client.logout()
    url = reverse("opportunites:flux", args=[alertes.jeton_flux(alerte)])
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("application/atom+xml")
    entrees = ElementTree.fromstring(reponse.content).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entrees] == ["Cabinet à Felletin"]
    assert proche.get_absolute_url() in entrees[0].find(f"{ATOM}link").get("href")
    faux = signing.dumps(alerte.pk, salt="opportunites.alerte.desabonner")
    for jeton in (str(alerte.pk), faux, alertes.jeton_flux(alerte)[:-1]):
        assert client.get(reverse("opportunites:flux", args=[jeton])).status_code == 404


def test_aides_et_zonage_d_une_commune(client, lieux, docteure):
    felletin = lieux["felletin"]
    with time_machine.travel(LUNDI, tick=False):
        AideFactory(nom="Aide déjà connue")
        client.force_login(docteure)
        reponse = client.post(
            reverse("opportunites:alertes"),
            {"commune": "23079", "profession": "medecin-generaliste", "frequence": "quotidienne"},
        )
        assert reponse.status_code == 302
    with time_machine.travel(LUNDI + datetime.timedelta(hours=2), tick=False):
        ZonageFactory(commune=felletin, niveau="zip")
        AideFactory(nom="Aide nouvelle aux généralistes", professions=["medecin-generaliste"])
        AideFactory(nom="Aide aux infirmiers", professions=["infirmier"])
    with time_machine.travel(LUNDI + datetime.timedelta(days=1), tick=False):
        assert alertes.envoyer_alertes()["envoyes"] == 1
    corps = mail.outbox[0].body
    assert "Aide nouvelle aux généralistes" in corps
    assert "Aide déjà connue" not in corps and "Aide aux infirmiers" not in corps
    assert "Zonage modifié pour médecin généraliste à Felletin : Zone d'intervention" in corps
    with time_machine.travel(LUNDI + datetime.timedelta(days=2), tick=False):
        assert alertes.envoyer_alertes()["envoyes"] == 0  # the same zoning is not news again


def test_une_alerte_est_a_son_auteur_seulement(client, lieux, docteure):
    with time_machine.travel(LUNDI, tick=False):
        alerte = _enregistrer(client, docteure, "profession=medecin-generaliste")
    client.force_login(f.UserFactory(email_verifiee=True))
    url = reverse("opportunites:alerte_supprimer", args=[alerte.pk])
    assert client.post(url).status_code == 404
    assert "autour" not in client.get(reverse("opportunites:alertes")).content.decode()
    client.force_login(docteure)
    assert client.post(url).status_code == 302 and not Alerte.objects.exists()


def test_mes_alertes_dans_mes_donnees_et_parties_avec_le_compte(client, lieux, docteure):
    with time_machine.travel(LUNDI, tick=False):
        _enregistrer(client, docteure, "commune=23008&rayon=30")
        _publier(lieux["felletin"], publiee_le=LUNDI + datetime.timedelta(hours=1))
    with time_machine.travel(LUNDI + datetime.timedelta(days=1), tick=False):
        alertes.envoyer_alertes()
    client.force_login(docteure)  # the session opened on LUNDI ends 12 hours later
    donnees = json.loads(client.get(reverse("guichet:mes_donnees")).content)
    assert donnees["alertes"][0]["criteres"] == {"commune": "23008", "rayon": "30"}
    assert len(donnees["envois_alertes"]) == 1
    rgpd.supprimer_compte(docteure)
    assert not Alerte.objects.exists() and not EnvoiAlertes.objects.exists()


def _alertes_de_toutes_formes(client, lieux, n):
    """``n`` people, each with a saved search of every shape the list offers, and one aids
    and zoning alert."""
    recherches = [
        "commune=23008&rayon=30&profession=medecin-generaliste",
        "profession=infirmier",
        "departement=23&nature=reprise-cession",
        "q=cabinet&commune=79191&rayon=100",
        "du=2027-07-01&au=2027-08-31",
    ]
    with time_machine.travel(LUNDI, tick=False):
        for i in range(n):
            user = f.UserFactory(email=f"lot{n}-{i}@exemple.fr", email_verifiee=True)
            for requete in recherches:
                _enregistrer(client, user, requete)
        client.force_login(f.UserFactory(email=f"aides{n}@exemple.fr", email_verifiee=True))
        client.post(
            reverse("opportunites:alertes"),
            {"commune": "23079", "profession": "medecin-generaliste", "frequence": "quotidienne"},
        )
    ZonageFactory(commune=lieux["felletin"])  # news for the aids and zoning alert
    for i in range(3):
        commune = lieux["felletin" if i % 2 else "niort"]
        _publier(
            commune, titre=f"Cabinet n° {i}", publiee_le=LUNDI + datetime.timedelta(hours=i + 1)
        )


def test_un_lot_de_personnes_coute_les_memes_requetes_quel_que_soit_son_nombre_d_alertes(
    client, lieux
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def compter(n):
        _alertes_de_toutes_formes(client, lieux, n)
        with (
            time_machine.travel(LUNDI + datetime.timedelta(days=1), tick=False),
            CaptureQueriesContext(connection) as requetes,
        ):
            prepares = alertes.preparer_envois(maintenant=timezone.now(), limite=100)
        for modele in (EnvoiAlertes, Alerte, Zonage):
            modele.objects.all().delete()
        return prepares, len(requetes)

    peu, beaucoup = compter(2), compter(12)
    assert (peu[0], beaucoup[0]) == (3, 13)  # every person has news, the aids alert too
    assert peu[1] == beaucoup[1]  # 11 alerts or 61: the same queries


def test_le_courriel_reprend_l_ordre_et_la_limite_de_la_liste(client, lieux, docteure):
    with time_machine.travel(LUNDI, tick=False):
        autour = _enregistrer(client, docteure, "commune=23008&rayon=50")
        recentes = _enregistrer(client, docteure, "profession=medecin-generaliste")
    communes = [lieux["aubusson"], lieux["felletin"], lieux["niort"]]
    for i in range(2 * alertes.PAR_ALERTE + 5):  # more than a digest shows, equal dates too
        _publier(communes[i % 3], publiee_le=LUNDI + datetime.timedelta(hours=1 + i % 4))
    maintenant = LUNDI + datetime.timedelta(days=1)
    with time_machine.travel(maintenant, tick=False):
        assert alertes.preparer_envois(maintenant=maintenant, limite=10) == 1
    contenu = {s["alerte"]: s["opportunites"] for s in EnvoiAlertes.objects.get().contenu}
    for alerte in (autour, recentes):
        liste = alertes.opportunites_de(alerte, apres=LUNDI, jusqu_a=maintenant)
        attendu = [
            [o.pk, round(o.distance_km) if hasattr(o, "distance_km") else None]
            for o in liste[: alertes.PAR_ALERTE]
        ]
        assert contenu[alerte.pk] == attendu


def test_un_envoi_deja_enregistre_par_un_autre_passage_ne_bloque_que_sa_personne(
    client, lieux, docteure
):
    autre = f.UserFactory(email="autre@exemple.fr", email_verifiee=True)
    with time_machine.travel(LUNDI, tick=False):
        _enregistrer(client, docteure, "profession=medecin-generaliste")
        _enregistrer(client, autre, "profession=medecin-generaliste")
        _publier(lieux["felletin"], publiee_le=LUNDI + datetime.timedelta(hours=1))
    maintenant = LUNDI + datetime.timedelta(days=1)
    # Another run recorded the other person's digest after this run chose its people.
    EnvoiAlertes.objects.create(
        utilisateur=autre, jour=timezone.localdate(maintenant), prepare_le=maintenant
    )
    with time_machine.travel(maintenant, tick=False):
        assert alertes._preparer([docteure.pk, autre.pk], maintenant) == 1
    assert EnvoiAlertes.objects.get(utilisateur=docteure).contenu[0]["opportunites"]
    # The other person's alert was not moved: the run that recorded the digest moves it.
    assert Alerte.objects.get(utilisateur=autre).depuis == LUNDI
    assert Alerte.objects.get(utilisateur=docteure).depuis == maintenant
