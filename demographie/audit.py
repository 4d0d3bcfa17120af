"""What the demography app traces in the audit trail (see guichet.audit)."""

from demographie.models import Bulletin, Source
from guichet.audit import non_trace, tracer

EN_MASSE = "chiffres importés en masse : un import = une entrée (sur la source)"

tracer(Source)
tracer(Bulletin)
non_trace("demographie.effectif", EN_MASSE)
non_trace("demographie.population", EN_MASSE)
non_trace("demographie.indicateurdispositif", EN_MASSE)
DERIVE = "recalculé des effectifs à chaque import (aucune saisie) : l'import est tracé"
non_trace("demographie.synthese", DERIVE)
non_trace("demographie.etatsynthese", DERIVE)
