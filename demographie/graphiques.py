"""Server-rendered SVG charts, the same markup in the web page and in the PDF.

Each chart is real text (no paths for letters), has a <title> and a <desc> (the PDF's /Alt
text and the screen reader's name), never relies on colour alone (patterns, markers, labels),
and comes with the table of its data.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

BLEU = "#000091"
ROUGE = "#c9191e"
GRIS = "#666666"
VERT = "#18753c"
COULEURS = [BLEU, ROUGE, VERT, GRIS]
TIRETS = ["", "6 3", "2 3", "8 3 2 3"]
MARQUES = ["rond", "carre", "triangle", "losange"]
POLICE = 'font-family="Marianne, Arial, sans-serif"'


def nombre(valeur, decimales: int = 0, signe: bool = False) -> str:
    """French number formatting: narrow no-break space for thousands, comma for decimals."""
    if valeur is None:
        return "—"
    texte = f"{valeur:{'+' if signe else ''},.{decimales}f}"
    return texte.replace(",", "\u00a0").replace(".", ",")


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
    largeur, haut_ligne, marge_haut = 640, 26, 40
    hauteur = marge_haut + haut_ligne * len(tranches) + 36
    centre, demi = largeur / 2, 230
    maximum = max([v or 0 for v in valeurs.values()] + [1])
    svg = _ouvrir(identifiant, largeur, hauteur, titre, description)
    svg.append(f'<text x="{centre - 40}" y="20" text-anchor="end" font-weight="bold">Hommes</text>')
    svg.append(f'<text x="{centre + 40}" y="20" font-weight="bold">Femmes</text>')
    lignes = []
    for i, (code, libelle) in enumerate(reversed(tranches)):
        y = marge_haut + i * haut_ligne
        h, f = valeurs.get((code, "H")), valeurs.get((code, "F"))
        lh, lf = demi * (h or 0) / maximum, demi * (f or 0) / maximum
        svg.append(
            f'<rect x="{centre - 36 - lh:.1f}" y="{y}" width="{lh:.1f}" height="{haut_ligne - 6}" '
            f'fill="{BLEU}"/>'
        )
        svg.append(
            f'<rect x="{centre + 36:.1f}" y="{y}" width="{lf:.1f}" height="{haut_ligne - 6}" '
            f'fill="{ROUGE}"/>'
        )
        ty = y + haut_ligne / 2
        svg.append(f'<text x="{centre}" y="{ty:.1f}" text-anchor="middle">{escape(code)}</text>')
        svg.append(
            f'<text x="{centre - 40 - lh:.1f}" y="{ty:.1f}" text-anchor="end">{nombre(h)}</text>'
        )
        svg.append(f'<text x="{centre + 40 + lf:.1f}" y="{ty:.1f}">{nombre(f)}</text>')
        lignes.append([libelle, nombre(h), nombre(f)])
    svg.append(
        f'<text x="{centre}" y="{hauteur - 10}" text-anchor="middle" fill="{GRIS}">'
        "Effectifs par tranche d'âge ; « — » : cellule masquée ou inconnue</text>"
    )
    svg.append("</svg>")
    return Graphique(
        identifiant, titre, description, mark_safe("".join(svg)),  # noqa: S308 - escaped above
        ["Tranche d'âge", "Hommes", "Femmes"], list(reversed(lignes)),
    )  # fmt: skip


def courbes(
    identifiant: str,
    titre: str,
    description: str,
    series: dict[str, dict[int, float | None]],
    unite: str,
    decimales: int = 0,
) -> Graphique:
    """Lines over the years, one per series (territory), with distinct dashes and markers."""
    annees = sorted({a for s in series.values() for a in s})
    largeur, hauteur = 640, 300
    gauche, droite, haut, bas = 60, 20, 20, 80
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

    for g in graduations:
        svg.append(
            f'<line x1="{gauche}" x2="{largeur - droite}" y1="{py(g):.1f}" y2="{py(g):.1f}" '
            'stroke="#dddddd"/>'
        )
        svg.append(
            f'<text x="{gauche - 6}" y="{py(g) + 4:.1f}" text-anchor="end">{nombre(g)}</text>'
        )
    for i, a in enumerate(annees):
        svg.append(
            f'<text x="{px(i):.1f}" y="{haut + zone_h + 18}" text-anchor="middle">{a}</text>'
        )
    svg.append(f'<text x="{gauche}" y="{haut - 6}" fill="{GRIS}">{escape(unite)}</text>')
    for n, (nom, serie) in enumerate(series.items()):
        couleur, tiret, forme = COULEURS[n % 4], TIRETS[n % 4], MARQUES[n % 4]
        points = [(px(i), py(serie[a])) for i, a in enumerate(annees) if serie.get(a) is not None]
        if len(points) > 1:
            chemin = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash = f' stroke-dasharray="{tiret}"' if tiret else ""
            svg.append(
                f'<polyline points="{chemin}" fill="none" stroke="{couleur}" '
                f'stroke-width="2"{dash}/>'
            )
        svg.extend(_marque(forme, x, y, couleur) for x, y in points)
        ly = hauteur - bas + 40 + (n // 2) * 18
        lx = gauche + (n % 2) * 290
        svg.append(_marque(forme, lx + 10, ly - 4, couleur))
        svg.append(
            f'<line x1="{lx}" x2="{lx + 20}" y1="{ly - 4}" y2="{ly - 4}" stroke="{couleur}" '
            f'stroke-width="2"{f" stroke-dasharray={chr(34)}{tiret}{chr(34)}" if tiret else ""}/>'
        )
        svg.append(f'<text x="{lx + 26}" y="{ly}">{escape(nom)}</text>')
    svg.append("</svg>")
    lignes = [[str(a), *[nombre(s.get(a), decimales) for s in series.values()]] for a in annees]
    return Graphique(
        identifiant, titre, description, mark_safe("".join(svg)),  # noqa: S308 - escaped above
        ["Année", *series.keys()], lignes,
    )  # fmt: skip


def barres(
    identifiant: str,
    titre: str,
    description: str,
    lignes: list[tuple[str, float | None]],
    nom_valeur: str,
    reference: float | None,
    nom_reference: str,
    decimales: int = 0,
) -> Graphique:
    """Horizontal bars (the territory) with the reference (France) marked by a black tick."""
    largeur, haut_ligne, gauche, droite = 640, 28, 200, 70
    hauteur = 20 + haut_ligne * len(lignes) + 40
    maximum = max([v or 0 for _, v in lignes] + [reference or 0, 1])
    svg = _ouvrir(identifiant, largeur, hauteur, titre, description)
    zone = largeur - gauche - droite
    for i, (libelle, valeur) in enumerate(lignes):
        y = 10 + i * haut_ligne
        long = zone * (valeur or 0) / maximum
        svg.append(
            f'<text x="{gauche - 8}" y="{y + 15}" text-anchor="end">{escape(libelle)}</text>'
        )
        svg.append(
            f'<rect x="{gauche}" y="{y + 3}" width="{long:.1f}" height="{haut_ligne - 10}" '
            f'fill="{BLEU}"/>'
        )
        svg.append(
            f'<text x="{gauche + long + 6:.1f}" y="{y + 15}">{nombre(valeur, decimales)}</text>'
        )
        if reference is not None:
            rx = gauche + zone * reference / maximum
            svg.append(
                f'<line x1="{rx:.1f}" x2="{rx:.1f}" y1="{y}" y2="{y + haut_ligne - 4}" '
                'stroke="#161616" stroke-width="3"/>'
            )
    ly = hauteur - 18
    svg.append(f'<rect x="{gauche}" y="{ly - 10}" width="14" height="12" fill="{BLEU}"/>')
    svg.append(f'<text x="{gauche + 20}" y="{ly}">{escape(nom_valeur)}</text>')
    svg.append(
        f'<line x1="{gauche + 250}" x2="{gauche + 250}" y1="{ly - 12}" y2="{ly + 2}" '
        'stroke="#161616" stroke-width="3"/>'
    )
    svg.append(f'<text x="{gauche + 258}" y="{ly}">{escape(nom_reference)}</text>')
    svg.append("</svg>")
    tableau = [[lib, nombre(v, decimales)] for lib, v in lignes]
    return Graphique(
        identifiant, titre, description, mark_safe("".join(svg)),  # noqa: S308 - escaped above
        ["Territoire", nom_valeur], tableau,
    )  # fmt: skip
