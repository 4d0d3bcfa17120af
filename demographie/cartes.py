"""Choropleth maps as server-rendered SVG, the same markup in the web page and in the PDF.

Outlines come from ``fixtures/geo/`` (see ``contours``). Values are grouped in classes of about
the same number of territories (quantiles, bounds rounded); each class has its own shade, the
legend spells out the bounds, territories without a value are hatched, and the map comes with
the table of its data like every chart.
"""

from django.template.defaultfilters import pluralize
from django.utils.html import escape
from django.utils.safestring import mark_safe

from demographie.contours import DROM, Contour
from demographie.graphiques import GRIS, Graphique, _ouvrir, nombre

# Light to dark: every class is distinguished by its lightness, not only by its hue.
TEINTES = ["#e8edff", "#b1c3f5", "#6a8ee8", "#2f56c9", "#000091"]
NOMS_DROM = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}
ZERO = 1e-9  # the bound that sets zero apart
MAX_CHEMINS_NOMMES = 60  # beyond, one path per class
HACHURES = (
    '<defs><pattern id="{id}-hachures" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#929292" stroke-width="2"/></pattern></defs>'
)


def _arrondi_joli(valeur: float) -> float:
    if valeur >= 100:
        return round(valeur, -1)
    if valeur >= 10:
        return float(round(valeur))
    return round(valeur, 1)


def classes(valeurs: list[float], n: int = 5) -> list[float]:
    """Inner bounds of up to ``n`` classes holding about the same number of values. Zero (no
    professional) is a class of its own when it occurs, so many empty communes do not swallow
    the scale."""
    connues = sorted(v for v in valeurs if v is not None)
    positives = [v for v in connues if v > 0]
    if len(connues) < 2:
        return []
    bornes = [ZERO] if len(positives) < len(connues) else []
    reste = n - len(bornes)
    for i in range(1, reste):
        if not positives:
            break
        b = _arrondi_joli(positives[min(len(positives) - 1, round(i * len(positives) / reste))])
        if b > positives[0] and (not bornes or b > bornes[-1]) and b <= positives[-1]:
            bornes.append(b)
    return bornes


def classe_de(valeur, bornes) -> int | None:
    if valeur is None:
        return None
    return sum(valeur >= b for b in bornes)


def libelles_classes(bornes, decimales=0) -> list[str]:
    if not bornes:
        return ["toutes valeurs"]
    libelles = []
    if bornes[0] == ZERO:
        libelles.append("aucun professionnel")
        bornes = bornes[1:]
        if not bornes:
            return [*libelles, "plus de 0"]
        libelles.append(f"plus de 0 à moins de {nombre(bornes[0], decimales)}")
    else:
        libelles.append(f"moins de {nombre(bornes[0], decimales)}")
    for bas, haut in zip(bornes, bornes[1:], strict=False):
        libelles.append(f"{nombre(bas, decimales)} à moins de {nombre(haut, decimales)}")
    libelles.append(f"{nombre(bornes[-1], decimales)} et plus")
    return libelles


def _cadre(contours: list[Contour]):
    xmin = min(c.boite[0] for c in contours)
    ymin = min(c.boite[1] for c in contours)
    xmax = max(c.boite[2] for c in contours)
    ymax = max(c.boite[3] for c in contours)
    return xmin, ymin, max(xmax - xmin, 1), max(ymax - ymin, 1)


def _groupe(contours, x, y, largeur, hauteur, remplissage, noms, classes_nommees) -> list[str]:
    """The outlines fitted in a box, each path with its name (tooltip and accessible name), or
    one path per fill named after its class when there are many outlines."""
    cx, cy, cl, ch = _cadre(contours)
    echelle = min(largeur / cl, hauteur / ch)
    dx = x + (largeur - cl * echelle) / 2 - cx * echelle
    dy = y + (hauteur - ch * echelle) / 2 - cy * echelle
    trait = 0.6 / echelle
    morceaux = [
        f'<g transform="translate({dx:.2f} {dy:.2f}) scale({echelle:.6f})" stroke="#ffffff" '
        f'stroke-width="{trait:.2f}" stroke-linejoin="round">'
    ]
    if len(contours) <= MAX_CHEMINS_NOMMES:
        hachees, motif = [], ""
        for c in contours:
            fond, classe = remplissage(c.code), ""
            if fond.startswith("url("):
                hachees.append(c.chemin)
                motif, fond, classe = fond, "#ffffff", ' class="inconnu"'
            morceaux.append(
                f'<path d="{c.chemin}" fill="{fond}"{classe}><title>'
                f"{escape(noms.get(c.code, c.code))}</title></path>"
            )
        if hachees:  # the hatching over all of them at once: a PDF pattern per fill is costly
            morceaux.append(
                f'<path d="{"".join(hachees)}" fill="{motif}" aria-hidden="true" '
                'pointer-events="none"/>'
            )
    else:
        par_teinte: dict[str, list[str]] = {}
        for c in contours:  # every subpath starts with an absolute move: they concatenate
            par_teinte.setdefault(remplissage(c.code), []).append(c.chemin)
        for teinte, chemins in par_teinte.items():
            nom = f"{classes_nommees[teinte]} : {len(chemins)} territoire{pluralize(chemins)}"
            morceaux.append(
                f'<path d="{"".join(chemins)}" fill="{teinte}"><title>{escape(nom)}</title></path>'
            )
    morceaux.append("</g>")
    return morceaux


