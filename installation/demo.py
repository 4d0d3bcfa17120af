"""Demo content of the installation app: the real parcours (fixtures/parcours.yaml), real
generated documents (a PDF checklist and a CSV timetable per parcours), and FICTITIOUS local
contacts, events, news and maisons / centres de santé for a few départements, flagged as such
everywhere."""

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone

from aides.models import Organisation
from aides.services import catalogue_charger
from guichet.models import Commune, Departement, JeuDeDonnees
from guichet.vocabulaire import Public
from installation import services
from installation.models import (
    Actualite,
    CategorieStructure,
    Contact,
    Document,
    Evenement,
    Parcours,
    Structure,
)

DEPARTEMENTS_DEMO = {
    # code: (prefecture, postal code, fictitious phone prefix reserved for fiction by ARCEP)
    "79": ("Niort", "79000", "05 36 49"),
    "23": ("Guéret", "23000", "05 36 49"),
    "58": ("Nevers", "58000", "03 53 01"),
    "972": ("Fort-de-France", "97200", "05 36 49"),
}
HORAIRES = "Du lundi au vendredi, 9 h – 12 h et 13 h 30 – 16 h 30, sur rendez-vous"

# (organisation code, title, what to call them for)
CONTACTS = [
    (
        "ars",
        "Référent installation, délégation départementale de l'ARS",
        "Votre projet d'installation de bout en bout : zonage, aides de l'État et de l'ARS, CESP, "
        "projets d'exercice coordonné, mise en relation avec les collectivités.",
    ),
    (
        "assurance-maladie",
        "CPAM, service des relations avec les professionnels de santé",
        "Immatriculation, numéro de facturation, adhésion à la convention, aides conventionnelles "
        "(aide à l'installation, contrats démographiques), amelipro.",
    ),
    (
        "urssaf",
        "Urssaf, accueil des professions libérales de santé",
        "Affiliation, cotisations sociales des praticiens et auxiliaires médicaux conventionnés, "
        "échéancier de début d'activité.",
    ),
    (
        "dgfip",
        "Service des impôts des entreprises (SIE)",
        "Régime fiscal (BNC, déclaration contrôlée), TVA, cotisation foncière des entreprises, "
        "exonérations en zone France ruralités revitalisation.",
    ),
    (
        "ordre-medecins",
        "Conseil départemental de l'Ordre des médecins",
        "Inscription au tableau, contrats (collaboration, SCM, bail), remplacements, permanence "
        "des soins.",
    ),
    (
        "ordre-infirmiers",
        "Conseil départemental de l'Ordre des infirmiers",
        "Inscription au tableau, contrats, remplacements.",
    ),
    (
        "ordre-masseurs-kinesitherapeutes",
        "Conseil départemental de l'Ordre des masseurs-kinésithérapeutes",
        "Inscription au tableau, contrats, remplacements.",
    ),
    (
        "ordre-chirurgiens-dentistes",
        "Conseil départemental de l'Ordre des chirurgiens-dentistes",
        "Inscription au tableau, contrats, gardes.",
    ),
    (
        "ordre-sages-femmes",
        "Conseil départemental de l'Ordre des sages-femmes",
        "Inscription au tableau, déclaration d'installation libérale.",
    ),
    (
        "ordre-pharmaciens",
        "Conseil régional de l'Ordre des pharmaciens (section A)",
        "Inscription comme titulaire d'officine, enregistrement de l'exploitation.",
    ),
    (
        "urps",
        "URPS, accompagnement à l'installation",
        "Conseils de pairs, diagnostic territorial, journées de l'installation.",
    ),
    (
        "conseil-departemental",
        "Conseil départemental, mission attractivité santé",
        "Aides du Département (bourses, logement des internes et des remplaçants), protection "
        "maternelle et infantile.",
    ),
]


def charger(ecrire=print) -> None:
    catalogue_charger()  # the steps link to the aids: load (or keep) the catalogue first
    resultat = services.parcours_charger()
    if resultat.get("deja_charge"):
        ecrire("Parcours d'installation déjà à jour.")
    else:
        ecrire(
            f"Parcours d'installation : {resultat['parcours']} parcours, "
            f"{resultat['etapes']} étapes."
        )
    _contacts(ecrire)
    _structures(ecrire)
    _documents(ecrire)
    _agenda(ecrire)


