"""One builder per admin model: an object of a given département (None: a national object).

The isolation matrix (tests/guichet/test_isolation.py) reads this registry next to the scope
declarations (``<app>/perimetres.py``): a model registered in the admin needs both. A builder
returns ``None`` when the model has no object of that kind (no national parcours for a
département-only model...). ``PROPRIETAIRES`` lists the roles that own a département's object
when it is not all of them (a region belongs to the regional agent, not to the département's).
"""

import datetime
import itertools

from django.utils import timezone

from tests import factories as f

ANNEES = itertools.count(1900)  # unique years: a builder may run again for the same territory
CONSTRUCTEURS = {}
PROPRIETAIRES = {}


def constructeur(label, *, proprietaires=None):
    def enregistrer(fonction):
        CONSTRUCTEURS[label.lower()] = fonction
        if proprietaires:
            PROPRIETAIRES[label.lower()] = set(proprietaires)
        return fonction

    return enregistrer


def _organisation(dep):
    from tests.aides.factories import OrganisationFactory

    return OrganisationFactory(departement=dep)


# -- guichet
@constructeur("guichet.Region", proprietaires={"national", "regional"})
def region(dep):
    return dep.region if dep else None


@constructeur("guichet.Departement")
def departement(dep):
    return dep


@constructeur("guichet.Commune")
def commune(dep):
    return f.CommuneFactory(departement=dep) if dep else None


@constructeur("guichet.User")
def utilisateur(dep):
    return f.UserFactory(agent_ars=True, departements=[dep]) if dep else None


@constructeur("guichet.PageEditoriale")
def page(dep):
    from guichet.models import PageEditoriale

    if dep:
        return None
    return PageEditoriale.objects.get_or_create(
        cle="cookies", defaults={"titre": "Cookies", "contenu": "Aucun."}
    )[0]


@constructeur("guichet.JeuDeDonnees")
def jeu(dep):
    from guichet.models import JeuDeDonnees

    return None if dep else JeuDeDonnees.objects.create(nom="jeu-de-test", empreinte="abc")


@constructeur("auth.Group")
def groupe(dep):
    from django.contrib.auth.models import Group

    from guichet import roles

    return None if dep else Group.objects.get(name=roles.AGENT_ARS)


@constructeur("dsfr.DsfrConfig")
def dsfr(dep):
    from dsfr.models import DsfrConfig

    return None if dep else DsfrConfig.objects.first() or DsfrConfig.objects.create()


@constructeur("account.EmailAddress")
def courriel(dep):
    from allauth.account.models import EmailAddress

    if not dep:
        return None
    return EmailAddress.objects.get(user=f.UserFactory(departement_interet=dep))


# -- aides
@constructeur("aides.Organisation")
def organisation(dep):
    from tests.aides.factories import OrganisationFactory

    return OrganisationFactory(departement=dep)


@constructeur("aides.Aide")
def aide(dep):
    from aides.models import Aide
    from tests.aides.factories import AideFactory

    if dep is None:
        return AideFactory(financeurs=[_organisation(None)])
    objet = AideFactory(portee=Aide.Portee.DEPARTEMENTS, financeurs=[_organisation(dep)])
    objet.departements.set([dep])
    return objet


@constructeur("aides.Zonage")
def zonage(dep):
    from tests.aides.factories import ZonageFactory

    return ZonageFactory(commune=f.CommuneFactory(departement=dep)) if dep else None


@constructeur("aides.SimulationEnregistree")
def simulation(dep):
    from aides.models import SimulationEnregistree

    if not dep:
        return None
    return SimulationEnregistree.objects.create(
        utilisateur=f.UserFactory(departement_interet=dep),
        parametres="profession=infirmier",
        libelle="Ma simulation",
    )


# -- installation
def _territoire(dep):
    return {"departement": dep} if dep else {}


@constructeur("installation.Parcours")
def parcours(dep):
    from tests.installation.factories import ParcoursFactory

    return ParcoursFactory(**_territoire(dep))


@constructeur("installation.Etape")
def etape(dep):
    from tests.installation.factories import EtapeFactory, ParcoursFactory

    return EtapeFactory(
        parcours=ParcoursFactory(**_territoire(dep)),
        organisation=_organisation(dep),
        **_territoire(dep),
    )


@constructeur("installation.Contact")
def contact(dep):
    from tests.installation.factories import ContactFactory

    return ContactFactory(departement=dep, organisation=_organisation(dep)) if dep else None


@constructeur("installation.Document")
def document(dep):
    from tests.installation.factories import DocumentFactory

    return DocumentFactory(**_territoire(dep))


@constructeur("installation.Evenement")
def evenement(dep):
    from tests.installation.factories import EvenementFactory

    return EvenementFactory(**_territoire(dep))


@constructeur("installation.Actualite")
def actualite(dep):
    from tests.installation.factories import ActualiteFactory

    return ActualiteFactory(**_territoire(dep))


# -- booking
def _referent(dep):
    from tests.rendezvous.factories import ReferentFactory

    # the referent's account lies in the same territory (the agents choose among their staff)
    compte = f.UserFactory(referent=True, departements=[dep])
    return ReferentFactory(utilisateur=compte, departements=[dep])


