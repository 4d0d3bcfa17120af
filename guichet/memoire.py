"""Small values kept in the process: option lists every list page renders, read on each request.

A value expires after ``duree`` seconds (other processes see a change within that time) and is
forgotten at once in the process that saves or deletes one of the ``modeles``. Positional
arguments (hashable) are part of the key; at most ``MAX_CLES`` keys are kept.
"""

import functools
import time

from django.db.models.signals import post_delete, post_save

MAX_CLES = 1000
_TOUTES: list = []  # every memory's forget function, for tests


def tout_oublier() -> None:
    for oublier in _TOUTES:
        oublier()


def memoire_processus(duree: float, *modeles):
    def decorateur(fonction):
        valeur = {}

        def oublier(**kwargs):
            valeur.clear()

        _TOUTES.append(oublier)

        for modele in modeles:
            nom = getattr(modele, "__name__", modele)  # a model or "app_label.Model"
            uid = f"memoire-{fonction.__module__}.{fonction.__qualname__}-{nom}"
            post_save.connect(oublier, sender=modele, weak=False, dispatch_uid=uid)
            post_delete.connect(oublier, sender=modele, weak=False, dispatch_uid=uid)

        @functools.wraps(fonction)
        def enveloppe(*args):
            expire, resultat = valeur.get(args, (0.0, None))
            if time.monotonic() >= expire:
                resultat = fonction(*args)
                if len(valeur) >= MAX_CLES:
                    valeur.clear()
                valeur[args] = (time.monotonic() + duree, resultat)
            return resultat

        enveloppe.oublier = oublier
        return enveloppe

    return decorateur