def _contacts(ecrire):
    organisations = {
        o.code: o for o in Organisation.objects.filter(code__in=[c for c, _, _ in CONTACTS])
    }
    nombre = 0
    with transaction.atomic():
        for code_dep, (ville, cp, prefixe) in DEPARTEMENTS_DEMO.items():
            departement = Departement.objects.filter(pk=code_dep).first()
            if departement is None:
                continue
            for rang, (code, intitule, pour_quoi) in enumerate(CONTACTS):
                organisation = organisations[code]
                Contact.objects.update_or_create(
                    organisation=organisation,
                    departement=departement,
                    intitule=intitule,
                    defaults={
                        "pour_quoi": pour_quoi,
                        "adresse": f"{rang + 1} rue de la Démonstration\n{cp} {ville}",
                        "telephone": f"{prefixe} {rang:02d} {int(cp[:2]) % 100:02d}",
                        "courriel": f"{code}-{code_dep}@demo.guichet-sante.fr",
                        "horaires": HORAIRES,
                        "site": organisation.site,
                        "fictif": True,
                        "ordre": rang,
                    },
                )
                nombre += 1
    ecrire(f"Annuaire des partenaires : {nombre} contacts de démonstration (fictifs).")


# FICTITIOUS maisons and centres de santé, placed at their commune's centroid, no FINESS number:
# the commune pages list them with a "Fictive" badge (real ones come from import_finess).
STRUCTURES_DEMO = [
    ("23079", CategorieStructure.MSP, "Maison de santé de Felletin (fictive)"),
    ("23008", CategorieStructure.MSP, "Maison de santé d'Aubusson (fictive)"),
    ("23096", CategorieStructure.CDS, "Centre de santé de Guéret (fictif)"),
    ("79191", CategorieStructure.MSP, "Maison de santé de Niort-Souché (fictive)"),
    ("97213", CategorieStructure.CDS, "Centre de santé du Lamentin (fictif)"),
]


def _structures(ecrire):
    communes = Commune.objects.in_bulk([code for code, _, _ in STRUCTURES_DEMO])
    nombre = 0
    with transaction.atomic():
        for code, categorie, nom in STRUCTURES_DEMO:
            commune = communes.get(code)
            if commune is None:
                continue
            Structure.objects.update_or_create(
                nom=nom,
                fictive=True,
                defaults={
                    "categorie": categorie,
                    "commune": commune,
                    "adresse": f"1 place de la Démonstration, {commune.nom}",
                    "latitude": commune.latitude,
                    "longitude": commune.longitude,
                },
            )
            nombre += 1
    ecrire(f"Maisons et centres de santé : {nombre} structures de démonstration (fictives).")


def _documents(ecrire):
    """A PDF checklist and a CSV timetable per parcours, generated from the parcours."""
    etat = JeuDeDonnees.objects.empreinte("parcours")
    empreinte = hashlib.sha256(f"documents-v1-{etat}".encode()).hexdigest()
    if JeuDeDonnees.objects.est_charge("documents-demo", empreinte):
        return
    nombre = 0
    for parcours in Parcours.objects.nationaux():
        etapes = list(parcours.etapes_pour(None))
        avec_pieces = [e for e in etapes if e.pieces]
        services.document_enregistrer(
            titre=f"Liste de contrôle : {parcours.titre}",
            nom=f"liste-de-controle-{parcours.slug}.pdf",
            contenu=services.liste_controle_pdf(parcours=parcours),
            description="Toutes les étapes dans l'ordre, avec les pièces à fournir, à cocher.",
            type=Document.Type.LISTE,
            publics=parcours.publics,
            parcours=[parcours],
            etapes=avec_pieces,
        )
        services.document_enregistrer(
            titre=f"Calendrier des démarches : {parcours.titre}",
            nom=f"calendrier-{parcours.slug}.csv",
            contenu=services.calendrier_csv(parcours=parcours),
            description="Les étapes, qui s'en occupe et les délais indicatifs, en tableur (CSV).",
            type=Document.Type.TABLEUR,
            publics=parcours.publics,
            parcours=[parcours],
            etapes=etapes[:1],
        )
        nombre += 2
    JeuDeDonnees.objects.marquer_charge("documents-demo", empreinte)
    ecrire(f"Documents à télécharger : {nombre} documents générés.")


