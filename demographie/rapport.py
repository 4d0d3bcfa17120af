"""What the territory page, its CSV export and the bulletin show, built once from the
indicators so that the three always agree."""

import io
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import reverse

from demographie import cartes, constats, contours, graphiques, indicateurs
from demographie.graphiques import nombre, pourcentage
from demographie.models import PROFESSIONS, IndicateurDispositif, Niveau, TrancheAge
from demographie.territoires import REGIONS_MONODEPARTEMENTALES, Territoire, france
from guichet.csv_export import EcrivainCSV
from guichet.grammaire import PROFESSIONS_PLURIEL
from guichet.models import Commune, Departement
from guichet.vocabulaire import Profession

# The professions that get their own section in the bulletin.
PROFESSIONS_PRINCIPALES = [
    Profession.MEDECIN_GENERALISTE,
    Profession.MEDECIN_SPECIALISTE,
    Profession.CHIRURGIEN_DENTISTE,
    Profession.SAGE_FEMME,
    Profession.INFIRMIER,
    Profession.MASSEUR_KINESITHERAPEUTE,
    Profession.PHARMACIEN,
]
TRANCHES_CONNUES = [(t.value, t.label) for t in TrancheAge if t != TrancheAge.INCONNU]
MAX_BARRES_SOUS_TERRITOIRES = 20


def effectif_texte(a: indicateurs.Agregat) -> str:
    """ "1 145", "≥ 12" (some cells masked: a minimum), "masqué" (nothing known but masked
    cells: never a zero), "inconnu" or "—" (no row)."""
    if a.masques and not a.effectif:
        return "masqué"
    if a.effectif is None:
        return "inconnu" if a.lignes else "—"
    return ("≥ " if a.masques else "") + nombre(a.effectif)


@dataclass
class ChiffreCle:
    libelle: str
    valeur: str
    detail: str = ""


@dataclass
class Section:
    """One profession: key figures, pyramid, evolution and sub-territories."""

    profession: str
    libelle: str
    agregat: indicateurs.Agregat
    pyramide: graphiques.Graphique | None
    evolution: graphiques.Graphique
    comparaison: graphiques.Graphique
    sous_territoires: list[dict] = field(default_factory=list)
    carte: graphiques.Graphique | None = None
    ligne: dict = field(default_factory=dict)

    @property
    def graphiques(self) -> list[graphiques.Graphique]:
        return [g for g in (self.pyramide, self.evolution, self.comparaison, self.carte) if g]


@dataclass
class GroupeSansProfessionnel:
    """Map units with no known professional of the main professions: every density is zero
    except those of `inconnues` (labels), unknown or masked."""

    unite: str  # "commune" or "département"
    inconnues: list[str]
    noms: list[str] = field(default_factory=list)

    @property
    def intitule(self) -> str:
        """The list's heading. A unit with a masked cell has someone (the headcount is a
        minimum), so only a group with no unknown density is said to have no professional."""
        n, unites = len(PROFESSIONS_PRINCIPALES), f"{self.unite.capitalize()}s"
        if not self.inconnues:
            texte = f"{unites} sans aucun professionnel de ces {n} professions, densité 0"
            return f"{texte} sur chaque carte ({len(self.noms)})"
        if len(self.inconnues) == n:
            texte = f"{unites} de densité inconnue ou masquée pour chacune de ces {n} professions"
            return f"{texte} ({len(self.noms)})"
        texte = f"{unites} de densité inconnue ou masquée pour {', '.join(self.inconnues)}"
        return f"{texte}, nulle pour les autres professions ({len(self.noms)})"


@dataclass
class TableauCarte:
    lignes: list[tuple[str, list[str]]] = field(default_factory=list)
    groupes: list[GroupeSansProfessionnel] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.lignes or self.groupes)


