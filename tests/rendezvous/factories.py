import datetime

import factory

from rendezvous.models import (
    Lieu,
    MotifRendezVous,
    PlageOuverture,
    Referent,
    RendezVous,
)
from tests.factories import DepartementFactory, RegionFactory, UserFactory


class LieuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lieu

    nom = "Délégation départementale"
    adresse = "1 rue de la Santé, 79000 Niort"
    departement = factory.SubFactory(DepartementFactory)


class MotifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MotifRendezVous
        django_get_or_create = ["slug"]

    nom = "Premier entretien installation"
    slug = factory.Sequence(lambda n: f"motif-{n}")
    duree_minutes = 45
    tampon_minutes = 15
    delai_minimum_heures = 0
    fenetre_jours = 30


class ReferentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referent
        skip_postgeneration_save = True

    utilisateur = factory.SubFactory(
        UserFactory, referent=True, first_name="Dominique", last_name="Référent"
    )

    @factory.post_generation
    def departements(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.departements.set(extracted)


class PlageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlageOuverture
        skip_postgeneration_save = True

    referent = factory.SubFactory(ReferentFactory)
    jours = [0, 1, 2, 3, 4, 5, 6]
    heure_debut = datetime.time(9, 0)
    heure_fin = datetime.time(12, 0)
    date_debut = datetime.date(2026, 1, 1)
    lieu = factory.SubFactory(LieuFactory)

    @factory.post_generation
    def motifs(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.motifs.set(extracted)


class RendezVousFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RendezVous

    referent = factory.SubFactory(ReferentFactory)
    motif = factory.SubFactory(MotifFactory)
    lieu = factory.SubFactory(LieuFactory)
    debut = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)
    fin = factory.LazyAttribute(lambda o: o.debut + datetime.timedelta(minutes=45))
    fin_bloquee = factory.LazyAttribute(lambda o: o.fin + datetime.timedelta(minutes=15))
    nom = "Léa Durand"
    courriel = factory.Sequence(lambda n: f"usager{n}@exemple.fr")


def territoire(code="79", nom="Deux-Sèvres", region=None):
    region = region or RegionFactory(nouvelle_aquitaine=True)
    return DepartementFactory(code=code, nom=nom, region=region)


def martinique():
    return territoire("972", "Martinique", RegionFactory(martinique=True))


def rdv_du_referent(debut, dep, *, nom="Léa Durand", minutes=45, **champs):
    """A meeting starting at ``debut`` in ``dep``, its referent (and their account) covering
    ``dep``; blocked until the hour after it starts."""
    rdv = RendezVousFactory(
        nom=nom,
        debut=debut,
        fin=debut + datetime.timedelta(minutes=minutes),
        fin_bloquee=debut + datetime.timedelta(minutes=max(minutes, 60)),
        lieu__departement=dep,
        **champs,
    )
    rdv.referent.departements.set([dep])
    rdv.referent.utilisateur.departements.set([dep])
    return rdv
