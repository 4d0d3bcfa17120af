"""Server-rendered SVG charts, the same markup in the web page and in the PDF.

Each chart is real text (no paths for letters), has a <title> and a <desc> (the PDF's /Alt
text and the screen reader's name), never relies on colour alone (patterns, markers, labels),
and comes with the table of its data.
"""

import base64
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

BLEU = "#000091"
BLEU_CLAIR = "#6a6af4"
ROUGE = "#c9191e"
GRIS = "#666666"
VERT = "#18753c"
COULEURS = [BLEU, ROUGE, VERT, GRIS]
TIRETS = ["", "6 3", "2 3", "8 3 2 3"]
MARQUES = ["rond", "carre", "triangle", "losange"]
POLICE = 'font-family="Marianne, Arial, sans-serif"'


def nombre(valeur, decimales: int = 0, signe: bool = False) -> str:
    """French number formatting for people (pages, bulletin, charts; never the CSV): no-break
    space for thousands, comma for decimals, the minus sign U+2212 rather than a hyphen."""
    if valeur is None:
        return "—"
    texte = f"{valeur:{'+' if signe else ''},.{decimales}f}"
    return texte.replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212")


def pourcentage(valeur, signe: bool = False) -> str:
    """ "30,0 %", the sign kept on its number by a no-break space (a line never starts with %)."""
    return "—" if valeur is None else f"{nombre(valeur, 1, signe)}\u00a0%"


@dataclass
class Graphique:
    identifiant: str
    titre: str
    description: str
    svg: str
    entetes: list[str] = field(default_factory=list)
    lignes: list[list[str]] = field(default_factory=list)

    def __html__(self):
        return self.svg

    @property
    def image(self) -> str:
        """The same SVG as a data: URL, for the PDF's <img>: WeasyPrint draws it alike, but
        computes no HTML style for its elements (a third of the national bulletin's, each with
        its six pseudo-elements) and does not parse it twice."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()

    @property
    def texte_alternatif(self) -> str:
        """The PDF's /Alt text of the chart as an image: its title and its description."""
        return f"{self.titre}. {self.description}"


def _ouvrir(identifiant, largeur, hauteur, titre, description) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graphique" id="{identifiant}" '
        f'viewBox="0 0 {largeur} {hauteur}" width="{largeur}" height="{hauteur}" role="img" '
        f'aria-labelledby="{identifiant}-titre {identifiant}-desc" {POLICE} font-size="12">',
        f'<title id="{identifiant}-titre">{escape(titre)}</title>',
        f'<desc id="{identifiant}-desc">{escape(description)}</desc>',
    ]


def _graduations(maximum: float, n: int = 4) -> list[float]:
    if maximum <= 0:
        return [0, 1]
    brut = maximum / n
    puissance = 10 ** len(str(int(brut))) / 10 if brut >= 1 else 1
    pas = next(p * puissance for p in (1, 2, 2.5, 5, 10) if p * puissance >= brut)
    return [i * pas for i in range(n + 2) if i * pas <= maximum + pas][: n + 2]


def _marque(forme, x, y, couleur) -> str:
    if forme == "carre":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{couleur}"/>'
    if forme == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} '
            f'{x - 5:.1f},{y + 4:.1f}" fill="{couleur}"/>'
        )
    if forme == "losange":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
            f'{x - 5:.1f},{y:.1f}" fill="{couleur}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{couleur}"/>'


def pyramide(
    identifiant: str, titre: str, description: str, tranches: list[tuple[str, str]], valeurs: dict
) -> Graphique:
    """Age pyramid: men on the left, women on the right, one row per age band (oldest on top).

    ``tranches`` lists (code, label) from the youngest; ``valeurs`` maps (code, "H"|"F") to a
    headcount or None (masked)."""
    largeur, haut_ligne, marge_haut = 400, 24, 30
    hauteur = marge_haut + haut_ligne * len(tranches) + 30
    centre, demi = largeur / 2, 120
    maximum = max([v or 0 for v in valeurs.values()] + [1])
    svg = _ouvrir(identifiant, largeur, hauteur, titre, description)
    svg.append(f'<text x="{centre - 24}" y="18" text-anchor="end" font-weight="bold">Hommes</text>')
    svg.append(f'<text x="{centre + 24}" y="18" font-weight="bold">Femmes</text>')
    lignes = []
    for i, (code, libelle) in enumerate(reversed(tranches)):
        y = marge_haut + i * haut_ligne
        h, f = valeurs.get((code, "H")), valeurs.get((code, "F"))
        lh, lf = demi * (h or 0) / maximum, demi * (f or 0) / maximum
        svg.append(
            f'<rect x="{centre - 22 - lh:.1f}" y="{y}" width="{lh:.1f}" height="{haut_ligne - 6}" '
            f'fill="{BLEU}"/>'
        )
        svg.append(
            f'<rect x="{centre + 22:.1f}" y="{y}" width="{lf:.1f}" height="{haut_ligne - 6}" '
            f'fill="{ROUGE}"/>'
        )
        ty = y + haut_ligne / 2 + 1
        svg.append(f'<text x="{centre}" y="{ty:.1f}" text-anchor="middle">{escape(code)}</text>')
        svg.append(
            f'<text x="{centre - 26 - lh:.1f}" y="{ty:.1f}" text-anchor="end">{nombre(h)}</text>'
        )
        svg.append(f'<text x="{centre + 26 + lf:.1f}" y="{ty:.1f}">{nombre(f)}</text>')
        lignes.append([libelle, nombre(h), nombre(f)])
    svg.append(
        f'<text x="{centre}" y="{hauteur - 8}" text-anchor="middle" fill="{GRIS}" '
        'font-size="10">Effectifs par tranche d’âge ; « — » : masqué ou inconnu</text>'
    )
    svg.append("</svg>")
    return Graphique(
        identifiant,
        titre,
        description,
        mark_safe("".join(svg)),  # noqa: S308 - escaped above
        ["Tranche d'âge", "Hommes", "Femmes"],
        list(reversed(lignes)),
    )


