import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import Group

from guichet import roles
from guichet.models import Commune, Departement, Region, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n % 100:02d}")  # max 3 characters
    nom = factory.Sequence(lambda n: f"Région {n}")

    class Params:
        martinique = factory.Trait(
            code="02", nom="Martinique", fuseau_horaire="America/Martinique", outre_mer=True
        )
        nouvelle_aquitaine = factory.Trait(code="75", nom="Nouvelle-Aquitaine")
        occitanie = factory.Trait(code="76", nom="Occitanie")


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n % 100:02d}")  # max 3 characters
    nom = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"X{n % 10000:04d}")  # max 5 characters
    nom = factory.Sequence(lambda n: f"Commune {n}")
    departement = factory.SubFactory(DepartementFactory)
    codes_postaux = factory.LazyAttribute(lambda o: [o.code])
    codes_postaux_prefixe = factory.LazyAttribute(lambda o: o.codes_postaux[0])
    population = 1000


def activer_totp(user):
    """An authenticator app and recovery codes, as if the user had enrolled."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)


def code_totp(user) -> str:
    """The authenticator app's current code for ``user`` (browser and login tests).

    Near the end of a 30-second period the code would expire before the form is sent (a
    browser test failed that way): wait for the next period first."""
    reste = 30 - time.time() % 30
    if reste < 3:
        time.sleep(reste + 0.05)
    instance = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(instance.data["secret"])
    compteur = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, compteur))


def _avec_groupe(nom):
    def ajouter(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=extracted or nom))

    return factory.PostGeneration(ajouter)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Claude"
    last_name = "Martin"
    password = factory.django.Password("mot-de-passe-de-test-solide")

    @factory.post_generation
    def email_verifiee(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.regions.set(extracted)

    @factory.post_generation
    def departements(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.departements.set(extracted)

    @factory.post_generation
    def groupe(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        """Staff users get an activated authenticator app (pass ``mfa=False`` for none)."""
        if create and obj.is_staff and extracted is not False:
            activer_totp(obj)

    class Params:
        agent_ars = factory.Trait(is_staff=True, groupe=_avec_groupe(roles.AGENT_ARS))
        referent = factory.Trait(is_staff=True, groupe=_avec_groupe(roles.REFERENT_INSTALLATION))
        admin_national = factory.Trait(
            is_staff=True,
            perimetre_national=True,
            groupe=_avec_groupe(roles.ADMINISTRATEUR_NATIONAL),
        )
        superuser = factory.Trait(is_staff=True, is_superuser=True, perimetre_national=True)


# -- demographie


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "demographie.Source"

    libelle = factory.Sequence(lambda n: f"Source de test {n}")

    class Params:
        fictive = factory.Trait(libelle="Données fictives de démonstration")


class EffectifFactory(factory.django.DjangoModelFactory):
    """A département-level cell by default (pass ``departement``)."""

    class Meta:
        model = "demographie.Effectif"

    annee = 2025
    niveau = "departement"
    departement = factory.SubFactory(DepartementFactory)
    region = factory.LazyAttribute(lambda o: o.departement.region)
    code_territoire = factory.LazyAttribute(lambda o: o.departement.code)
    profession = "medecin-generaliste"
    tranche_age = "40-49"
    sexe = "F"
    mode_exercice = "liberal"
    effectif = 10
    source = factory.SubFactory(SourceFactory)


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "demographie.Population"

    annee = 2025
    niveau = "departement"
    departement = factory.SubFactory(DepartementFactory)
    region = factory.LazyAttribute(lambda o: o.departement.region)
    code_territoire = factory.LazyAttribute(lambda o: o.departement.code)
    population = 100_000
    source = "INSEE (test)"


class BulletinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "demographie.Bulletin"

    annee = 2025
    niveau = "region"
    region = factory.SubFactory(RegionFactory)
    code_territoire = factory.LazyAttribute(lambda o: o.region.code)
