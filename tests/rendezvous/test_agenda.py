"""The referent's agenda: its title, the week as a calendar grid."""

import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.rendezvous.factories import (
    LieuFactory,
    RendezVousFactory,
    rdv_du_referent,
    territoire,
)


def _rdv(dep=None):
    dep = dep or territoire()
    rdv = RendezVousFactory(nom="Léa Durand", lieu=LieuFactory(departement=dep))
    rdv.referent.departements.set([dep])
    return rdv


@pytest.mark.django_db
@pytest.mark.parametrize(
    "prenom, titre", [("Alix", "Agenda d'Alix Martin"), ("Camille", "Agenda de Camille Martin")]
)
def test_agenda_du_referent_avec_elision(client, prenom, titre):
    rdv = _rdv()
    utilisateur = rdv.referent.utilisateur
    utilisateur.first_name, utilisateur.last_name = prenom, "Martin"
    utilisateur.save()
    utilisateur.departements.set(rdv.referent.departements.all())
    client.force_login(utilisateur)
    html = client.get(reverse("rendezvous:agenda")).content.decode()
    assert f"<h1>{titre}</h1>" in html.replace("&#x27;", "'")


class _Tableau(HTMLParser):
    """The rows of the first table: each cell as (tag, scope, text)."""

    def __init__(self):
        super().__init__()
        self.lignes, self.cellule, self.caption = [], None, ""
        self.dans_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.lignes.append([])
        elif tag in ("th", "td"):
            self.cellule = [tag, dict(attrs).get("scope"), ""]
        elif tag == "caption":
            self.dans_caption = True

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cellule:
            self.lignes[-1].append(tuple(self.cellule))
            self.cellule = None
        elif tag == "caption":
            self.dans_caption = False

    def handle_data(self, data):
        if self.cellule:
            self.cellule[2] += data
        elif self.dans_caption:
            self.caption += data


@pytest.mark.django_db
@pytest.mark.parametrize("heures", [[9], [7, 14], [10, 20]])
def test_semaine_en_grille_jours_en_colonnes_heures_en_lignes(client, heures):
    """A real table: a caption, a header cell per day (columns) and per hour (rows); each
    meeting in the cell of its day and starting hour; rows stretch to early or late ones."""
    dep = territoire()
    lundi = datetime.date(2026, 12, 7)
    rdvs = []
    for n, heure in enumerate(heures):
        jour = lundi + datetime.timedelta(days=2 * n)
        debut = datetime.datetime.combine(jour, datetime.time(heure), ZoneInfo("Europe/Paris"))
        rdv = RendezVousFactory(
            nom=f"Personne {'ABC'[n]}",
            debut=debut,
            fin=debut + datetime.timedelta(minutes=45),
            fin_bloquee=debut + datetime.timedelta(hours=1),
            lieu__departement=dep,
            **({"referent": rdvs[0].referent} if rdvs else {}),
        )
        rdvs.append(rdv)
    referent = rdvs[0].referent
    referent.departements.set([dep])
    referent.utilisateur.departements.set([dep])
    client.force_login(referent.utilisateur)
    html = client.get(
        reverse("rendezvous:agenda_semaine", args=[lundi]) + f"?referent={referent.pk}"
    ).content.decode()
    tableau = _Tableau()
    tableau.feed(html)
    assert "semaine du 7 décembre 2026" in tableau.caption
    entete, *lignes = tableau.lignes
    assert [c[:2] for c in entete] == [("th", "col")] * 8
    assert "Lundi 7 décembre" in entete[1][2] and "Dimanche 13 décembre" in entete[7][2]
    attendues = list(range(min(8, *heures), max(18, *heures) + 1))
    assert [ligne[0][:2] for ligne in lignes] == [("th", "row")] * len(attendues)
    assert [ligne[0][2] for ligne in lignes] == [f"{h} h" for h in attendues]
    assert all(len(ligne) == 8 for ligne in lignes)
    for n, heure in enumerate(heures):
        ligne = lignes[attendues.index(heure)]
        for colonne in range(1, 8):
            assert (f"Personne {'ABC'[n]}" in ligne[colonne][2]) == (colonne == 1 + 2 * n)


@pytest.mark.django_db
def test_la_semaine_gardee_suit_chaque_ecriture_et_chaque_lecteur(client):
    """The week grid is kept per reader, referent and week under the agendas' versions: a
    meeting moved or cancelled by a queryset update (no signal) is seen on the next display,
    and another reader's scope never reads the first one's grid."""
    from rendezvous.models import RendezVous
    from tests.factories import RegionFactory, UserFactory, activer_totp

    lundi = datetime.date(2026, 12, 7)
    debut = datetime.datetime(2026, 12, 8, 10, tzinfo=ZoneInfo("Europe/Paris"))
    rdv = rdv_du_referent(debut, territoire())
    referent = rdv.referent
    adresse = reverse("rendezvous:agenda_semaine", args=[lundi]) + f"?referent={referent.pk}"
    client.force_login(referent.utilisateur)
    assert "Léa Durand" in client.get(adresse).content.decode()
    RendezVous.objects.filter(pk=rdv.pk).update(nom="Léo Martin")
    html = client.get(adresse).content.decode()
    assert "Léo Martin" in html and "Léa Durand" not in html
    RendezVous.objects.filter(pk=rdv.pk).update(statut="annule-usager")
    assert "Léo Martin" not in client.get(adresse).content.decode()
    RendezVous.objects.filter(pk=rdv.pk).update(statut="confirme")
    gers = territoire("32", "Gers", RegionFactory(occitanie=True))
    ailleurs = UserFactory(agent_ars=True, departements=[gers])
    activer_totp(ailleurs)
    client.force_login(ailleurs)
    assert client.get(adresse).status_code == 404  # not their referent, kept grid or not
    client.force_login(referent.utilisateur)
    assert "Léo Martin" in client.get(adresse).content.decode()