@dataclass
class Rapport:
    territoire: Territoire
    profil: indicateurs.Profil
    annee: int | None
    profession: str
    libelle_profession: str
    chiffres_cles: list[ChiffreCle] = field(default_factory=list)
    tableau: list[dict] = field(default_factory=list)
    sections: dict[str, Section] = field(default_factory=dict)
    dispositifs: list["LigneDispositif"] = field(default_factory=list)
    perimetre_dispositifs: str = ""
    liens_aides: list[tuple[str, str]] = field(default_factory=list)
    constats: list[str] = field(default_factory=list)
    # Indicators of the map's units (départements of France, a région's départements or a
    # département's communes): code -> profession -> Agregat, and their names.
    unites_carte: dict[str, dict[str, indicateurs.Agregat]] = field(default_factory=dict)
    noms_carte: dict[str, str] = field(default_factory=dict)
    # The other départements of the région, for the comparison of a département.
    voisins: list[tuple[Territoire, dict[str, indicateurs.Agregat]]] = field(default_factory=list)

    @property
    def sources_dispositifs(self) -> str:
        return " ; ".join(sorted({d.indicateur.source for d in self.dispositifs}))

    @property
    def dispositifs_clos(self) -> list[str]:
        return sorted({d.libelle for d in self.dispositifs if d.clos})

    @property
    def compare_a_la_france(self) -> bool:
        """France is never compared with itself."""
        return not self.territoire.est_france

    @property
    def section(self) -> Section | None:
        return self.sections.get(self.profession)

    @property
    def donnees_fictives(self) -> bool:
        return self.profil.donnees_fictives

    @property
    def libelle_sources(self) -> str:
        return " ; ".join(s.libelle for s in self.profil.sources) or "—"

    @property
    def masques(self) -> int:
        return sum(a.masques for a in self.profil.professions.values())

    @property
    def professions_principales(self) -> list[tuple[str, str]]:
        return [(str(p), p.label) for p in PROFESSIONS_PRINCIPALES]

    @property
    def unite_carte(self) -> str:
        t = self.territoire
        if t.est_france or t.niveau == Niveau.REGION and not t.monodepartemental:
            return "département"
        return "commune"

    @cached_property
    def tableau_carte(self) -> TableauCarte:
        """The maps' data, one row per map unit with the density of each main profession.
        Units with no known professional (each density zero or unknown) are named in lists,
        one per set of unknown professions, rather than given a row of "0,0" and dashes: most
        communes of a rural département have no one, and their rows filled pages."""
        tableau, groupes = TableauCarte(), {}
        libelles = [p.label for p in PROFESSIONS_PRINCIPALES]
        for code, par_profession in sorted(self.unites_carte.items()):
            nom = self.noms_carte.get(code, code)
            densites = [_densite_carte(par_profession[str(p)]) for p in PROFESSIONS_PRINCIPALES]
            if any(densites):
                tableau.lignes.append((nom, [nombre(d, 1) for d in densites]))
                continue
            inconnues = tuple(lib for lib, d in zip(libelles, densites, strict=True) if d is None)
            if inconnues not in groupes:
                groupes[inconnues] = GroupeSansProfessionnel(self.unite_carte, list(inconnues))
            groupes[inconnues].noms.append(nom)
        tableau.groupes = sorted(groupes.values(), key=lambda g: len(g.inconnues))
        return tableau

    @property
    def tableau_sous_territoires(self) -> list[dict]:
        """One row per child territory: headcount of each main profession and GP density."""
        par_profession = self.profil.sous_territoires
        if not par_profession:
            return []
        lignes = []
        generalistes = par_profession[Profession.MEDECIN_GENERALISTE.value]
        for i, (enfant, generaliste) in enumerate(generalistes):
            agregats = [par_profession[str(p)][i][1] for p in PROFESSIONS_PRINCIPALES]
            if not any(a.lignes for a in agregats):
                continue
            lignes.append(
                {
                    "territoire": enfant,
                    "effectifs": [effectif_texte(a) for a in agregats],
                    "densite_generalistes": nombre(generaliste.densite, 1),
                }
            )
        return lignes


def _france(profil, profession):
    return (profil.comparaison.get("France") or {}).get(profession)


