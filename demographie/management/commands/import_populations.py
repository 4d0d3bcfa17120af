from pathlib import Path

from demographie import importation
from guichet.commandes import CommandeImport


class Command(CommandeImport):
    help = (
        "Populations par territoire et année. Sans fichier : initialise l'année --annee depuis "
        "la population municipale des communes (sommes pour départements et régions). Avec un "
        "fichier annee;niveau;code_territoire;population : l'importe (tout-ou-rien)."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path, nargs="?")
        parser.add_argument("--annee", type=int, default=importation.ANNEE_POPULATION_COMMUNES)
        parser.add_argument("--source", default="INSEE, populations légales")

    def importer(self, *, fichier, annee, source, **options):
        if fichier is None:
            return {"initialisees": importation.initialiser_populations(annee), "annee": annee}
        return {"importees": importation.importer_populations(fichier, source=source)}

    def resume(self, resultat):
        if "initialisees" in resultat:
            return "{initialisees} populations {annee} initialisées.".format(**resultat)
        return "{importees} populations importées.".format(**resultat)
