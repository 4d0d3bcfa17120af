from pathlib import Path

from demographie import adaptateurs
from guichet.commandes import CommandeImport


class Command(CommandeImport):
    help = (
        "Importe l'export « demographie-effectifs-et-les-densites » de data.ameli (CSV « ; ») : "
        "professionnels libéraux par département, tranche d'âge et sexe. Tout-ou-rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--source", default="Assurance Maladie, data.ameli")

    def importer(self, *, fichier: Path, source: str, **options):
        return adaptateurs.importer_ameli(
            fichier, libelle_source=source, progression=self.stdout.write
        )

    def resume(self, r):
        if r["professions_ignorees"]:
            self.stdout.write("Professions ignorées : " + ", ".join(r["professions_ignorees"]))
        return (
            f"{r['lignes']} lignes lues : {r['effectifs']} effectifs ; "
            f"{r['remplacees']} lignes anciennes remplacées."
        )