def _ligne_tableau(profession, a: indicateurs.Agregat, france: indicateurs.Agregat | None):
    if france is a:  # the national edition: no gap of France with itself
        france = None
    ecart = None
    if a.densite is not None and france is not None and france.densite:
        ecart = 100 * (a.densite - france.densite) / france.densite
    return {
        "profession": profession,
        "libelle": Profession(profession).label,
        "agregat": a,
        "effectif": effectif_texte(a),
        "densite": nombre(a.densite, 1),
        "densite_france": nombre(france.densite, 1) if france else "—",
        "ecart_france": pourcentage(ecart, signe=True),
        "evolution_1an": pourcentage(a.evolution_1an, signe=True),
        "evolution_5ans": pourcentage(a.evolution_5ans, signe=True),
        "part_60": pourcentage(a.part_60),
        "part_femmes": pourcentage(a.part_femmes),
        "part_liberal": pourcentage(a.part_liberal),
        "part_salarie": pourcentage(a.part_salarie),
        "part_mixte": pourcentage(a.part_mixte),
        "masques": a.masques,
    }


def _section(rapport: Rapport, profession: str, detail_graphiques: bool) -> Section:
    profil, t, annee = rapport.profil, rapport.territoire, rapport.annee
    libelle = Profession(profession).label
    a = profil.professions[profession]
    prefixe = f"{profession}-{t.niveau}-{t.code}"
    pyr = None
    if any(profil.pyramides.get(profession, {}).values()):
        pyr = graphiques.pyramide(
            f"pyramide-{prefixe}",
            f"Pyramide des âges : {libelle}, {t.nom}, {annee}",
            f"Effectifs de la profession « {libelle} » par tranche d'âge et par sexe en {annee} "
            f"({t.nom}). Hommes à gauche, femmes à droite.",
            TRANCHES_CONNUES,
            profil.pyramides[profession],
        )
    series = {
        nom: {an: ag.densite for an, ag in serie.items()}
        for nom, serie in profil.evolutions.get(profession, {}).items()
    }
    evolution = graphiques.courbes(
        f"evolution-{prefixe}",
        f"Évolution de la densité : {libelle}, {profil.annees[0]}–{profil.annees[-1]}",
        f"Densité de la profession « {libelle} » pour 100 000 habitants, chaque année, pour "
        + ", ".join(series)
        + ".",
        series,
        "pour 100 000 habitants",
        decimales=1,
    )
    france = _france(profil, profession)
    reference = france.densite if france else None
    comparaison = graphiques.barres(
        f"comparaison-{prefixe}",
        f"Comparaison des densités : {libelle}, {annee}",
        f"Densité de la profession « {libelle} » pour 100 000 habitants en {annee}, du plus "
        f"dense au moins dense : {t.nom}"
        + ("" if t.est_france else ", ses territoires de rattachement")
        + " et ses subdivisions ; le trait noir marque la densité de la France.",
        _barres(rapport, profession),
        "Densité pour 100 000 habitants",
        reference,
        f"France : {nombre(reference, 1)}",
        decimales=1,
        mis_en_avant=t.nom,
    )
    carte = _carte(rapport, profession, libelle, impression=detail_graphiques)
    enfants = profil.sous_territoires.get(profession, [])
    sous = [
        {"territoire": e, **_ligne_tableau(profession, ag, france)}
        for e, ag in enfants
        if ag.lignes
    ]
    ligne = next((x for x in rapport.tableau if x["profession"] == profession), {})
    return Section(profession, libelle, a, pyr, evolution, comparaison, sous, carte, ligne)


def _barres(rapport: Rapport, profession: str) -> list[tuple[str, float | None]]:
    """The territory, its parents (France is the reference tick, not a bar), its neighbours
    (the other départements of its région) and its subdivisions when they are few."""
    profil = rapport.profil
    barres = [
        (nom, par_profession[profession].densite)
        for nom, par_profession in profil.comparaison.items()
        if nom != "France"
    ]
    barres += [(v.nom, ag[profession].densite) for v, ag in rapport.voisins]
    enfants = profil.sous_territoires.get(profession, [])
    if len(enfants) <= MAX_BARRES_SOUS_TERRITOIRES:
        barres.extend((e.nom, ag.densite) for e, ag in enfants if ag.lignes)
    return barres