@constructeur("rendezvous.Referent")
def referent(dep):
    return _referent(dep) if dep else None


@constructeur("rendezvous.Lieu")
def lieu(dep):
    from tests.rendezvous.factories import LieuFactory

    return LieuFactory(departement=dep) if dep else None


@constructeur("rendezvous.MotifRendezVous")
def motif(dep):
    from tests.rendezvous.factories import MotifFactory

    return None if dep else MotifFactory()


@constructeur("rendezvous.PlageOuverture")
def plage(dep):
    from tests.rendezvous.factories import LieuFactory, MotifFactory, PlageFactory

    if not dep:
        return None
    return PlageFactory(
        referent=_referent(dep), lieu=LieuFactory(departement=dep), motifs=[MotifFactory()]
    )


@constructeur("rendezvous.Absence")
def absence(dep):
    from rendezvous.models import Absence

    if not dep:
        return None
    debut = timezone.now() + datetime.timedelta(days=3)
    return Absence.objects.create(
        referent=_referent(dep), debut=debut, fin=debut + datetime.timedelta(hours=2), motif="Congé"
    )


@constructeur("rendezvous.RendezVous")
def rendezvous(dep):
    from tests.rendezvous.factories import LieuFactory, RendezVousFactory

    if not dep:
        return None
    return RendezVousFactory(referent=_referent(dep), lieu=LieuFactory(departement=dep))


# -- demographie
@constructeur("demographie.Source")
def source(dep):
    return None if dep else f.SourceFactory()


@constructeur("demographie.Effectif")
def effectif(dep):
    return f.EffectifFactory(departement=dep, annee=next(ANNEES)) if dep else None


@constructeur("demographie.Population")
def population(dep):
    return f.PopulationFactory(departement=dep, annee=next(ANNEES)) if dep else None


@constructeur("demographie.IndicateurDispositif", proprietaires={"national", "regional"})
def indicateur(dep):
    from demographie.models import IndicateurDispositif

    return IndicateurDispositif.objects.create(
        annee=next(ANNEES),
        region=dep.region if dep else None,
        valeur=12,
        indicateur="cesp_contrats_signes",
        source="Bilan du Pacte (test)",
    )


@constructeur("demographie.Bulletin")
def bulletin(dep):
    if dep is None:
        return f.BulletinFactory(
            niveau="france", region=None, code_territoire="FR", annee=next(ANNEES)
        )
    return f.BulletinFactory(
        niveau="departement",
        region=None,
        departement=dep,
        code_territoire=dep.code,
        annee=next(ANNEES),
    )


@constructeur("sites.Site")
def site(dep):
    from django.conf import settings
    from django.contrib.sites.models import Site

    return (
        None
        if dep
        else Site.objects.get_or_create(
            pk=settings.SITE_ID, defaults={"domain": "example.com", "name": "example.com"}
        )[0]
    )


# -- third-party models brought by the trust work
@constructeur("mfa.Authenticator")
def authentificateur(dep):
    from allauth.mfa.models import Authenticator

    if not dep:
        return None
    utilisateur = f.UserFactory(agent_ars=True, departements=[dep])
    return Authenticator.objects.filter(user=utilisateur).first()


@constructeur("auditlog.LogEntry")
def entree_du_journal(dep):
    from auditlog.models import LogEntry

    if dep:
        return None
    return (
        LogEntry.objects.log_create(
            f.RegionFactory(), action=LogEntry.Action.CREATE, changes={"nom": [None, "x"]}
        )
        or LogEntry.objects.first()
    )


# -- espace
@constructeur("espace.Question")
def question(dep):
    from tests.espace.factories import QuestionFactory

    return QuestionFactory(commune=f.CommuneFactory(departement=dep)) if dep else None


@constructeur("espace.Accompagnement")
def accompagnement(dep):
    from tests.espace.factories import AccompagnementFactory

    return AccompagnementFactory(commune_cible=f.CommuneFactory(departement=dep)) if dep else None


@constructeur("espace.CompteurJournalier")
def compteur(dep):
    from espace.models import CompteurJournalier

    return CompteurJournalier.objects.create(
        jour=datetime.date(2026, 1, next(ANNEES) % 28 + 1),
        indicateur=CompteurJournalier.Indicateur.SIMULATION,
        region=dep.region if dep else None,
        departement=dep,
        nombre=3,
    )


@constructeur("usersessions.UserSession")
def session_utilisateur(dep):
    import uuid

    from allauth.usersessions.models import UserSession

    if not dep:
        return None
    return UserSession.objects.create(
        user=f.UserFactory(departement_interet=dep),
        ip="192.0.2.1",
        session_key=uuid.uuid4().hex,
        user_agent="Navigateur de test",
    )


@constructeur("installation.Structure")
def structure(dep):
    from tests.installation.factories import StructureFactory

    return StructureFactory(commune=f.CommuneFactory(departement=dep)) if dep else None


# -- opportunites
@constructeur("opportunites.Opportunite")
def opportunite(dep):
    from tests.opportunites.factories import OpportuniteFactory

    return OpportuniteFactory(commune=f.CommuneFactory(departement=dep)) if dep else None
