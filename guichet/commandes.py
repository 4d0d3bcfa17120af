"""The base of every import command: one file, all or nothing, line-numbered errors.

A command names what it loads and says how to summarise the result; the base checks that the
file exists, turns the import's ``ErreurImport`` (each problem as "ligne N : …") into a
``CommandError`` saying that nothing was written, and reports a data set already loaded
(``JeuDeDonnees``: the same version is loaded once) without loading it again.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.imports import ErreurImport


class CommandeImport(BaseCommand):
    # "Fichier refusé, rien n'a été modifié" (the import is one transaction).
    refus = "Fichier refusé"
    # Said when this version of the data set is already loaded (``{"deja_charge": True}``).
    deja_a_jour = "Données déjà à jour : rien à faire."

    def importer(self, **options) -> dict:
        """Run the import (in one transaction) and return its figures."""
        raise NotImplementedError

    def resume(self, resultat: dict) -> str:
        """The summary line of a successful import."""
        raise NotImplementedError

    def handle(self, *args, **options):
        fichier = options.get("fichier")
        if isinstance(fichier, Path) and not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            resultat = self.importer(**options)
        except ErreurImport as erreur:
            raise CommandError(f"{self.refus}, rien n'a été modifié :\n{erreur}") from erreur
        if resultat.get("deja_charge"):
            self.stdout.write(self.deja_a_jour)
            return
        self.stdout.write(self.style.SUCCESS(self.resume(resultat)))