def _densite_carte(a: indicateurs.Agregat):
    """A map shows known densities only: with a masked cell the headcount is a minimum."""
    return None if a.masques else a.densite


def _carte(
    rapport: Rapport, profession: str, libelle: str, impression: bool = False
) -> graphiques.Graphique | None:
    """The section's map; ``impression`` (the bulletin) draws France with the outlines
    simplified for its printed size."""
    t, annee = rapport.territoire, rapport.annee
    if not rapport.unites_carte:
        return None
    if t.est_france and impression:
        formes, unite = contours.departements_impression(), "département"
    elif t.est_france or t.niveau == Niveau.REGION and not t.monodepartemental:
        formes, unite = contours.departements(), "département"
    else:
        formes, unite = contours.communes(t.departement_code), "commune"
    valeurs = {code: _densite_carte(ag[profession]) for code, ag in rapport.unites_carte.items()}
    if unite == "commune":  # every commune is drawn, those without figures hatched
        valeurs = {code: valeurs.get(code) for code in formes}
    return cartes.carte(
        f"carte-{profession}-{t.niveau}-{t.code}",
        f"Carte des densités par {unite} : {libelle}, {t.nom}, {annee}",
        f"Carte de la densité de la profession « {libelle} » pour 100 000 habitants par "
        f"{unite} en {annee} ({t.nom}) : plus la teinte est foncée, plus la densité est forte ; "
        "les territoires hachurés n'ont pas de valeur connue. Les valeurs sont dans le tableau "
        "des données.",
        {code: formes[code] for code in valeurs if code in formes},
        valeurs,
        rapport.noms_carte,
        "Densité pour 100 000 habitants",
    )


def _unites_carte(rapport: Rapport) -> None:
    """The map's units and their indicators (one query for France, none otherwise)."""
    t, profil = rapport.territoire, rapport.profil
    if t.est_france:
        rapport.unites_carte = indicateurs.par_departement(rapport.annee)
        rapport.noms_carte = dict(Departement.objects.values_list("code", "nom"))
        return
    if t.niveau == Niveau.COMMUNE:
        return
    unites: dict[str, dict[str, indicateurs.Agregat]] = {}
    if t.niveau_enfants == Niveau.COMMUNE:  # every commune is drawn, with its name
        rapport.noms_carte = dict(
            Commune.objects.filter(departement_id=t.departement_code).values_list("code", "nom")
        )
    for p, enfants in profil.sous_territoires.items():
        for e, ag in enfants:
            unites.setdefault(e.code, {})[p] = ag
            rapport.noms_carte[e.code] = e.nom
    rapport.unites_carte = unites


def _voisins(rapport: Rapport) -> None:
    """A département is compared with the other départements of its région, an overseas
    département with the other overseas départements (one aggregation query)."""
    t = rapport.territoire
    if t.region_code in REGIONS_MONODEPARTEMENTALES and t.niveau != Niveau.COMMUNE:
        parent, gardes = france(), set(REGIONS_MONODEPARTEMENTALES) - {t.region_code}
    elif t.niveau == Niveau.DEPARTEMENT and t.parent is not None and not t.parent.est_france:
        parent, gardes = t.parent, None
    else:
        return
    profil = rapport.profil
    resume = profil.resumes.get((parent.niveau, parent.code))
    choix = resume.choix if resume else indicateurs.niveaux_par_annee(parent)
    par_profession = indicateurs.par_sous_territoire(
        parent, choix, rapport.annee, pops=profil.populations or None
    )
    voisins: dict[str, tuple[Territoire, dict]] = {}
    for p, enfants in par_profession.items():
        for e, ag in enfants:
            if e.code != t.code and ag.lignes and (gardes is None or e.code in gardes):
                voisins.setdefault(e.code, (e, {}))[1][p] = ag
    vide = indicateurs.Agregat(annee=rapport.annee)
    rapport.voisins = [
        (e, {p.value: ag.get(p.value, vide) for p in PROFESSIONS}) for e, ag in voisins.values()
    ]


