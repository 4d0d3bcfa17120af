from pathlib import Path

from django.core.management.base import CommandError

from aides import services
from guichet.commandes import CommandeImport


class Command(CommandeImport):
    help = (
        "Importe un arrêté de zonage : CSV UTF-8 séparé par des points-virgules, en-tête "
        "code_commune;profession;niveau;date_arrete;source. Tout-ou-rien ; les couples "
        "(commune, profession) du fichier remplacent leur zonage précédent."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)

    def importer(self, *, fichier, **options):
        try:
            texte = fichier.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Lecture impossible de {fichier} : {exc}") from exc
        self.stdout.write(f"Vérification de {fichier}…")
        return services.zonage_importer(texte=texte)

    def resume(self, resultat):
        return (
            "Zonage importé : {lignes} lignes pour {paires} couples commune-profession "
            "({remplaces} anciennes lignes remplacées).".format(**resultat)
        )
