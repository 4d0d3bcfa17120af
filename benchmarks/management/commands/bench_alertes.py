import datetime
import time

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Case, Max, When
from django.test.utils import override_settings
from django.utils import timezone

from opportunites.alertes import envoyer_alertes
from opportunites.models import Alerte, EnvoiAlertes, Frequence, Opportunite

PERIODES = {Frequence.QUOTIDIENNE: 1, Frequence.HEBDOMADAIRE: 7}  # days between two digests


class Compteur:
    """Counts the SQL statements sent (Django's query log keeps only the last 9000)."""

    n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = (
        "Banc d'essai : mesure un passage de la tâche envoyer_alertes quand les alertes du jeu "
        "du banc sont toutes dues (chacune une période après son dernier envoi, juste après la "
        "dernière annonce publiée), courriels gardés en mémoire ; les alertes sont ensuite "
        "remises dans leur état et les envois du passage supprimés. Base du banc seulement."
    )

    def add_arguments(self, parser):
        parser.add_argument("--alertes", type=int, help="les N premières alertes (toutes sinon)")

    def handle(self, *args, alertes=None, **options):
        if not connection.settings_dict["NAME"].startswith("guichet_bench"):
            raise CommandError("Ce banc rend les alertes dues : base guichet_bench* seulement.")
        derniere = Opportunite.objects.publiees().aggregate(m=Max("publiee_le"))["m"]
        if derniere is None or not Alerte.objects.exists():
            raise CommandError("Ni annonce publiée ni alerte : lancez d'abord bench_donnees.")
        maintenant = derniere + datetime.timedelta(minutes=1)
        etat = list(Alerte.objects.all())
        dernier_envoi = EnvoiAlertes.objects.aggregate(m=Max("pk"))["m"] or 0
        compteur = Compteur()
        try:
            dues, personnes = self._rendre_dues(maintenant, alertes)
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                connection.execute_wrapper(compteur),
            ):
                mail.outbox = []
                debut = time.perf_counter()
                # One run for all of them (the setting bounds a run to 1000 people by default).
                resultat = envoyer_alertes(
                    maintenant=maintenant,
                    limite=max(personnes, settings.OPPORTUNITE_ALERTES_PAR_PASSAGE),
                )
                duree = time.perf_counter() - debut
            courriels = len(mail.outbox)
        finally:
            mail.outbox = []
            Alerte.objects.bulk_update(
                etat, ["depuis", "prochain_envoi", "zonage_vu"], batch_size=2000
            )
            EnvoiAlertes.objects.filter(pk__gt=dernier_envoi).delete()
        self.stdout.write(
            f"{dues} alertes dues ({personnes} personnes, "
            f"{Opportunite.objects.publiees().count()} annonces publiées) : un passage en "
            f"{duree:.2f} s, {dues / duree:.0f} alertes/s ; {resultat['prepares']} courriels "
            f"préparés, {resultat['envoyes']} envoyés ({courriels} reçus) ; {compteur.n} "
            f"requêtes SQL, {compteur.n / dues:.2f} par alerte."
        )

    @staticmethod
    def _rendre_dues(maintenant, nombre) -> tuple[int, int]:
        """The first ``nombre`` alerts (all without it) due now, their last digest one period
        ago; the others due later. No digest recorded today (an interrupted measure)."""
        EnvoiAlertes.objects.filter(jour=timezone.localdate(maintenant)).delete()
        dues = Alerte.objects.filter(
            pk__in=list(Alerte.objects.order_by("pk").values_list("pk", flat=True)[:nombre])
        )
        Alerte.objects.update(prochain_envoi=maintenant + datetime.timedelta(days=1))
        dues.update(
            prochain_envoi=maintenant - datetime.timedelta(minutes=1),
            depuis=Case(
                *(
                    When(frequence=f, then=maintenant - datetime.timedelta(days=jours))
                    for f, jours in PERIODES.items()
                )
            ),
        )
        return dues.count(), dues.values("utilisateur").distinct().count()
