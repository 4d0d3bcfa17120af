"""What the aids app traces in the audit trail (see guichet.audit)."""

from guichet.audit import non_trace, tracer


def enregistrer():
    from aides.models import Aide, Financement, Organisation, SimulationEnregistree

    tracer(Organisation)
    tracer(Aide, m2m=["regions", "departements", "communes", "liees", "organisations"])
    tracer(Financement)
    tracer(SimulationEnregistree, masques=["parametres", "libelle"])
    non_trace("aides.zonage", "arrêtés de zonage importés en masse : un import = une entrée")
