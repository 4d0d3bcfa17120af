"""The booking domain moves from ``installation`` to this app, keeping its tables and rows.

State only: the tables keep their names (``db_table``), so nothing is created or dropped in the
database, including the exclusion constraint. ``installation.0004`` removes the models from
``installation``'s state. Content types follow, so permissions and admin history are kept.
"""

import uuid

import django.contrib.postgres.constraints
import django.contrib.postgres.fields
import django.contrib.postgres.fields.ranges
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import rendezvous.models

MODELES = [
    "absence", "lieu", "motifrendezvous", "notification", "plageouverture", "referent",
    "rendezvous",
]  # fmt: skip


def renommer_types(de, vers):
    def renommer(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        deja = set(
            ContentType.objects.filter(app_label=vers, model__in=MODELES).values_list(
                "model", flat=True
            )
        )
        ContentType.objects.filter(app_label=de, model__in=set(MODELES) - deja).update(
            app_label=vers
        )

    return renommer


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("guichet", "0002_groupes"),
        ("installation", "0003_documents_des_aides"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="MotifRendezVous",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("nom", models.CharField(max_length=150)),
                        ("slug", models.SlugField(max_length=80, unique=True)),
                        ("description", models.TextField(blank=True)),
                        (
                            "duree_minutes",
                            models.PositiveIntegerField(default=45, verbose_name="durée (minutes)"),
                        ),
                        (
                            "tampon_minutes",
                            models.PositiveIntegerField(
                                default=15,
                                help_text="Temps libre réservé après chaque RDV.",
                                verbose_name="battement après (minutes)",
                            ),
                        ),
                        (
                            "delai_minimum_heures",
                            models.PositiveIntegerField(
                                default=24, verbose_name="délai minimum de réservation (heures)"
                            ),
                        ),
                        (
                            "fenetre_jours",
                            models.PositiveIntegerField(
                                default=60, verbose_name="réservable jusqu'à (jours)"
                            ),
                        ),
                        (
                            "max_par_jour",
                            models.PositiveIntegerField(
                                blank=True,
                                null=True,
                                verbose_name="maximum par jour et par référent",
                            ),
                        ),
                        (
                            "annulable",
                            models.BooleanField(
                                default=True, verbose_name="annulable par l'usager"
                            ),
                        ),
                        (
                            "annulable_jusqu_heures",
                            models.PositiveIntegerField(
                                default=24, verbose_name="annulable jusqu'à (heures avant)"
                            ),
                        ),
                        (
                            "instructions",
                            models.TextField(
                                blank=True,
                                help_text="Pièces à préparer, etc.",
                                verbose_name="consignes après réservation",
                            ),
                        ),
                        ("actif", models.BooleanField(default=True)),
                        ("ordre", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "installation_motifrendezvous",
                        "verbose_name": "motif de rendez-vous",
                        "verbose_name_plural": "motifs de rendez-vous",
                        "ordering": ["ordre", "nom"],
                    },
                ),
                migrations.CreateModel(
                    name="Lieu",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("nom", models.CharField(max_length=150)),
                        (
                            "type",
                            models.CharField(
                                choices=[
                                    ("adresse", "Sur place"),
                                    ("telephone", "Par téléphone"),
                                    ("visio", "En visioconférence"),
                                ],
                                default="adresse",
                                max_length=20,
                            ),
                        ),
                        ("adresse", models.CharField(blank=True, max_length=300)),
                        (
                            "consignes",
                            models.TextField(
                                blank=True,
                                help_text="Accès, lien de visioconférence envoyé, numéro appelé…",
                            ),
                        ),
                        (
                            "departement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="guichet.departement",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "installation_lieu",
                        "verbose_name": "lieu de rendez-vous",
                        "verbose_name_plural": "lieux de rendez-vous",
                        "ordering": ["nom"],
                    },
                ),
                migrations.CreateModel(
                    name="Referent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "presentation",
                            models.TextField(blank=True, verbose_name="présentation publique"),
                        ),
                        ("actif", models.BooleanField(default=True)),
                        (
                            "jeton_agenda",
                            models.CharField(
                                default=rendezvous.models._jeton,
                                editable=False,
                                max_length=64,
                                verbose_name="jeton du flux iCal privé",
                            ),
                        ),
                        (
                            "departements",
                            models.ManyToManyField(
                                related_name="referents",
                                to="guichet.departement",
                                verbose_name="départements couverts",
                            ),
                        ),
                        (
                            "utilisateur",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="referent",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "installation_referent",
                        "verbose_name": "référent installation",
                        "verbose_name_plural": "référents installation",
                        "ordering": ["utilisateur__last_name"],
                    },
                ),
                migrations.CreateModel(
                    name="RendezVous",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("debut", models.DateTimeField(verbose_name="début")),
                        ("fin", models.DateTimeField()),
                        (
                            "fin_bloquee",
                            models.DateTimeField(verbose_name="fin, battement compris"),
                        ),
                        (
                            "statut",
                            models.CharField(
                                choices=[
                                    ("confirme", "Confirmé"),
                                    ("annule-usager", "Annulé par l'usager"),
                                    ("annule-referent", "Annulé par le référent"),
                                    ("honore", "Honoré"),
                                    ("absent", "Absent"),
                                ],
                                default="confirme",
                                max_length=20,
                            ),
                        ),
                        ("nom", models.CharField(max_length=150)),
                        (
                            "courriel",
                            models.EmailField(max_length=254, verbose_name="adresse électronique"),
                        ),
                        (
                            "telephone",
                            models.CharField(blank=True, max_length=30, verbose_name="téléphone"),
                        ),
                        (
                            "profession",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("medecin-generaliste", "Médecin généraliste"),
                                    ("medecin-specialiste", "Médecin spécialiste"),
                                    ("chirurgien-dentiste", "Chirurgien-dentiste"),
                                    ("sage-femme", "Sage-femme"),
                                    ("infirmier", "Infirmier ou infirmière"),
                                    ("masseur-kinesitherapeute", "Masseur-kinésithérapeute"),
                                    ("pharmacien", "Pharmacien ou pharmacienne"),
                                    ("orthophoniste", "Orthophoniste"),
                                    ("orthoptiste", "Orthoptiste"),
                                    ("pedicure-podologue", "Pédicure-podologue"),
                                    ("autre", "Autre profession"),
                                ],
                                max_length=30,
                            ),
                        ),
                        (
                            "situation",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("etudiant", "Étudiant ou étudiante"),
                                    ("interne", "Interne"),
                                    ("docteur-junior", "Docteur junior"),
                                    ("remplacant", "Remplaçant ou remplaçante"),
                                    ("installe", "Installé ou installée"),
                                    ("porteur-de-projet", "Porteur ou porteuse de projet"),
                                    ("elu", "Élu ou agent de collectivité"),
                                    ("autre", "Autre situation"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("message", models.TextField(blank=True, max_length=1000)),
                        (
                            "cree_le",
                            models.DateTimeField(auto_now_add=True, verbose_name="créé le"),
                        ),
                        (
                            "sequence",
                            models.PositiveIntegerField(
                                default=0, help_text="Version de l'invitation ICS."
                            ),
                        ),
                        ("jeton_empreinte", models.CharField(editable=False, max_length=64)),
                        (
                            "rappel_envoye_le",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        ("annule_le", models.DateTimeField(blank=True, null=True)),
                        (
                            "anonymise_le",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        (
                            "commune",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="guichet.commune",
                            ),
                        ),
                        (
                            "lieu",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="rendezvous.lieu",
                            ),
                        ),
                        (
                            "motif",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="rendezvous.motifrendezvous",
                            ),
                        ),
                        (
                            "referent",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="rendezvous",
                                to="rendezvous.referent",
                            ),
                        ),
                        (
                            "utilisateur",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="rendezvous",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "installation_rendezvous",
                        "verbose_name": "rendez-vous",
                        "verbose_name_plural": "rendez-vous",
                        "ordering": ["debut"],
                    },
                ),
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "type",
                            models.CharField(
                                choices=[
                                    ("confirmation", "Confirmation à l'usager"),
                                    ("referent", "Nouveau rendez-vous (référent)"),
                                    ("annulation", "Annulation"),
                                    ("rappel", "Rappel de la veille"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("destinataire", models.CharField(max_length=254)),
                        ("envoye_le", models.DateTimeField(auto_now_add=True)),
                        ("succes", models.BooleanField(default=True)),
                        ("erreur", models.TextField(blank=True)),
                        (
                            "rendezvous",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to="rendezvous.rendezvous",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "installation_notification",
                        "ordering": ["-envoye_le"],
                    },
                ),
                migrations.CreateModel(
                    name="PlageOuverture",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "jours",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.PositiveSmallIntegerField(
                                    choices=[
                                        (0, "lundi"),
                                        (1, "mardi"),
                                        (2, "mercredi"),
                                        (3, "jeudi"),
                                        (4, "vendredi"),
                                        (5, "samedi"),
                                        (6, "dimanche"),
                                    ]
                                ),
                                size=None,
                            ),
                        ),
                        ("heure_debut", models.TimeField(verbose_name="de")),
                        ("heure_fin", models.TimeField(verbose_name="à")),
                        ("date_debut", models.DateField(verbose_name="à partir du")),
                        (
                            "date_fin",
                            models.DateField(blank=True, null=True, verbose_name="jusqu'au"),
                        ),
                        (
                            "toutes_les_n_semaines",
                            models.PositiveSmallIntegerField(
                                default=1, verbose_name="toutes les n semaines"
                            ),
                        ),
                        (
                            "lieu",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="plages",
                                to="rendezvous.lieu",
                            ),
                        ),
                        (
                            "motifs",
                            models.ManyToManyField(
                                related_name="plages", to="rendezvous.motifrendezvous"
                            ),
                        ),
                        (
                            "referent",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="plages",
                                to="rendezvous.referent",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "installation_plageouverture",
                        "verbose_name": "plage d'ouverture",
                        "verbose_name_plural": "plages d'ouverture",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("heure_fin__gt", models.F("heure_debut"))),
                                name="plage_heures_ordonnees",
                                violation_error_message="L'heure de fin doit suivre l'heure de début.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("toutes_les_n_semaines__gte", 1)),
                                name="plage_frequence_positive",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Absence",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("debut", models.DateTimeField(verbose_name="début")),
                        ("fin", models.DateTimeField()),
                        ("motif", models.CharField(blank=True, max_length=150)),
                        (
                            "referent",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="absences",
                                to="rendezvous.referent",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "installation_absence",
                        "ordering": ["debut"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("fin__gt", models.F("debut"))),
                                name="absence_ordonnee",
                                violation_error_message="La fin de l'absence doit suivre son début.",
                            )
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="rendezvous",
                    index=models.Index(
                        fields=["referent", "debut"], name="rendezvous_referent_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="rendezvous",
                    constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                        condition=models.Q(
                            ("statut__in", ["annule-usager", "annule-referent"]), _negated=True
                        ),
                        expressions=[
                            (
                                rendezvous.models.Int8Range(
                                    models.F("referent"), models.F("referent"), models.Value("[]")
                                ),
                                "&&",
                            ),
                            (
                                rendezvous.models.TsTzRange(
                                    "debut",
                                    "fin_bloquee",
                                    django.contrib.postgres.fields.ranges.RangeBoundary(),
                                ),
                                "&&",
                            ),
                        ],
                        name="rendezvous_sans_chevauchement",
                        violation_error_message="Ce créneau vient d'être réservé, choisissez-en un autre.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="rendezvous",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(
                            ("statut__in", ["annule-usager", "annule-referent"]), _negated=True
                        ),
                        fields=("courriel", "debut"),
                        name="rendezvous_une_fois_par_personne",
                        violation_error_message="Vous avez déjà un rendez-vous à cette heure-là.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="rendezvous",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("fin__gt", models.F("debut")), ("fin_bloquee__gte", models.F("fin"))
                        ),
                        name="rendezvous_ordonne",
                    ),
                ),
            ],
        ),
        migrations.RunPython(
            renommer_types("installation", "rendezvous"),
            renommer_types("rendezvous", "installation"),
        ),
    ]