def _grille(graduations, gauche, droite, py) -> list[str]:
    """A horizontal line and its value at each graduation."""
    svg = []
    for g in graduations:
        svg.append(
            f'<line x1="{gauche}" x2="{droite}" y1="{py(g):.1f}" y2="{py(g):.1f}" '
            'stroke="#dddddd"/>'
        )
        svg.append(
            f'<text x="{gauche - 6}" y="{py(g) + 4:.1f}" text-anchor="end">{nombre(g)}</text>'
        )
    return svg


def _serie(n, nom, points, gauche, bas_zone) -> list[str]:
    """The ``n``-th series' line and markers, and its legend entry under the plot area."""
    svg = []
    couleur, tiret, forme = COULEURS[n % 4], TIRETS[n % 4], MARQUES[n % 4]
    if len(points) > 1:
        chemin = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        dash = f' stroke-dasharray="{tiret}"' if tiret else ""
        svg.append(
            f'<polyline points="{chemin}" fill="none" stroke="{couleur}" stroke-width="2"{dash}/>'
        )
    svg.extend(_marque(forme, x, y, couleur) for x, y in points)
    ly = bas_zone + 38 + (n // 2) * 18
    lx = gauche + (n % 2) * 180
    svg.append(_marque(forme, lx + 10, ly - 4, couleur))
    svg.append(
        f'<line x1="{lx}" x2="{lx + 20}" y1="{ly - 4}" y2="{ly - 4}" stroke="{couleur}" '
        f'stroke-width="2"{f" stroke-dasharray={chr(34)}{tiret}{chr(34)}" if tiret else ""}/>'
    )
    svg.append(f'<text x="{lx + 26}" y="{ly}">{escape(nom)}</text>')
    return svg


def courbes(
    identifiant: str,
    titre: str,
    description: str,
    series: dict[str, dict[int, float | None]],
    unite: str,
    decimales: int = 0,
    abscisses: tuple[str, list[str]] | None = None,
) -> Graphique:
    """Lines over the years, one per series (territory), with distinct dashes and markers.
    ``abscisses``: another x axis than years, its header and one label per value in order
    (the dashboard's months: ``("Mois", ["janv.", …])`` for the values 1 to 12)."""
    annees = sorted({a for s in series.values() for a in s})
    largeur = 400
    gauche, droite, haut, bas = 44, 24, 20, 30 + 18 * ((len(series) + 1) // 2)
    hauteur = 170 + bas
    valeurs = [v for s in series.values() for v in s.values() if v is not None]
    maximum = max(valeurs + [1]) * 1.1
    graduations = _graduations(maximum)
    maximum = max(graduations[-1], maximum)
    svg = _ouvrir(identifiant, largeur, hauteur, titre, description)
    zone_l, zone_h = largeur - gauche - droite, hauteur - haut - bas

    def px(i):
        return gauche + (zone_l * i / max(len(annees) - 1, 1) if len(annees) > 1 else zone_l / 2)

    def py(v):
        return haut + zone_h - zone_h * v / maximum

    svg += _grille(graduations, gauche, largeur - droite, py)
    entete_x, noms_x = abscisses or ("Année", [str(a) for a in annees])
    etiquettes = annees if len(annees) <= 8 else annees[:: (len(annees) + 7) // 8]
    for i, a in enumerate(annees):
        if a in etiquettes:
            svg.append(
                f'<text x="{px(i):.1f}" y="{haut + zone_h + 16}" text-anchor="middle">'
                f"{escape(noms_x[i])}</text>"
            )
    svg.append(f'<text x="{gauche}" y="{haut - 6}" fill="{GRIS}">{escape(unite)}</text>')
    for n, (nom, serie) in enumerate(series.items()):
        svg += _serie(
            n,
            nom,
            [(px(i), py(serie[a])) for i, a in enumerate(annees) if serie.get(a) is not None],
            gauche,
            haut + zone_h,
        )
    svg.append("</svg>")
    lignes = [
        [noms_x[i], *[nombre(s.get(a), decimales) for s in series.values()]]
        for i, a in enumerate(annees)
    ]
    return Graphique(
        identifiant,
        titre,
        description,
        mark_safe("".join(svg)),  # noqa: S308 - escaped above
        [entete_x, *series.keys()],
        lignes,
    )


def largeur_texte(texte: str, taille: float = 12) -> float:
    """Upper bound of a label's width in the chart's units (Marianne digits are ~0.6 em)."""
    return len(texte) * taille * 0.62


def _barre(y, gauche, haut_ligne, libelle, valeur, long, rx, decimales, fort) -> list[str]:
    """One bar at height ``y``: its label, the bar, and its value (moved past the reference tick
    at ``rx`` when the tick would cross it)."""
    svg = []
    gras = ' font-weight="bold"' if fort else ""
    # Every French territory's name fits whole: a long one ("Pyrénées-Atlantiques (64)",
    # "Provence-Alpes-Côte d'Azur") is set smaller rather than cut.
    taille = max(8.0, min(10.5, int(10 * (gauche - 6) / largeur_texte(libelle, 1)) / 10))
    nom = libelle if len(libelle) <= 32 else libelle[:31] + "…"
    svg.append(
        f'<text x="{gauche - 6}" y="{y + 13}" text-anchor="end" font-size="{taille}"{gras}>'
        f"{escape(nom)}</text>"
    )
    svg.append(
        f'<rect x="{gauche}" y="{y + 2}" width="{long:.1f}" height="{haut_ligne - 6}" '
        f'fill="{BLEU if fort else BLEU_CLAIR}"/>'
    )
    texte = nombre(valeur, decimales)
    tx = gauche + long + 4
    if rx is not None and tx - 3 <= rx <= tx + largeur_texte(texte) + 3:
        tx = rx + 5
    svg.append(f'<text x="{tx:.1f}" y="{y + 13}"{gras}>{texte}</text>')
    return svg


def _legende_barres(ly, nom_valeur, nom_reference) -> list[str]:
    """The bars' legend, then the reference tick's when there is one."""
    svg = []
    svg.append(f'<rect x="4" y="{ly - 10}" width="12" height="10" fill="{BLEU_CLAIR}"/>')
    svg.append(f'<text x="20" y="{ly}">{escape(nom_valeur)}</text>')
    if nom_reference is not None:
        ly += 18
        svg.append(
            f'<line x1="10" x2="10" y1="{ly - 11}" y2="{ly + 1}" stroke="#161616" '
            'stroke-width="2"/>'
        )
        svg.append(f'<text x="20" y="{ly}">{escape(nom_reference)}</text>')
    return svg


def barres(
    identifiant: str,
    titre: str,
    description: str,
    lignes: list[tuple[str, float | None]],
    nom_valeur: str,
    reference: float | None,
    nom_reference: str,
    decimales: int = 0,
    mis_en_avant: str | None = None,
    nom_libelle: str = "Territoire",
) -> Graphique:
    """Horizontal bars sorted by value, with the reference (France) marked by a black tick.

    The bar of ``mis_en_avant`` (the page's territory) is darker and its label bold. A value
    label that the reference tick would cross is moved just past the tick."""
    lignes = sorted(lignes, key=lambda ligne: (ligne[1] is None, -(ligne[1] or 0), ligne[0]))
    largeur, haut_ligne, gauche, droite = 400, 20, 150, 46
    hauteur = 8 + haut_ligne * len(lignes) + (50 if reference is not None else 32)
    maximum = max([v or 0 for _, v in lignes] + [reference or 0, 1])
    svg = _ouvrir(identifiant, largeur, hauteur, titre, description)
    zone = largeur - gauche - droite
    rx = gauche + zone * reference / maximum if reference is not None else None
    for i, (libelle, valeur) in enumerate(lignes):
        svg += _barre(
            6 + i * haut_ligne,
            gauche,
            haut_ligne,
            libelle,
            valeur,
            zone * (valeur or 0) / maximum,
            rx,
            decimales,
            libelle == mis_en_avant,
        )
    if rx is not None:
        bas_barres = 6 + haut_ligne * len(lignes)
        svg.append(
            f'<line class="reference" x1="{rx:.1f}" x2="{rx:.1f}" y1="4" y2="{bas_barres}" '
            'stroke="#161616" stroke-width="2"/>'
        )
    svg += _legende_barres(
        8 + haut_ligne * len(lignes) + 20, nom_valeur, nom_reference if rx is not None else None
    )
    svg.append("</svg>")
    tableau = [[lib, nombre(v, decimales)] for lib, v in lignes]
    return Graphique(
        identifiant,
        titre,
        description,
        mark_safe("".join(svg)),  # noqa: S308 - escaped above
        [nom_libelle, nom_valeur],
        tableau,
    )
