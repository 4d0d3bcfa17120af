"""Small values kept in the process: option lists every list page renders, read on each request.

A value expires after ``duree`` seconds (other processes see a change within that time) and is
forgotten at once in the process that saves or deletes one of the ``modeles``.
"""

import functools
import time

from django.db.models.signals import post_delete, post_save


def memoire_processus(duree: float, *modeles):
    def decorateur(fonction):
        valeur = {}

        def oublier(**kwargs):
            valeur.clear()

        for modele in modeles:
            uid = f"memoire-{fonction.__module__}.{fonction.__qualname__}-{modele.__name__}"
            post_save.connect(oublier, sender=modele, weak=False, dispatch_uid=uid)
            post_delete.connect(oublier, sender=modele, weak=False, dispatch_uid=uid)

        @functools.wraps(fonction)
        def enveloppe():
            expire, resultat = valeur.get("v", (0.0, None))
            if time.monotonic() >= expire:
                resultat = fonction()
                valeur["v"] = (time.monotonic() + duree, resultat)
            return resultat

        enveloppe.oublier = oublier
        return enveloppe

    return decorateur