def construire(t: Territoire, *, annee=None, profession=None, toutes_sections=False) -> Rapport:
    profession = profession or Profession.MEDECIN_GENERALISTE.value
    profil = indicateurs.profil(t, annee=annee, profession=profession)
    rapport = Rapport(
        territoire=t,
        profil=profil,
        annee=profil.annee,
        profession=profession,
        libelle_profession=Profession(profession).label,
    )
    rapport.dispositifs, rapport.perimetre_dispositifs = _dispositifs(t)
    rapport.liens_aides = _liens_aides(t)
    if not profil.a_des_donnees:
        return rapport
    rapport.tableau = [
        _ligne_tableau(p.value, profil.professions[p.value], _france(profil, p.value))
        for p in PROFESSIONS
    ]
    _unites_carte(rapport)
    _voisins(rapport)
    a_montrer = PROFESSIONS_PRINCIPALES if toutes_sections else [profession]
    for p in a_montrer:
        rapport.sections[str(p)] = _section(rapport, str(p), toutes_sections)
    rapport.chiffres_cles = _chiffres_cles(rapport)
    rapport.constats = constats.constats(rapport)
    return rapport


def _chiffres_cles(rapport: Rapport) -> list[ChiffreCle]:
    profil, annee = rapport.profil, rapport.annee
    a = profil.professions[rapport.profession]
    france = _france(profil, rapport.profession) if rapport.compare_a_la_france else None
    densite_detail = f"France : {nombre(france.densite, 1)}" if france and france.densite else ""
    if a.population_autre_annee:
        densite_detail += f" (population {a.annee_population})"
    e = profil.ensemble
    # "107 Médecins généralistes", "1 Orthoptiste": the label agrees with the figure above it
    libelle = rapport.libelle_profession
    if a.effectif is None or a.effectif >= 2:
        pluriel = PROFESSIONS_PLURIEL.get(rapport.profession)
        libelle = pluriel[0].upper() + pluriel[1:] if pluriel else libelle
    return [
        ChiffreCle(
            f"{libelle} au 1er janvier {annee}",
            effectif_texte(a),
            f"{pourcentage(a.evolution_1an, True)} en 1 an, "
            f"{pourcentage(a.evolution_5ans, True)} en 5 ans",
        ),
        ChiffreCle("Densité pour 100 000 habitants", nombre(a.densite, 1), densite_detail.strip()),
        ChiffreCle(
            "Part des 60 ans et plus",
            pourcentage(a.part_60),
            f"France : {pourcentage(france.part_60)}" if france else "",
        ),
        ChiffreCle(
            "Part des femmes",
            pourcentage(a.part_femmes),
            f"France : {pourcentage(france.part_femmes)}" if france else "",
        ),
        ChiffreCle(
            "Exercice libéral ou mixte",
            pourcentage(None if a.part_liberal is None else a.part_liberal + (a.part_mixte or 0)),
            f"Salarié : {pourcentage(a.part_salarie)}",
        ),
        ChiffreCle(
            "Professionnels de santé suivis",
            effectif_texte(e),
            f"{pourcentage(e.evolution_5ans, True)} en 5 ans",
        ),
    ]


# What became of each Pacte territoire santé scheme since its 2016 assessment.
STATUTS_DISPOSITIFS = {
    "cesp_contrats_signes": "En vigueur",
    "cesp_installations": "En vigueur",
    "cesp_installations_a_venir_2018": "En vigueur",
    "ptmg_contrats_signes": "Clos en 2020, remplacé par le contrat de début d'exercice",
    "mcs_medecins": "En vigueur",
    "msp_ouvertes": "En vigueur (accord conventionnel interprofessionnel depuis 2017)",
    "maitres_de_stage_2e_cycle": "En vigueur",
}
# A forecast counted at the end of 2016 is not an achievement.
PREVISIONS = {"cesp_installations_a_venir_2018"}


