"""What the core traces in the audit trail (see guichet.audit)."""

from guichet.audit import tracer


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
