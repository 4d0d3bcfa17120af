"""The audit trail (django-auditlog): every change to content and personal data, with its author.

Each app declares what it traces in its own ``audit.py`` (called from its ``AppConfig.ready``)
through ``tracer``: the model, its personal fields (masked in the trail) and the fields never
worth tracing. Models written in bulk (figures, zonings, territories) are not traced row by row;
their imports write one entry each through ``tracer_operation``. ``NON_TRACES`` lists them with
the reason, and a test fails if a model of the portal is in neither list.

Who: the logged-in user (``guichet.securite.AuditMiddleware``, with the real client address), or
for a management command "système" with the command's name (``acteur_commande``, set for every
command by ``manage.py``).
"""

import contextlib

from auditlog.context import set_extra_data
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType

MASQUE = "•••• (masqué)"

# label -> reason; each app adds its own from its audit.py.
NON_TRACES: dict[str, str] = {
    "guichet.region": "référentiel INSEE importé en masse (import_territoires)",
    "guichet.departement": "référentiel INSEE importé en masse (import_territoires)",
    "guichet.commune": "référentiel INSEE importé en masse (import_territoires)",
}


def masquer(valeur) -> str:
    """Personal values never reach the trail: only the fact that they changed."""
    return MASQUE


def tracer(modele, *, masques=(), exclus=(), m2m=()) -> None:
    """Trace every create, change and delete of ``modele``; ``masques`` are personal fields."""
    auditlog.register(
        modele,
        mask_fields=list(masques),
        exclude_fields=list(exclus),
        m2m_fields=set(m2m),
        mask_callable="guichet.audit.masquer",
    )


def non_trace(label: str, raison: str) -> None:
    NON_TRACES[label.lower()] = raison


def tracer_operation(modele, libelle: str, details: dict, *, action: str = "update") -> None:
    """One entry for a bulk operation (an import, a purge) on ``modele``'s table."""
    from auditlog.models import LogEntry

    actions = {
        "create": LogEntry.Action.CREATE,
        "update": LogEntry.Action.UPDATE,
        "delete": LogEntry.Action.DELETE,
    }
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(modele),
        object_pk="",
        object_repr=libelle[:200],
        action=actions[action],
        changes={cle: [None, str(valeur)] for cle, valeur in details.items()},
        changes_text="",
    )


@contextlib.contextmanager
def acteur_commande(nom: str):
    """Entries written inside are signed "système" with the command's name."""
    with set_extra_data(
        context_data={
            "actor": None,
            "actor_email": f"système ({nom})"[:254],
            "remote_addr": None,
            "cid": f"commande:{nom}"[:255],
            "additional_data": {"commande": nom},
        }
    ):
        yield
