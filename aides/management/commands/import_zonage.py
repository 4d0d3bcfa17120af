from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aides import services


class Command(BaseCommand):
    help = (
        "Importe un arrêté de zonage : CSV UTF-8 séparé par des points-virgules, en-tête "
        "code_commune;profession;niveau;date_arrete;source. Tout-ou-rien ; les couples "
        "(commune, profession) du fichier remplacent leur zonage précédent."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)

    def handle(self, *args, fichier, **options):
        try:
            texte = fichier.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Lecture impossible de {fichier} : {exc}") from exc
        self.stdout.write(f"Vérification de {fichier}…")
        try:
            resultat = services.zonage_importer(texte=texte)
        except services.ErreurImport as erreur:
            raise CommandError(f"Fichier refusé, rien n'a été importé :\n{erreur}") from erreur
        self.stdout.write(
            self.style.SUCCESS(
                "Zonage importé : {lignes} lignes pour {paires} couples commune-profession "
                "({remplaces} anciennes lignes remplacées).".format(**resultat)
            )
        )
