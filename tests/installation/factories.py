import datetime
import io
import zipfile

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from guichet.vocabulaire import ModeExercice
from installation.models import (
    Actualite,
    Contact,
    Document,
    Etape,
    Evenement,
    Parcours,
    Plan,
    Structure,
    SuiviEtape,
)
from tests.aides.factories import OrganisationFactory
from tests.factories import CommuneFactory, DepartementFactory, UserFactory

# -- real minimal files of each allowed format


def _pdf() -> bytes:
    ecrivain = PdfWriter()
    ecrivain.add_blank_page(width=595, height=842)
    tampon = io.BytesIO()
    ecrivain.write(tampon)
    return tampon.getvalue()


def _image(format_: str) -> bytes:
    tampon = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 145)).save(tampon, format=format_)
    return tampon.getvalue()


# Real files: the upload check parses them whole (pypdf, Pillow).
PDF = _pdf()
PNG = _image("PNG")
JPEG = _image("JPEG")
CSV = "profession;étape\ninfirmier;Ordre\n".encode()


def zip_de(fichiers: dict[str, bytes]) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        for nom, contenu in fichiers.items():
            archive.writestr(nom, contenu)
    return tampon.getvalue()


ODT = zip_de({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
DOCX = zip_de(
    {
        "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType='
        b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        b"</Types>",
        "word/document.xml": b"<w:document/>",
    }
)
XLSX = zip_de(
    {
        "[Content_Types].xml": b'<Types><Override PartName="/xl/workbook.xml" ContentType='
        b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "xl/workbook.xml": b"<workbook/>",
    }
)


class ParcoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parcours
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"parcours-{n}")
    titre = factory.Sequence(lambda n: f"Parcours {n}")
    profession = "infirmier"
    mode_exercice = ModeExercice.LIBERAL
    introduction = "Pour s'installer."
    publics = ["professionnels", "etudiants-internes"]


class EtapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Etape

    parcours = factory.SubFactory(ParcoursFactory)
    phase = "ordre"
    ordre = factory.Sequence(lambda n: n)
    slug = factory.Sequence(lambda n: f"etape-{n}")
    titre = factory.Sequence(lambda n: f"Étape numéro {n}")
    description = "Ce qu'il faut faire."
    organisation = factory.SubFactory(OrganisationFactory)
    pieces = "- Pièce d'identité"
    duree = "Un mois"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    departement = factory.SubFactory(DepartementFactory)
    intitule = factory.Sequence(lambda n: f"Guichet local {n}")
    telephone = "05 36 49 00 00"
    courriel = "contact@exemple.fr"
    adresse = "1 rue de l'Exemple\n79000 Niort"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    titre = factory.Sequence(lambda n: f"Document {n}")
    type = Document.Type.GUIDE
    fichier = factory.LazyFunction(lambda: ContentFile(PDF, name="document.pdf"))

    @factory.post_generation
    def etapes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.etapes.set(extracted)

    @factory.post_generation
    def parcours(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.parcours.set(extracted)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    utilisateur = factory.SubFactory(UserFactory)
    parcours = factory.SubFactory(ParcoursFactory)
    commune = factory.SubFactory(CommuneFactory)


class SuiviEtapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuiviEtape

    plan = factory.SubFactory(PlanFactory)
    etape = factory.SubFactory(EtapeFactory)
    fait = True


class EvenementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evenement

    titre = factory.Sequence(lambda n: f"Forum {n}")
    type = Evenement.Type.FORUM
    description = "Un forum."
    debut = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    fin = factory.LazyAttribute(lambda o: o.debut + datetime.timedelta(hours=3))
    lieu = "Niort"


class ActualiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actualite

    titre = factory.Sequence(lambda n: f"Actualité {n}")
    texte = "Une nouvelle."


class StructureFactory(factory.django.DjangoModelFactory):
    """A maison or centre de santé, placed at its commune's centroid like the import does."""

    class Meta:
        model = Structure

    finess = factory.Sequence(lambda n: f"{230000000 + n:09d}")
    categorie = Structure.Categorie.MSP
    nom = factory.Sequence(lambda n: f"Maison de santé n° {n}")
    commune = factory.SubFactory(CommuneFactory)
    latitude = factory.LazyAttribute(lambda o: o.commune.latitude)
    longitude = factory.LazyAttribute(lambda o: o.commune.longitude)
