"""What the core traces in the audit trail (see guichet.audit)."""

from guichet.audit import non_trace, tracer


def enregistrer():
    from guichet.models import JeuDeDonnees, PageEditoriale, User

    tracer(
        User,
        masques=["email", "first_name", "last_name", "commune_interet", "departement_interet"],
        exclus=["password", "last_login"],
        m2m=["groups", "regions", "departements"],
    )
    tracer(PageEditoriale)
    tracer(JeuDeDonnees)
    non_trace(
        "guichet.ImportEnAttente",
        "fichier déposé en attente de confirmation (2 h au plus) ; l'import confirmé est tracé",
    )
    non_trace(
        "guichet.versioncontenu", "compteur tenu par PostgreSQL à chaque écriture : aucune saisie"
    )
