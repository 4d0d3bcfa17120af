from django.core.management.base import BaseCommand, CommandError

from demographie import editions, services
from guichet.taches import tache_planifiee


class Command(BaseCommand):
    help = (
        "Génère l'édition courante des bulletins (France, régions, départements ayant des "
        "données) dont les données ont changé depuis la dernière génération : ce sont ces "
        "fichiers que servent les adresses publiques. Une édition publiée n'est jamais "
        "modifiée. À planifier (le planificateur la lance chaque heure)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--annee", type=int, help="Par défaut : la dernière année chargée.")
        parser.add_argument(
            "--niveau",
            choices=editions.NIVEAUX_EDITIONS,
            action="append",
            help="Limiter à ces niveaux (option répétable).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Régénérer même les éditions à jour."
        )

    @tache_planifiee("actualiser_bulletins")
    def handle(self, *args, annee=None, niveau=None, force=False, **options):
        annee = annee or editions.derniere_annee()
        if annee is None:
            self.stdout.write("Aucun effectif chargé : aucun bulletin à générer.")
            return
        territoires = editions.territoires_de_l_annee(annee, niveau)
        nationale = editions.signature_nationale()
        generes = a_jour = echecs = 0
        for i, t in enumerate(territoires, start=1):
            bulletin = services.bulletin_pour(territoire=t, annee=annee)
            try:
                rendu = services.bulletin_actualiser_edition(
                    bulletin=bulletin, nationale=nationale, force=force
                )
            except services.PasDeDonnees:
                a_jour += 1
                continue
            except Exception as exc:  # one broken territory must not stop the others
                echecs += 1
                self.stderr.write(f"[{i}/{len(territoires)}] {t.nom} : échec ({exc})")
                continue
            if rendu:
                generes += 1
                self.stdout.write(f"[{i}/{len(territoires)}] {t.nom} : édition générée")
            else:
                a_jour += 1
        self.stdout.write(
            f"Bulletins {annee} : {generes} éditions générées, {a_jour} à jour, "
            f"publiées ou sans données, {echecs} échecs."
        )
        if echecs:
            raise CommandError(f"{echecs} bulletin(s) n'ont pas pu être générés.")
