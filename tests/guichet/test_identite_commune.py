"""One identity per commune: whatever the portal writes (link, redirect, cookie, pre-filled
form) names a commune by its INSEE code, which is never read back as a postal code.

Overseas (and in the Nord, the Pas-de-Calais…), INSEE and postal codes overlap: 97213 is Le
Lamentin's INSEE code and Gros-Morne's postal code. Every commune is checked through the
writer and the parser; the communes whose INSEE code is another commune's postal code (the
dangerous class, about 3,000) through the real pages; a sample of the others too.
"""

import html as html_lib
import random
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from aides.forms import ETAPES
from guichet import projet
from guichet.forms import CommuneField, CommuneInput
from guichet.models import Commune

pytestmark = pytest.mark.django_db

SIMULATION = {
    "profession": "infirmier",
    "situation": "installe",
    "exercice": "seul",
    "secteur": "",
    "premiere": "oui",
    "aide_recente": "non",
}
# The answer each step's "Modifier" link asks again (the commune step: see its own test).
AUTRES_REPONSES = {
    "Votre profession": {"profession": "medecin-generaliste"},
    "Votre situation": {"situation": "remplacant"},
    "Votre projet": {
        "exercice": "groupe",
        "secteur": "secteur-1",
        "premiere": "non",
        "aide_recente": "non",
    },
}


# Simulator results requested over HTTP among the dangerous class (see the report's timings).
HTTP_DANGEREUSES = 600


def _dangereuses() -> list[str]:
    """INSEE codes that are also the postal code of another commune."""
    postaux: dict[str, set[str]] = {}
    for code, codes_postaux in Commune.objects.values_list("code", "codes_postaux"):
        for cp in codes_postaux:
            postaux.setdefault(cp, set()).add(code)
    return sorted(c for (c,) in Commune.objects.values_list("code") if postaux.get(c, {c}) - {c})


def _echantillon(codes, n, graine=28):
    return random.Random(graine).sample(sorted(codes), min(n, len(codes)))


def _entrees(html: str) -> dict[str, str]:
    """What a page's hidden and text inputs would send (name → value), as written."""
    return {
        nom: html_lib.unescape(valeur)
        for nom, valeur in re.findall(
            r'<input[^>]*?type="(?:hidden|text)"[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', html
        )
    }


def _commune_lue(donnees, nom="commune") -> Commune:
    return CommuneField().clean(CommuneInput().value_from_datadict(donnees, {}, nom))


def _lien_commune(html: str) -> str:
    """The commune a simulator result is about: its "Tout sur …" link to the commune page."""
    return re.search(r'<a href="/communes/([^/]+)/">Tout sur ', html)[1]


def test_la_dangerosite_existe_vraiment(territoires_complets):
    """The class the HTTP checks cover is real and large (not an empty loop)."""
    dangereuses = _dangereuses()
    assert "97213" in dangereuses and len(dangereuses) > 2500


def test_chaque_commune_ecrite_par_le_portail_se_relit_elle_meme(territoires_complets, monkeypatch):
    """Every commune (34,875): as a link writes it (its INSEE code under the field's name) and
    as a pre-filled form writes it (hidden code, label shown), it reads back as itself.

    The field's one database read for a written code (a primary key lookup) is served from
    the communes loaded here: 70,000 queries would take minutes on a loaded machine. The
    dangerous class goes through the real lookup just after, and through the pages below."""
    widget = CommuneInput()
    communes = {c.code: c for c in Commune.objects.select_related("departement")}
    assert len(communes) > 34000
    lecture = staticmethod(lambda code: communes.get(code))
    monkeypatch.setattr(CommuneField, "par_code", lecture, raising=False)
    mal_lues = []
    for commune in communes.values():
        lien = QueryDict(f"commune={commune.code}")
        formulaire = _entrees(widget.render("commune", commune))
        assert formulaire == {"commune": commune.code, "commune_saisie": commune.libelle}
        if _commune_lue(lien) != commune or _commune_lue(formulaire) != commune:
            mal_lues.append(commune.code)
    assert mal_lues == []
    monkeypatch.undo()
    dangereuses = _dangereuses()
    assert [c for c in dangereuses if _commune_lue({"commune": c}).code != c] == []


