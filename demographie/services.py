"""Writes of the demography app that touch several models or call WeasyPrint."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from demographie import pdf, rapport
from demographie.models import Bulletin, Niveau
from demographie.territoires import Territoire, trouver


class PasDeDonnees(Exception):
    """No headcount for this territory and year: no bulletin."""


class BulletinDejaPublie(Exception):
    """A published edition never changes."""


def bulletin_rendre(*, territoire: Territoire, annee: int, bulletin: Bulletin | None = None):
    """The bulletin PDF of a territory for a year (raises PasDeDonnees without data)."""
    r = rapport.construire(territoire, annee=annee, toutes_sections=True)
    if r.annee != annee:
        raise PasDeDonnees(f"{territoire} {annee}")
    return pdf.rendre_pdf(r, bulletin=bulletin)


def bulletin_pour(*, territoire: Territoire, annee: int) -> Bulletin:
    """The bulletin record of a territory and year (created as a draft when missing)."""
    bulletin, _ = Bulletin.objects.get_or_create(
        annee=annee,
        niveau=territoire.niveau,
        code_territoire=territoire.code,
        defaults={
            "region_id": territoire.code if territoire.niveau == Niveau.REGION else None,
            "departement_id": territoire.code if territoire.niveau == Niveau.DEPARTEMENT else None,
        },
    )
    return bulletin


def bulletin_publier(*, bulletin: Bulletin, par=None) -> Bulletin:
    """Render the bulletin with its editorial text, store the PDF and freeze the edition."""
    if bulletin.est_publie:
        raise BulletinDejaPublie(str(bulletin))
    territoire = trouver(bulletin.niveau, bulletin.code_territoire)
    contenu = bulletin_rendre(territoire=territoire, annee=bulletin.annee, bulletin=bulletin)
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if bulletin.est_publie:
            raise BulletinDejaPublie(str(bulletin))
        nom = f"bulletin-{bulletin.annee}-{bulletin.niveau}-{bulletin.code_territoire}.pdf"
        bulletin.fichier.save(nom, ContentFile(contenu), save=False)
        bulletin.statut = Bulletin.Statut.PUBLIE
        bulletin.publie_le = timezone.now()
        bulletin.publie_par = par
        bulletin.save()
    return bulletin
