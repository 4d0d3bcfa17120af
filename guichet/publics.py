"""What the public pages show of the apps the core never imports; an app registers in its
``publics.py``:
- ``contenu``: a function ``public -> dict`` for the audience pages (professionnels, étudiants et
  internes…), whose keys ``guichet/espace_public.html`` reads;
- ``contacts``: a function ``departement -> list`` of the ARS's contacts there (the booking
  shows them when no referent books online in the département).
"""

from collections.abc import Callable

CONTENUS: list[Callable[[str], dict]] = []


def contenu(fonction):
    if fonction not in CONTENUS:
        CONTENUS.append(fonction)
    return fonction


def contenu_pour(public: str) -> dict:
    resultat: dict = {}
    for fonction in CONTENUS:
        resultat.update(fonction(public))
    return resultat


# Who to contact in a département when no referent books online: the app that keeps the
# directory registers a function ``departement -> list`` of the ARS's contacts there.
CONTACTS_ARS: list[Callable] = []


def contacts(fonction):
    if fonction not in CONTACTS_ARS:
        CONTACTS_ARS.append(fonction)
    return fonction


def contacts_ars(departement) -> list:
    return [c for fonction in CONTACTS_ARS for c in fonction(departement)]