def test_ce_qu_une_personne_tape_reste_lu_comme_avant(territoires_complets):
    """The text input keeps the search's reading: a bare code typed is a postal code first;
    the label of a suggestion names its commune (a sample of the dangerous class)."""
    assert _commune_lue({"commune_saisie": "97232"}).nom == "Le Lamentin"  # postal code
    assert _commune_lue({"commune_saisie": "97213"}).nom == "Gros-Morne"  # postal code
    assert _commune_lue({"commune": "97213"}).nom == "Le Lamentin"  # written: INSEE
    # The pre-filled label edited by the person: the text wins over the hidden code.
    assert _commune_lue({"commune": "97213", "commune_saisie": "Niort"}).code == "79191"
    # Emptied: no commune (an optional field stays optional).
    vide = CommuneInput().value_from_datadict(
        {"commune": "97213", "commune_saisie": ""}, {}, "commune"
    )
    assert CommuneField(required=False).clean(vide) is None
    champ = CommuneField()
    echantillon = _echantillon(_dangereuses(), 300)
    communes = Commune.objects.select_related("departement").filter(pk__in=echantillon)
    assert [c.code for c in communes if champ.clean(c.libelle) != c] == []


def test_un_code_insee_ecrit_inconnu_est_refuse_sans_etre_lu_comme_code_postal(
    client, territoires_complets
):
    """79000 is Niort's postal code and no commune's INSEE code: written, it is refused."""
    with pytest.raises(Exception, match="Aucune commune n'a le code INSEE « 79000 »"):
        _commune_lue({"commune": "79000"})
    reponse = client.get(reverse("aides:simulateur"), {**SIMULATION, "commune": "79000"})
    assert reponse.status_code == 200
    assert "Aucune commune n&#x27;a le code INSEE « 79000 »" in reponse.content.decode()


@pytest.mark.longue
def test_lien_permanent_du_simulateur_et_liens_modifier(client, territoires_complets):
    """Every commune of the dangerous class (and a sample of the others): the simulator's
    result for its INSEE code is about it, and so are its permalink, each "Modifier" link,
    the aid list link and the pre-fill cookie."""
    dangereuses = _dangereuses()
    autres = Commune.objects.exclude(pk__in=dangereuses).values_list("code", flat=True)
    url = reverse("aides:simulateur")
    erreurs = []
    for code in [*_echantillon(dangereuses, HTTP_DANGEREUSES), *_echantillon(autres, 100)]:
        reponse = client.get(url, {**SIMULATION, "commune": code})
        html = reponse.content.decode()
        liens = [
            parse_qs(urlsplit(html_lib.unescape(h)).query)
            for h in re.findall(r'href="(/aides/(?:simulateur/)?\?[^"]+)"', html)
        ]
        communes_liens = {q["commune"][0] for q in liens if "commune" in q}
        requete = RequestFactory().get("/")
        requete.COOKIES = {nom: morceau.value for nom, morceau in reponse.cookies.items()}
        cookie = projet.lire(requete)
        if (
            _lien_commune(html) != code
            or communes_liens != {code}
            or len([q for q in liens if "commune" in q]) < len(ETAPES) - 1
            or cookie.get("commune") != code
        ):
            erreurs.append(code)
    assert erreurs == []


def test_suivre_chaque_lien_modifier_garde_la_commune(client, territoires_complets):
    """Following each "Modifier" link and answering again: the same commune, never the one
    whose postal code its INSEE code is (sample of the dangerous class, Le Lamentin first)."""
    url = reverse("aides:simulateur")
    for code in ["97213", *_echantillon(_dangereuses(), 20)]:
        html = client.get(url, {**SIMULATION, "commune": code}).content.decode()
        modifier = html.split("Modifier une réponse", 1)[1]
        for query, titre in re.findall(
            r'<a href="/aides/simulateur/\?([^"]*)">([^<]+)</a>', modifier
        )[: len(ETAPES)]:
            titre, query = html_lib.unescape(titre), html_lib.unescape(query)
            if titre == "Votre lieu d'exercice":
                continue
            etape = client.get(f"{url}?{query}").content.decode()
            donnees = {**_entrees(etape), **AUTRES_REPONSES[titre]}
            resultat = client.get(url, donnees).content.decode()
            assert _lien_commune(resultat) == code, (code, titre)


def test_le_lieu_d_exercice_modifie_est_tape_a_nouveau(client, territoires_complets):
    """The commune step's "Modifier" link asks the commune again; typing Le Lamentin's name
    gives Le Lamentin, and the answer is then written by its INSEE code."""
    url = reverse("aides:simulateur")
    html = client.get(url, {**SIMULATION, "commune": "97232"}).content.decode()
    query = re.search(r'<a href="/aides/simulateur/\?([^"]*)">Votre lieu d&#x27;exercice', html)
    etape = client.get(f"{url}?{html_lib.unescape(query[1])}").content.decode()
    assert "Dans quelle commune" in etape
    donnees = {**_entrees(etape), "commune_saisie": "Le Lamentin"}
    resultat = client.get(url, donnees)
    assert _lien_commune(resultat.content.decode()) == "97213"


