"""Which bulletins exist and how fresh they are: the data version of a bulletin and the
territories of a year. Rendering itself is in services.py (scheduled job or staff action only).
"""

import hashlib

from django.db.models import Count, Max

from demographie.models import Effectif, IndicateurDispositif, Population, Synthese
from demographie.territoires import Territoire, de_departement, de_region, france
from guichet.models import Departement, Region

NIVEAUX_EDITIONS = ["france", "region", "departement"]


def signature_nationale() -> str:
    """Changes whenever any headcount, population or Pacte figure is imported or replaced:
    a bulletin compares its territory with France, so national figures are part of it.
    Imports replace rows (delete, then insert with new ids), so count and max id suffice."""
    parties = [
        Effectif.objects.aggregate(n=Count("id"), m=Max("id")),
        Population.objects.aggregate(n=Count("id"), m=Max("id")),
        IndicateurDispositif.objects.aggregate(n=Count("id"), m=Max("id")),
    ]
    return "|".join(f"{p['n']}:{p['m']}" for p in parties)


def version_donnees(territoire: Territoire, *, bulletin=None, nationale: str | None = None):
    """The data version of a territory's bulletin: its own rows, the national reference and
    the bulletin's editorial text. A stored edition with another version is out of date."""
    propres = Effectif.objects.filter(**territoire.filtre()).aggregate(
        n=Count("id"), m=Max("id"), s=Max("source_id")
    )
    texte = bulletin.faits_marquants if bulletin is not None else ""
    brut = "\n".join(
        [
            territoire.niveau,
            territoire.code,
            f"{propres['n']}:{propres['m']}:{propres['s']}",
            nationale if nationale is not None else signature_nationale(),
            texte,
        ]
    )
    return hashlib.sha256(brut.encode()).hexdigest()[:32]


def derniere_annee() -> int | None:
    return Effectif.objects.order_by("-annee").values_list("annee", flat=True).first()


def territoires_de_l_annee(annee: int, niveaux=None) -> list[Territoire]:
    """France, then the regions and départements that have headcounts for this year."""
    niveaux = niveaux or NIVEAUX_EDITIONS
    territoires = []
    if "france" in niveaux:
        territoires.append(france())
    presents = Effectif.objects.filter(annee=annee)
    if "region" in niveaux:
        codes = presents.values("region_id")
        territoires += [de_region(r) for r in Region.objects.filter(code__in=codes)]
    if "departement" in niveaux:
        codes = presents.exclude(departement=None).values("departement_id")
        deps = Departement.objects.filter(code__in=codes).select_related("region")
        territoires += [de_departement(d) for d in deps.order_by("code")]
    return territoires


def liste_publiee(bulletins) -> list:
    """Published bulletins for their list: newest year first, then France, the régions and
    the départements; ``fictif`` set on those whose territory's figures of that year are the
    demo's fictitious ones (one query)."""
    ordre = {niveau: i for i, niveau in enumerate(NIVEAUX_EDITIONS)}
    bulletins = sorted(
        bulletins, key=lambda b: (-b.annee, ordre.get(b.niveau, 9), b.code_territoire)
    )
    fictifs = set()
    if bulletins:
        lignes = Synthese.objects.filter(
            profession="",
            annee__in={b.annee for b in bulletins},
            code_territoire__in={b.code_territoire for b in bulletins},
        ).values_list("niveau_territoire", "code_territoire", "annee", "sources")
        fictifs = {
            (niveau, code, annee)
            for niveau, code, annee, sources in lignes
            if any(s.get("fictive") for s in sources or [])
        }
    for b in bulletins:
        b.fictif = (b.niveau, b.code_territoire, b.annee) in fictifs
    return bulletins
