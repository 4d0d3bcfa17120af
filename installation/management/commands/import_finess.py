from pathlib import Path

from guichet.commandes import CommandeImport
from installation.finess import finess_importer


class Command(CommandeImport):
    help = (
        "Importe les maisons de santé (catégorie FINESS 603) et les centres de santé (124) de "
        "l'extraction FINESS des établissements de data.gouv.fr (etalab-cs1100507-stock-*.csv, "
        "lignes structureet et geolocalisation). Tout-ou-rien ; met à jour par numéro FINESS "
        "et retire les structures que l'extraction ne liste plus. Le même fichier deux fois : "
        "rien à faire. Les communes doivent être chargées avant (import_territoires)."
    )
    refus = "Extraction FINESS refusée"
    deja_a_jour = "Extraction FINESS déjà chargée : rien à faire."

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--force", action="store_true", help="Recharger même si inchangé.")

    def importer(self, *, fichier: Path, force: bool = False, **options):
        return finess_importer(fichier=fichier, force=force)

    def resume(self, r):
        return (
            f"{r['lues']} établissements lus, {r['ignorees']} d'autres catégories ignorés : "
            f"{r['msp']} maisons de santé et {r['cds']} centres de santé ({r['creees']} "
            f"nouveaux, {r['mises_a_jour']} mis à jour, {r['supprimees']} retirés ; "
            f"{r['a_l_adresse']} placés à leur adresse, les autres au centre de leur commune)."
        )