@pytest.mark.longue
def test_la_page_commune_et_le_selecteur_de_demographie(client, territoires_complets):
    """The demography selector (every commune of the dangerous class) and the commune page's
    links to the simulator and the aid list (a sample) name the same commune."""
    erreurs = []
    for code in _dangereuses():
        reponse = client.get(
            reverse("demographie:accueil"), {"commune": code, "profession": "infirmier"}
        )
        if reponse.status_code != 302 or not reponse.url.startswith(
            f"/demographie/commune/{code}/"
        ):
            erreurs.append(code)
    assert erreurs == []
    for code in ["97213", *_echantillon(_dangereuses(), 20)]:
        page = client.get(reverse("guichet:commune", args=[code])).content.decode()
        lien = re.search(r'href="(/aides/simulateur/\?[^"]+)"', page)[1]
        assert parse_qs(urlsplit(html_lib.unescape(lien)).query)["commune"] == [code]
        # The simulator from the commune page: the commune is kept through every step.
        html = client.get(html_lib.unescape(lien)).content.decode()
        for reponses in (
            {"profession": "infirmier"},
            {"situation": "installe"},
            {k: SIMULATION[k] for k in ETAPES[3][1]},
        ):
            html = client.get(
                reverse("aides:simulateur"), {**_entrees(html), **reponses}
            ).content.decode()
        assert _lien_commune(html) == code


def test_du_simulateur_au_rendez_vous_le_lamentin_n_est_pas_tape_deux_fois(
    client, territoires_complets
):
    """Simulator (Le Lamentin by its name) → booking: the territory step and the booking form
    are pre-filled with Le Lamentin (INSEE 97213), never Gros-Morne (postal code 97213); the
    pre-filled territory step is sent as is."""
    import datetime

    import time_machine

    from tests.rendezvous.factories import (
        LieuFactory,
        MotifFactory,
        PlageFactory,
        ReferentFactory,
        martinique,
    )

    maintenant = datetime.datetime(2026, 12, 1, 10, 17, tzinfo=datetime.UTC)
    with time_machine.travel(maintenant, tick=False):
        dep = martinique()
        motif = MotifFactory(delai_minimum_heures=0, fenetre_jours=30)
        referent = ReferentFactory(departements=[dep])
        PlageFactory(
            referent=referent,
            motifs=[motif],
            lieu=LieuFactory(departement=dep),
            date_debut=maintenant.date(),
            heure_debut=datetime.time(9),
            heure_fin=datetime.time(12),
        )
        url = reverse("aides:simulateur")
        etape = client.get(url, {"profession": "infirmier", "situation": "installe"})
        donnees = {**_entrees(etape.content.decode()), "commune_saisie": "Le Lamentin"}
        etape = client.get(url, donnees).content.decode()  # the project step
        donnees = {**_entrees(etape), **{k: SIMULATION[k] for k in ETAPES[3][1]}}
        resultat = client.get(url, donnees).content.decode()
        assert _lien_commune(resultat) == "97213"
        # The booking's territory step: Le Lamentin, written by its INSEE code.
        accueil = client.get(reverse("rendezvous:accueil")).content.decode()
        entrees = _entrees(accueil)
        assert entrees["commune"] == "97213"
        assert entrees["commune_saisie"] == "Le Lamentin — Martinique (972), 97232"
        assert "Gros-Morne" not in accueil
        territoire = {k: v for k, v in entrees.items() if k.startswith("commune")}
        suite = client.get(reverse("rendezvous:accueil"), territoire)
        assert suite.status_code == 302 and suite.url == reverse("rendezvous:motifs", args=["972"])
        creneaux = client.get(
            reverse("rendezvous:creneaux", args=["972", motif.slug]) + "?semaine=2026-12-07"
        ).content.decode()
        cle = re.search(r'reserver/\?creneau=([\d]+-[\dT]+)"', creneaux)[1]
        formulaire = client.get(
            reverse("rendezvous:reserver", args=["972", motif.slug]) + f"?creneau={cle}"
        ).content.decode()
        entrees = _entrees(formulaire)
        assert entrees["commune"] == "97213"
        assert entrees["commune_saisie"].startswith("Le Lamentin — Martinique (972)")
        assert "Gros-Morne" not in formulaire