@dataclass
class LigneDispositif:
    indicateur: IndicateurDispositif

    @property
    def libelle(self) -> str:
        return self.indicateur.get_indicateur_display()

    @property
    def statut(self) -> str:
        return STATUTS_DISPOSITIFS.get(self.indicateur.indicateur, "")

    @property
    def clos(self) -> bool:
        return self.statut.startswith("Clos")

    @property
    def nature(self) -> str:
        if self.indicateur.indicateur in PREVISIONS:
            return "Prévision"
        return self.indicateur.get_nature_display()

    @property
    def valeur(self) -> str:
        return nombre(self.indicateur.valeur) if self.indicateur.valeur is not None else "inconnu"


def _dispositifs(t: Territoire):
    qs = IndicateurDispositif.objects.order_by("indicateur", "annee", "nature")
    if t.est_france:
        return [LigneDispositif(i) for i in qs.nationaux()], "France"
    region = t.region_code
    lignes = list(qs.filter(region_id=region).select_related("region"))
    nom = lignes[0].region.nom if lignes else t.nom
    return [LigneDispositif(i) for i in lignes], nom


def _liens_aides(t: Territoire) -> list[tuple[str, str]]:
    url = reverse("aides:liste")
    if t.departement_code:
        return [(f"{url}?departement={t.departement_code}", f"Les aides à l'installation, {t.nom}")]
    if t.niveau == Niveau.REGION:
        return [
            (f"{url}?departement={d.code}", f"Les aides à l'installation, {d.nom} ({d.code})")
            for d in Departement.objects.filter(region_id=t.code).order_by("code")
        ]
    return [(url, "Les aides à l'installation")]


# The CSV export: its header, and the indicators written for each profession, in order.
ENTETE_CSV = ["annee", "niveau", "code_territoire", "territoire", "profession", "indicateur",
              "valeur", "source"]  # fmt: skip
CHAMPS_CSV = ["effectif", "masques", "densite", "annee_population", "effectif_1an",
              "effectif_5ans", "evolution_1an", "evolution_5ans", "part_60", "part_femmes",
              "part_liberal", "part_salarie", "part_mixte"]  # fmt: skip


def exporter_csv(rapport: Rapport) -> str:
    """The page's figures in long format: one indicator value per line."""
    sortie = io.StringIO()
    w = EcrivainCSV(sortie)
    w.writerow(ENTETE_CSV)
    t, sources = rapport.territoire, rapport.libelle_sources

    def ecrire(territoire, profession, indicateur, valeur, annee=rapport.annee):
        if isinstance(valeur, float):
            valeur = round(valeur, 2)
        valeur = "" if valeur is None else valeur
        w.writerow(
            [
                annee,
                territoire.niveau,
                territoire.code,
                territoire.nom,
                profession,
                indicateur,
                valeur,
                sources,
            ]
        )

    for p in PROFESSIONS:
        a = rapport.profil.professions.get(p.value)
        if a is None:
            continue
        for champ in CHAMPS_CSV:
            ecrire(t, p.value, champ, getattr(a, champ))
    section = rapport.section
    if section and section.pyramide:
        for code, _ in TRANCHES_CONNUES:
            for sexe in ("F", "H"):
                valeur = rapport.profil.pyramides[rapport.profession].get((code, sexe))
                ecrire(t, rapport.profession, f"effectif_{code}_{sexe}", valeur)
    for nom, serie in rapport.profil.evolutions.get(rapport.profession, {}).items():
        territoire = next(x for x in t.chaine() if x.nom == nom)
        for an, ag in serie.items():
            ecrire(territoire, rapport.profession, "densite", ag.densite, annee=an)
    return sortie.getvalue()