# Fictitious events: département code, (days from today, hour) of start and end.
EVENEMENTS_DEMO = [
    dict(
        titre="Forum des carrières en santé des Deux-Sèvres",
        type="forum",
        departement="79",
        debut=(21, 9),
        fin=(21, 17),
        lieu="Niort (lieu précisé à l'inscription)",
        publics=[Public.PROFESSIONNELS, Public.ETUDIANTS],
        description="Rencontrez les collectivités, les maisons de santé et les "
        "établissements qui recrutent, et les partenaires de l'installation (ARS, CPAM, "
        "Ordres, URPS) réunis au même endroit.",
    ),
    dict(
        titre="Accueil des nouveaux internes de médecine générale",
        type="accueil-internes",
        departement="79",
        debut=(35, 18),
        fin=(35, 21),
        lieu="Niort",
        publics=[Public.ETUDIANTS],
        description="Soirée d'accueil des internes en stage dans le département : "
        "présentation des terrains de stage, du logement et des maîtres de stage.",
    ),
    dict(
        titre="Généraliste dating : rencontrez les communes de la Creuse",
        type="rencontre",
        departement="23",
        debut=(14, 17),
        fin=(14, 20),
        lieu="Guéret",
        publics=[Public.PROFESSIONNELS, Public.ELUS],
        description="Des rendez-vous courts entre médecins qui envisagent de s'installer "
        "et élus ou équipes de santé qui cherchent un confrère.",
    ),
    dict(
        titre="Créer une maison de santé : réunion d'information",
        type="reunion",
        departement="58",
        debut=(10, 18),
        fin=(10, 20),
        lieu="Nevers",
        publics=[Public.PORTEURS, Public.ELUS],
        description="Les étapes d'un projet de maison de santé pluriprofessionnelle : "
        "projet de santé, SISA, accord conventionnel interprofessionnel, financements.",
    ),
    dict(
        titre="Salon de l'installation des professionnels de santé en Martinique",
        type="salon",
        departement="972",
        debut=(42, 9),
        fin=(42, 16),
        lieu="Fort-de-France",
        publics=[Public.PROFESSIONNELS, Public.ETUDIANTS],
        description="Stands de l'ARS, de la CGSS, des Ordres et des collectivités ; "
        "ateliers sur les démarches et les aides.",
    ),
    dict(
        titre="Webinaire : s'installer en libéral, les démarches pas à pas",
        type="reunion",
        debut=(7, 12),
        fin=(7, 13),
        lieu="En ligne",
        publics=[Public.PROFESSIONNELS, Public.ETUDIANTS],
        description="Une heure pour comprendre l'ordre des démarches : Ordre, Assurance "
        "Maladie, Urssaf, impôts, et les aides selon le zonage.",
    ),
]

# Fictitious news, by département code.
ACTUALITES_DEMO = [
    dict(
        titre="Nouveau : votre plan d'installation personnel",
        texte="Choisissez votre parcours, cochez les étapes et imprimez votre plan avec "
        "les contacts et les aides de votre commune.",
        publics=[Public.PROFESSIONNELS, Public.ETUDIANTS],
    ),
    dict(
        titre="Deux-Sèvres : permanences du référent installation",
        texte="Le référent installation tient des permanences mensuelles dans le nord du "
        "département.",
        departement="79",
        publics=[Public.PROFESSIONNELS],
    ),
    dict(
        titre="Nièvre : appel à projets pour les maisons de santé",
        texte="Les équipes qui portent un projet de maison de santé peuvent déposer leur "
        "projet de santé auprès de la délégation départementale.",
        departement="58",
        publics=[Public.PORTEURS, Public.ELUS],
    ),
    dict(
        titre="Martinique : logement des internes",
        texte="Des logements sont proposés aux internes en stage hors de Fort-de-France.",
        departement="972",
        publics=[Public.ETUDIANTS],
    ),
]


def _agenda(ecrire):
    """Fictitious events and news, dated from today (reloaded once a day)."""
    aujourd_hui = timezone.localdate()
    empreinte = f"agenda-demo-v1-{aujourd_hui.isoformat()}"
    if JeuDeDonnees.objects.est_charge("agenda-demo", empreinte):
        return
    departements = Departement.objects.in_bulk(list(DEPARTEMENTS_DEMO))
    if len(departements) < len(DEPARTEMENTS_DEMO):
        return

    def jour(n, heure=14):
        date = aujourd_hui + datetime.timedelta(days=n)
        return timezone.make_aware(datetime.datetime.combine(date, datetime.time(heure)))

    avertissement = "\n\n*Événement fictif, présenté pour la démonstration du portail.*"
    evenements = [
        {
            **e,
            "debut": jour(*e["debut"]),
            "fin": jour(*e["fin"]),
            **({"departement": departements[e["departement"]]} if "departement" in e else {}),
        }
        for e in EVENEMENTS_DEMO
    ]
    actualites = [
        {**a, **({"departement": departements[a["departement"]]} if "departement" in a else {})}
        for a in ACTUALITES_DEMO
    ]
    with transaction.atomic():
        Evenement.objects.filter(fictif=True).delete()
        Actualite.objects.filter(fictif=True).delete()
        for e in evenements:
            e["description"] += avertissement
            Evenement.objects.create(fictif=True, **e)
        for a in actualites:
            a["texte"] += " *(Actualité de démonstration.)*"
            Actualite.objects.create(fictif=True, publiee_le=aujourd_hui, **a)
        JeuDeDonnees.objects.marquer_charge("agenda-demo", empreinte)
    ecrire(f"Agenda : {len(evenements)} événements et {len(actualites)} actualités fictifs.")
