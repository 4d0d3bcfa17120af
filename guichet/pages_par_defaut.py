"""First text of the editorial pages. Created when missing after each migrate, never
overwriting what staff have edited in the admin: the footer's mandatory pages must always exist."""

PAGES = [
    {
        "cle": "accueil",
        "titre": "S'installer et exercer là où l'on a besoin de vous",
        "chapo": "Le guichet unique de l'agence régionale de santé rassemble en un seul endroit "
        "les aides, les démarches, les contacts et les chiffres utiles pour s'installer comme "
        "professionnel de santé, en particulier dans les territoires qui manquent de soignants.",
        "contenu": "Installer son cabinet n'est ni simple ni facile : l'Ordre, l'Assurance "
        "Maladie, l'URSSAF, les impôts, l'ARS, les collectivités et les URPS ont chacun leur "
        "part de l'information. Ce portail la réunit, et le **référent installation** de l'ARS "
        "vous accompagne personnellement.",
    },
    {
        "cle": "professionnels",
        "titre": "Professionnels de santé",
        "chapo": "Médecins, infirmiers, masseurs-kinésithérapeutes, chirurgiens-dentistes, "
        "sages-femmes, pharmaciens : trouvez les aides auxquelles vous avez droit et les "
        "étapes pour vous installer, vous regrouper ou vous maintenir dans votre territoire.",
        "contenu": "- **Vous vous installez** : suivez le parcours de votre profession, étape "
        "par étape, avec l'organisme compétent pour chaque démarche.\n"
        "- **Vous êtes déjà installé** : aides au maintien, exercice coordonné, assistants "
        "médicaux, remplacement, exercice mixte, télésanté.\n"
        "- **Vous hésitez sur le lieu** : consultez la démographie des professionnels par "
        "territoire et le zonage de votre profession.",
    },
    {
        "cle": "etudiants-internes",
        "titre": "Étudiants et internes",
        "chapo": "Stages en cabinet, maîtres de stage, contrat d'engagement de service public "
        "(CESP), logement et accueil des internes : préparez votre exercice futur dans la "
        "région.",
        "contenu": "Le **contrat d'engagement de service public (CESP)** verse une allocation "
        "mensuelle pendant vos études en échange d'un engagement à exercer dans une zone où "
        "l'offre de soins est insuffisante. Les stages ambulatoires chez un maître de stage "
        "agréé permettent de découvrir l'exercice libéral et le territoire.",
    },
    {
        "cle": "elus-collectivites",
        "titre": "Élus et collectivités",
        "chapo": "Attirer et garder des professionnels de santé, soutenir un projet de maison "
        "de santé, signer un contrat local de santé : ce que peut faire une collectivité, avec "
        "l'appui de l'ARS.",
        "contenu": "Les collectivités peuvent accueillir des stagiaires et des internes "
        "(logement, transport), soutenir l'immobilier d'une maison de santé "
        "pluriprofessionnelle, financer des aides à l'installation dans les zones déficitaires "
        "et s'engager dans un **contrat local de santé** avec l'ARS. Le référent installation "
        "de l'ARS est votre premier interlocuteur.",
    },
    {
        "cle": "porteurs-de-projet",
        "titre": "Porteurs de projet d'exercice coordonné",
        "chapo": "Maison de santé pluriprofessionnelle, centre de santé, équipe de soins "
        "primaires, communauté professionnelle territoriale de santé : les étapes, les "
        "financements et l'accompagnement.",
        "contenu": "Un projet d'exercice coordonné commence par un **projet de santé** écrit "
        "par les professionnels, validé par l'ARS. Il ouvre droit à un accompagnement "
        "(ingénierie, aide au démarrage) puis à la rémunération de l'accord conventionnel "
        "interprofessionnel (ACI) versée par l'Assurance Maladie, sous forme de société "
        "interprofessionnelle de soins ambulatoires (SISA).",
    },
    {
        "cle": "plan-du-site",
        "titre": "Plan du site",
        "chapo": "",
        "contenu": "Toutes les pages du guichet unique :",
    },
    {
        "cle": "accessibilite",
        "titre": "Déclaration d'accessibilité",
        "chapo": "L'agence régionale de santé s'engage à rendre ce service accessible, "
        "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.",
        "contenu": "## État de conformité\n\n"
        "Ce site est **non conforme** au référentiel général d'amélioration de "
        "l'accessibilité (RGAA 4.1.2) : il n'a pas encore fait l'objet d'un audit. Il est "
        "construit avec le système de design de l'État et ses pages sont vérifiées "
        "automatiquement à chaque évolution.\n\n"
        "## Contenus non accessibles\n\n"
        "Les documents téléchargeables publiés par des partenaires peuvent ne pas être "
        "accessibles ; ils sont signalés comme tels.\n\n"
        "## Retour d'information et contact\n\n"
        "Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez le "
        "référent installation de l'ARS pour être orienté vers une alternative accessible.\n\n"
        "## Voies de recours\n\n"
        "Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou "
        "à une fonctionnalité du site, que vous nous le signalez et que vous ne parvenez pas "
        "à obtenir une réponse de notre part, vous pouvez :\n\n"
        "- écrire un message au [Défenseur des droits]"
        "(https://formulaire.defenseurdesdroits.fr/) ;\n"
        "- contacter le délégué du Défenseur des droits dans votre région ;\n"
        "- envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des "
        "droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
    },
    {
        "cle": "mentions-legales",
        "titre": "Mentions légales",
        "chapo": "",
        "contenu": "## Éditeur\n\nCe site est édité par l'agence régionale de santé, "
        "établissement public de l'État.\n\n"
        "## Directeur de la publication\n\nLe directeur général de l'agence régionale de "
        "santé.\n\n"
        "## Hébergement\n\nLes coordonnées de l'hébergeur sont indiquées par l'ARS qui "
        "exploite ce portail.\n\n"
        "## Logiciel\n\nCe portail est un logiciel libre. Sauf mention contraire, ses contenus "
        "sont publiés sous licence Etalab 2.0.\n\n"
        "## Sources\n\nLes montants et conditions des aides sont repris des textes officiels "
        "dont la source et la date de vérification sont indiquées sur chaque page. Seuls les "
        "textes publiés au Journal officiel font foi.",
    },
    {
        "cle": "donnees-personnelles",
        "titre": "Données personnelles",
        "chapo": "Ce portail traite le moins de données personnelles possible, pour les seuls "
        "besoins du service.",
        "contenu": "## Responsable du traitement\n\nL'agence régionale de santé.\n\n"
        "## Finalités et base légale\n\n"
        "- **Compte utilisateur** (adresse électronique, profil facultatif) : vous proposer "
        "les aides et démarches qui vous concernent et garder votre plan d'installation ;\n"
        "- **Demandes de rendez-vous** avec le référent installation : organiser l'entretien.\n\n"
        "Ces traitements relèvent de la mission d'intérêt public de l'ARS (article 6.1.e du "
        "RGPD).\n\n"
        "## Destinataires\n\nLes agents habilités de l'ARS et le référent installation de "
        "votre territoire. Aucune donnée n'est vendue ni transmise à des tiers à des fins "
        "commerciales.\n\n"
        "## Durées de conservation\n\n"
        "- les demandes de rendez-vous sont anonymisées 12 mois après l'entretien ;\n"
        "- les comptes inactifs pendant 2 ans sont supprimés après un avertissement.\n\n"
        "## Vos droits\n\nVous pouvez accéder à vos données, les rectifier depuis votre compte, "
        "demander leur effacement ou la limitation du traitement, et vous opposer au "
        "traitement, en écrivant au délégué à la protection des données de l'ARS. Vous pouvez "
        "aussi adresser une réclamation à la [CNIL](https://www.cnil.fr/fr/plaintes).",
    },
    {
        "cle": "cookies",
        "titre": "Gestion des cookies",
        "chapo": "Ce site ne dépose aucun cookie de mesure d'audience ni de publicité.",
        "contenu": "Seuls des cookies strictement nécessaires au fonctionnement du service sont "
        "utilisés ; ils sont exemptés de consentement :\n\n"
        "- **sessionid** : garder votre session ouverte quand vous êtes connecté (12 heures) ;\n"
        "- **csrftoken** : protéger les formulaires contre la falsification de requêtes.\n\n"
        "Vos préférences d'affichage (thème clair ou sombre) sont conservées dans votre "
        "navigateur et ne nous sont pas transmises.",
    },
]


def creer_pages_manquantes(**kwargs):
    from guichet.models import PageEditoriale

    existantes = set(PageEditoriale.objects.values_list("cle", flat=True))
    PageEditoriale.objects.bulk_create(
        [PageEditoriale(**page) for page in PAGES if page["cle"] not in existantes]
    )
