import datetime

import factory
from django.utils import timezone

from opportunites.models import Nature, Opportunite, QualiteAuteur, Statut
from tests.factories import CommuneFactory, UserFactory


class OpportuniteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunite

    titre = factory.Sequence(lambda n: f"Cabinet à reprendre n° {n}")
    nature = Nature.REPRISE
    professions = factory.LazyFunction(lambda: ["medecin-generaliste"])
    commune = factory.SubFactory(CommuneFactory)
    description = "Cabinet **lumineux**, patientèle fidèle."
    auteur = factory.SubFactory(UserFactory, email_verifiee=True)
    qualite_auteur = QualiteAuteur.PROFESSIONNEL
    statut = Statut.BROUILLON

    class Params:
        soumise = factory.Trait(
            statut=Statut.SOUMISE, soumise_le=factory.LazyFunction(timezone.now)
        )
        publiee = factory.Trait(
            statut=Statut.PUBLIEE,
            soumise_le=factory.LazyFunction(timezone.now),
            publiee_le=factory.LazyFunction(timezone.now),
            expire_le=factory.LazyFunction(
                lambda: timezone.localdate() + datetime.timedelta(days=90)
            ),
        )
