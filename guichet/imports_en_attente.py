"""The one pending-upload helper of every admin import with a preview (zoning in aides/,
demography in demographie/).

Upload → check and preview → confirmation: between the two requests the file waits in the
default storage (local files or object storage) under a random name, keyed by a random token
in the database. The confirmation may therefore reach another app server, or the same one after
a restart; nothing is kept in the session or in a local temporary directory. Only the staff
member who uploaded the file may confirm it, within DUREE_DE_VIE.
"""

import logging
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.models import ImportEnAttente

logger = logging.getLogger(__name__)

DUREE_DE_VIE = timedelta(hours=2)


def deposer(*, nature: str, fichier, auteur, nom: str = "", donnees: dict | None = None) -> str:
    """Store an uploaded file (an UploadedFile, bytes or text) and return its token."""
    if isinstance(fichier, str):
        fichier = ContentFile(fichier.encode("utf-8"))
    elif isinstance(fichier, bytes):
        fichier = ContentFile(fichier)
    attente = ImportEnAttente(
        nature=nature,
        jeton=secrets.token_urlsafe(24),
        auteur=auteur,
        nom_original=(nom or getattr(fichier, "name", "") or "")[:255],
        donnees=donnees or {},
    )
    attente.fichier.save(attente.jeton, fichier, save=False)
    attente.save()
    return attente.jeton


def reprendre(*, nature: str, jeton: str, auteur) -> ImportEnAttente | None:
    """The pending import of this token for this author, or None (unknown, expired, another
    author's)."""
    if not jeton:
        return None
    return (
        ImportEnAttente.objects.filter(
            nature=nature,
            jeton=jeton,
            auteur=auteur,
            depose_le__gte=timezone.now() - DUREE_DE_VIE,
        )
        .select_related("auteur")
        .first()
    )


@contextmanager
def ouvrir(attente: ImportEnAttente):
    """The stored file, opened in binary mode (streamed from object storage)."""
    with attente.fichier.storage.open(attente.fichier.name, "rb") as f:
        yield f


def lire_texte(attente: ImportEnAttente) -> str:
    with ouvrir(attente) as f:
        return f.read().decode("utf-8")


def abandonner(attente: ImportEnAttente) -> None:
    """Remove the stored file and its record (after a confirmation, a refusal or expiry)."""
    if attente.fichier.name:
        attente.fichier.storage.delete(attente.fichier.name)
    ImportEnAttente.objects.filter(pk=attente.pk).delete()


def purger(*, maintenant=None) -> int:
    """Remove every pending import older than DUREE_DE_VIE; return how many."""
    limite = (maintenant or timezone.now()) - DUREE_DE_VIE
    nombre = 0
    for attente in ImportEnAttente.objects.filter(depose_le__lt=limite):
        abandonner(attente)
        nombre += 1
    return nombre
