"""The audience pages (professionnels, étudiants et internes…) gather what each app offers the
audience. The core never imports an app: an app registers, in its ``publics.py``, a function
``public -> dict`` whose keys the page's template reads (``guichet/espace_public.html``)."""

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
