"""The agenda version of each referent: bumped by every write that can change their free slots.

The public slot list is kept per process under a key made of the département's active
referents and their versions (rendezvous.creneaux.creneaux_affiches), so a booking, a
cancellation, a move, an absence, opening hours, their motifs or their place, or a referent
joining, leaving or being deactivated gives a new key at once, in every process. The version is
bumped in the writing transaction: a reader sees the new number together with the new data.

Writes that send no signal (``bulk_create``, ``QuerySet.update`` of times or statuses, raw
SQL) must call ``agendas_modifies`` themselves.
"""

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save


def agendas_modifies(referent_ids) -> None:
    """Give these referents a new agenda version (inside the caller's transaction)."""
    from rendezvous.models import Referent

    ids = {i for i in referent_ids if i is not None}
    if ids:
        Referent.objects.filter(pk__in=ids).update(version_agenda=F("version_agenda") + 1)


def _ancien_referent(sender, instance, raw=False, **kwargs):
    """Before saving, remember the referent the row had: moving it frees the old agenda too."""
    instance._referent_avant = (
        sender.objects.filter(pk=instance.pk).values_list("referent_id", flat=True).first()
        if instance.pk and not raw
        else None
    )


def _agenda_de_la_ligne(sender, instance, **kwargs):
    agendas_modifies({instance.referent_id, getattr(instance, "_referent_avant", None)})


def _agenda_du_referent(sender, instance, created=False, **kwargs):
    if not created:
        agendas_modifies({instance.pk})


def _motifs_de_la_plage(sender, instance, action, pk_set=None, **kwargs):
    from rendezvous.models import PlageOuverture

    if isinstance(instance, PlageOuverture):
        if action in ("post_add", "post_remove", "post_clear"):
            agendas_modifies({instance.referent_id})
    elif action == "pre_clear":  # from the motif's side, while its plages are still linked
        agendas_modifies(instance.plages.values_list("referent_id", flat=True))
    elif action in ("post_add", "post_remove"):
        agendas_modifies(
            PlageOuverture.objects.filter(pk__in=pk_set or ()).values_list("referent_id", flat=True)
        )


def _departements_du_referent(sender, instance, action, pk_set=None, **kwargs):
    from rendezvous.models import Referent

    if isinstance(instance, Referent):
        if action in ("post_add", "post_remove", "post_clear"):
            agendas_modifies({instance.pk})
    elif action == "pre_clear":  # from the département's side
        agendas_modifies(instance.referents.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        agendas_modifies(pk_set or ())


def _lieu(sender, instance, created=False, **kwargs):
    if not created:  # its name and type are printed with each slot
        agendas_modifies(instance.plages.values_list("referent_id", flat=True))


def connecter() -> None:
    from rendezvous.models import Absence, Lieu, PlageOuverture, Referent, RendezVous

    for modele in (RendezVous, Absence, PlageOuverture):
        uid = f"agenda-{modele.__name__}"
        pre_save.connect(_ancien_referent, sender=modele, dispatch_uid=uid)
        post_save.connect(_agenda_de_la_ligne, sender=modele, dispatch_uid=uid)
        post_delete.connect(_agenda_de_la_ligne, sender=modele, dispatch_uid=uid)
    post_save.connect(_agenda_du_referent, sender=Referent, dispatch_uid="agenda-Referent")
    post_save.connect(_lieu, sender=Lieu, dispatch_uid="agenda-Lieu")
    m2m_changed.connect(
        _motifs_de_la_plage, sender=PlageOuverture.motifs.through, dispatch_uid="agenda-motifs"
    )
    m2m_changed.connect(
        _departements_du_referent, sender=Referent.departements.through,
        dispatch_uid="agenda-departements",
    )  # fmt: skip
