"""Demo accounts for `make run` (development only): a national administrator, a regional agent
and an installation referent, all with the same demo password."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from guichet import roles
from guichet.models import Departement, Region, User

MOT_DE_PASSE_DEMO = "demo-guichet-sante"

COMPTES = [
    {
        "email": "admin@demo.guichet-sante.fr",
        "first_name": "Camille",
        "last_name": "Administratrice",
        "groupe": roles.ADMINISTRATEUR_NATIONAL,
        "national": True,
    },
    {
        "email": "agent.nouvelle-aquitaine@demo.guichet-sante.fr",
        "first_name": "Sacha",
        "last_name": "Agent ARS",
        "groupe": roles.AGENT_ARS,
        "regions": ["75"],
    },
    {
        "email": "referent.deux-sevres@demo.guichet-sante.fr",
        "first_name": "Dominique",
        "last_name": "Référent",
        "groupe": roles.REFERENT_INSTALLATION,
        "departements": ["79"],
    },
    {
        "email": "agent.martinique@demo.guichet-sante.fr",
        "first_name": "Noé",
        "last_name": "Agent ARS",
        "groupe": roles.AGENT_ARS,
        "regions": ["02"],
    },
    {
        "email": "referent.martinique@demo.guichet-sante.fr",
        "first_name": "Alix",
        "last_name": "Référente",
        "groupe": roles.REFERENT_INSTALLATION,
        "regions": ["02"],
    },
]


def charger(ecrire=print) -> None:
    for compte in COMPTES:
        user, cree = User.objects.get_or_create(
            email=compte["email"],
            defaults={
                "first_name": compte["first_name"],
                "last_name": compte["last_name"],
                "is_staff": True,
                "is_superuser": compte.get("national", False),
                "perimetre_national": compte.get("national", False),
            },
        )
        if cree:
            user.set_password(MOT_DE_PASSE_DEMO)
            user.save()
            user.groups.add(Group.objects.get(name=compte["groupe"]))
            user.regions.set(Region.objects.filter(code__in=compte.get("regions", [])))
            user.departements.set(
                Departement.objects.filter(code__in=compte.get("departements", []))
            )
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    ecrire(f"{len(COMPTES)} comptes de démonstration prêts.")