def _dessin(presents, largeur, remplissage, noms, classes_nommees) -> tuple[list[str], int]:
    """The map's shapes and their height; France's overseas départements in a column of insets."""
    metro = [c for c in presents if c.zone == "metro"]
    drom = [c for c in presents if c.zone in DROM and c.code in DROM]
    svg_carte: list[str] = []
    if metro and drom:
        hauteur_carte = 360
        svg_carte += _groupe(
            metro, 78, 4, largeur - 82, hauteur_carte - 8, remplissage, noms, classes_nommees
        )
        case = (hauteur_carte - 8) / len(drom)
        for i, c in enumerate(sorted(drom, key=lambda c: c.code)):
            y = 4 + i * case
            svg_carte.append(
                f'<rect x="2" y="{y:.1f}" width="70" height="{case - 4:.1f}" fill="none" '
                'stroke="#cccccc"/>'
            )
            svg_carte += _groupe([c], 6, y + 2, 62, case - 20, remplissage, noms, classes_nommees)
            svg_carte.append(
                f'<text x="37" y="{y + case - 8:.1f}" text-anchor="middle" font-size="9">'
                f"{escape(NOMS_DROM[c.code])}</text>"
            )
    else:
        _, _, cl, ch = _cadre(presents)
        hauteur_carte = max(160, min(300, round((largeur - 8) * ch / cl) + 8))
        svg_carte += _groupe(
            presents, 4, 4, largeur - 8, hauteur_carte - 8, remplissage, noms, classes_nommees
        )
    return svg_carte, hauteur_carte


def _legende(y, nom_valeur, teintes, libelles, hachures) -> list[str]:
    """One swatch per class from ``y`` down, then the hatching when some value is unknown."""
    svg = [f'<text x="4" y="{y}" font-weight="bold">{escape(nom_valeur)}</text>']
    for teinte, libelle in zip(teintes, libelles, strict=True):
        y += 16
        svg.append(
            f'<rect x="4" y="{y - 10}" width="18" height="11" fill="{teinte}" '
            'stroke="#929292" stroke-width="0.5"/>'
        )
        svg.append(f'<text x="28" y="{y}">{escape(libelle)}</text>')
    if hachures:
        y += 16
        svg.append(
            f'<rect x="4" y="{y - 10}" width="18" height="11" fill="{hachures}" '
            'stroke="#929292" stroke-width="0.5"/>'
        )
        svg.append(f'<text x="28" y="{y}" fill="{GRIS}">inconnu ou masqué</text>')
    return svg


def _tableau(presents, valeurs, noms, bornes, libelles, decimales) -> list[list[str]]:
    """The map's data as a table, highest value first and unknown values last."""
    ordre = sorted(
        presents, key=lambda c: (valeurs.get(c.code) is None, -(valeurs.get(c.code) or 0))
    )
    return [
        [
            noms.get(c.code, c.code),
            nombre(valeurs.get(c.code), decimales),
            "—" if (k := classe_de(valeurs.get(c.code), bornes)) is None else libelles[k],
        ]
        for c in ordre
    ]


def carte(
    identifiant: str,
    titre: str,
    description: str,
    contours: dict[str, Contour],
    valeurs: dict[str, float | None],
    noms: dict[str, str],
    nom_valeur: str,
    decimales: int = 1,
) -> Graphique | None:
    """A choropleth of ``valeurs`` by territory code; overseas départements as insets when the
    map shows metropolitan France too. None when no outline is known."""
    presents = [c for code, c in contours.items() if code in valeurs]
    if not presents:
        return None
    bornes = classes(list(valeurs.values()))
    vraies = [b for b in bornes if b != ZERO]
    libelles = libelles_classes(bornes, 0 if vraies and min(vraies) >= 10 else 1)

    def teinte(k):  # "no professional" is always the lightest shade
        return (
            TEINTES[0]
            if k == 0 and bornes and bornes[0] == ZERO
            else TEINTES[k + 5 - len(libelles)]
        )

    hachures = f"url(#{identifiant}-hachures)"
    classes_nommees = {teinte(k): libelle for k, libelle in enumerate(libelles)}
    classes_nommees[hachures] = "inconnu ou masqué"

    def remplissage(code):
        k = classe_de(valeurs.get(code), bornes)
        return hachures if k is None else teinte(k)

    largeur = 400
    svg_carte, hauteur_carte = _dessin(presents, largeur, remplissage, noms, classes_nommees)
    inconnus = any(valeurs.get(c.code) is None for c in presents)
    lignes_legende = len(libelles) + (1 if inconnus else 0)
    hauteur = hauteur_carte + 24 + 16 * lignes_legende
    svg = _ouvrir(identifiant, largeur, hauteur, titre, description)
    svg.append(HACHURES.format(id=identifiant))
    svg += svg_carte
    svg += _legende(
        hauteur_carte + 14,
        nom_valeur,
        [teinte(i) for i in range(len(libelles))],
        libelles,
        hachures if inconnus else None,
    )
    svg.append("</svg>")
    tableau = _tableau(presents, valeurs, noms, bornes, libelles, decimales)
    return Graphique(
        identifiant,
        titre,
        description,
        mark_safe("".join(svg)),  # noqa: S308 - escaped above
        ["Territoire", nom_valeur, "Classe"],
        tableau,
    )
