import datetime

import factory
from django.utils import timezone

from espace.models import Accompagnement, MessageQuestion, Question
from tests.factories import CommuneFactory


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    profession = "medecin-generaliste"
    situation = "interne"
    commune = factory.SubFactory(CommuneFactory)
    departement = factory.LazyAttribute(lambda o: o.commune.departement)
    region = factory.LazyAttribute(lambda o: o.departement.region)
    sujet = factory.Sequence(lambda n: f"Question numéro {n}")
    message = "Quelles aides pour m'installer ?"
    courriel = factory.Sequence(lambda n: f"demandeur{n}@exemple.fr")
    recue_le = factory.LazyFunction(timezone.now)
    echeance = factory.LazyAttribute(lambda o: (o.recue_le + datetime.timedelta(days=7)).date())

    @factory.post_generation
    def fil(obj, create, extracted, **kwargs):
        if create:
            MessageQuestion.objects.create(question=obj, texte=obj.message, envoye_le=obj.recue_le)


class AccompagnementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accompagnement

    nom = factory.Sequence(lambda n: f"Personne accompagnée {n}")
    courriel = factory.Sequence(lambda n: f"accompagne{n}@exemple.fr")
    profession = "medecin-generaliste"
    commune_cible = factory.SubFactory(CommuneFactory)
    departement = factory.LazyAttribute(lambda o: o.commune_cible.departement)
    region = factory.LazyAttribute(lambda o: o.departement.region)
    premier_contact_le = factory.LazyFunction(timezone.localdate)

    class Params:
        installe = factory.Trait(
            etape="installe",
            installe_le=factory.LazyAttribute(lambda o: o.premier_contact_le),
            commune_installation=factory.LazyAttribute(lambda o: o.commune_cible),
        )
