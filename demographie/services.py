"""Writes of the demography app that touch several models or call WeasyPrint."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from demographie import editions, pdf, rapport
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


def bulletin_actualiser_edition(
    *, bulletin: Bulletin, nationale: str | None = None, force: bool = False
) -> bool:
    """Render and store the current edition of a draft bulletin when its data version changed
    (or when ``force``); return whether it was rendered. Only the scheduled job and staff
    actions call this: a public request serves what is stored. Raises PasDeDonnees."""
    if bulletin.est_publie:
        return False
    territoire = trouver(bulletin.niveau, bulletin.code_territoire)
    version = editions.version_donnees(territoire, bulletin=bulletin, nationale=nationale)
    if not force and bulletin.edition and bulletin.version_donnees == version:
        return False
    contenu = bulletin_rendre(territoire=territoire, annee=bulletin.annee, bulletin=bulletin)
    ancien = bulletin.edition.name
    nom = f"bulletin-{bulletin.annee}-{bulletin.niveau}-{bulletin.code_territoire}.pdf"
    bulletin.edition.save(nom, ContentFile(contenu), save=False)
    bulletin.version_donnees = version
    bulletin.edition_generee_le = timezone.now()
    bulletin.save(update_fields=["edition", "version_donnees", "edition_generee_le"])
    if ancien and ancien != bulletin.edition.name:
        bulletin.edition.storage.delete(ancien)
    return True
