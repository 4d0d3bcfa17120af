import datetime

import factory

from aides.models import Aide, Financement, Organisation, Zonage
from guichet.publication import StatutPublication
from tests.factories import CommuneFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"organisation-{n}")
    nom = factory.Sequence(lambda n: f"Organisation {n}")
    type = "assurance-maladie"


class AideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aide
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Aide numéro {n}")
    slug = factory.Sequence(lambda n: f"aide-{n}")
    resume = "Une aide pour s'installer."
    description = "Description de l'aide."
    type = "aide-installation"
    portee = Aide.Portee.NATIONALE
    montant = 1000
    unite = Aide.Unite.UNIQUE
    source_url = "https://www.ameli.fr/"
    verifie_le = factory.LazyFunction(datetime.date.today)
    statut_publication = StatutPublication.PUBLIEE

    @factory.post_generation
    def financeurs(obj, create, extracted, **kwargs):
        for ordre, org in enumerate(extracted or []):
            Financement.objects.create(aide=obj, organisation=org, role="financeur", ordre=ordre)

    @factory.post_generation
    def instructeurs(obj, create, extracted, **kwargs):
        for ordre, org in enumerate(extracted or []):
            Financement.objects.create(aide=obj, organisation=org, role="instructeur", ordre=ordre)

    class Params:
        close = factory.Trait(
            valide_du=datetime.date(2013, 1, 1), valide_au=datetime.date(2020, 12, 31)
        )
        brouillon = factory.Trait(statut_publication=StatutPublication.BROUILLON)


class ZonageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zonage

    commune = factory.SubFactory(CommuneFactory)
    profession = "medecin-generaliste"
    niveau = "zip"
    date_arrete = datetime.date(2025, 1, 1)
    source = "Arrêté ARS du 1er janvier 2025"
