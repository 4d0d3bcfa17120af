"""Automatic findings of a bulletin: sentences with their numbers, computed from the figures
the bulletin shows (editors add their own "faits marquants" on top)."""

from demographie.graphiques import nombre, pourcentage
from guichet.vocabulaire import Profession

# Communes below this population are left out of the "most in need" finding: one professional
# more or less swings their density too much to rank them.
POPULATION_MIN_COMMUNE = 1000
NB_CITES = 3
PLURIELS = {
    "medecin-generaliste": "médecins généralistes",
    "medecin-specialiste": "médecins spécialistes",
    "chirurgien-dentiste": "chirurgiens-dentistes",
    "sage-femme": "sages-femmes",
    "infirmier": "infirmiers",
    "masseur-kinesitherapeute": "masseurs-kinésithérapeutes",
    "pharmacien": "pharmaciens",
    "orthophoniste": "orthophonistes",
    "orthoptiste": "orthoptistes",
    "pedicure-podologue": "pédicures-podologues",
}


def _pct(valeur) -> str:
    return pourcentage(valeur, signe=True)


def _nom(profession: str) -> str:
    return PLURIELS[profession]


def _liste(morceaux: list[str]) -> str:
    if len(morceaux) <= 1:
        return "".join(morceaux)
    return ", ".join(morceaux[:-1]) + " et " + morceaux[-1]


def _retrait_france(rapport) -> str | None:
    if not rapport.compare_a_la_france:
        return None
    ecarts = []
    for ligne in rapport.tableau:
        a, france = (
            ligne["agregat"],
            rapport.profil.comparaison.get("France", {}).get(ligne["profession"]),
        )
        if a.densite is None or france is None or not france.densite:
            continue
        ecarts.append((100 * (a.densite - france.densite) / france.densite, ligne, france))
    # by gap only: two equal gaps must not go on to compare their rows (dicts)
    en_retrait = sorted((e for e in ecarts if e[0] < 0), key=lambda e: e[0])[:NB_CITES]
    if not ecarts:
        return None
    if not en_retrait:
        return "Toutes les professions suivies ont une densité au moins égale à celle de la France."
    morceaux = [
        f"{_nom(ligne['profession'])} ({ligne['densite']} pour 100 000 habitants contre "
        f"{nombre(france.densite, 1)} en France, soit {_pct(ecart)})"
        for ecart, ligne, france in en_retrait
    ]
    return "Densités les plus en retrait de la France : " + _liste(morceaux) + "."


def _evolutions(rapport, champ: str, duree: str) -> str | None:
    valeurs = [
        (getattr(ligne["agregat"], champ), ligne["profession"])
        for ligne in rapport.tableau
        if getattr(ligne["agregat"], champ) is not None
    ]
    if not valeurs:
        return None
    if len(valeurs) == 1:
        ((v, p),) = valeurs
        return f"Sur {duree}, l'effectif des {_nom(p)} a évolué de {_pct(v)}."
    valeurs.sort()
    (bas, p_bas), (haut, p_haut) = valeurs[0], valeurs[-1]
    texte = f"Sur {duree}, l'effectif a le plus augmenté chez les {_nom(p_haut)} ({_pct(haut)})"
    if bas < 0:
        texte += f" et le plus baissé chez les {_nom(p_bas)} ({_pct(bas)})"
    elif haut > 0:
        texte += f" ; la plus faible hausse est celle des {_nom(p_bas)} ({_pct(bas)})"
    return texte + "."


def _retraites(rapport) -> str | None:
    lignes = [ligne for ligne in rapport.tableau if ligne["agregat"].part_60 is not None]
    if not lignes:
        return None
    ligne = max(lignes, key=lambda x: x["agregat"].part_60)
    a = ligne["agregat"]
    france = rapport.profil.comparaison.get("France", {}).get(ligne["profession"])
    texte = (
        f"{pourcentage(a.part_60)} des {_nom(ligne['profession'])} ont 60 ans ou plus "
        f"({nombre(a.age_60)} professionnels"
    )
    if rapport.compare_a_la_france and france is not None and france.part_60 is not None:
        texte += f" ; France : {pourcentage(france.part_60)}"
    return texte + ") : la part la plus forte, autant de départs en retraite à anticiper."


def _territoires_en_besoin(rapport, profession=Profession.MEDECIN_GENERALISTE.value) -> str | None:
    unites = []
    for code, par_profession in rapport.unites_carte.items():
        a = par_profession.get(profession)
        if a is None or a.densite is None or a.masques:  # a minimum cannot be ranked
            continue
        if len(code) == 5 and (a.population or 0) < POPULATION_MIN_COMMUNE:
            continue
        unites.append((a.densite, rapport.noms_carte.get(code, code)))
    if len(unites) < 2:
        return None
    communes = any(len(code) == 5 for code in rapport.unites_carte)
    unites.sort()
    morceaux = [f"{nom} ({nombre(d, 1)})" for d, nom in unites[:NB_CITES]]
    quoi = (
        f"communes de {nombre(POPULATION_MIN_COMMUNE)} habitants ou plus"
        if communes
        else "départements"
    )
    dotes = "dotées" if communes else "dotés"
    return (
        f"{quoi[0].upper()}{quoi[1:]} les moins bien {dotes} en {_nom(profession)}, pour 100 000 "
        f"habitants (sans cellule masquée) : " + _liste(morceaux) + "."
    )


def constats(rapport) -> list[str]:
    """The findings of a bulletin, most telling first; empty without data."""
    if not rapport.tableau:
        return []
    phrases = [
        _retrait_france(rapport),
        _evolutions(rapport, "evolution_1an", "un an"),
        _evolutions(rapport, "evolution_5ans", "cinq ans"),
        _retraites(rapport),
        _territoires_en_besoin(rapport),
    ]
    return [p for p in phrases if p]
