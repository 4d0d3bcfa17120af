"""Every form and filter set a view binds to ``request.GET`` (issue 28): whatever the values of
its fields (dates at year 1 and 9999, integers at 2³¹ and 2⁶³, negative, empty, NUL, very
long, non-UTF-8 as Django decodes it), validation answers yes or no with a message, and the
list it filters is read without an exception.

The list of forms is checked against the views' source: a new ``Form(request.GET…)`` fails
the test until it is listed here.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings as reglages
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aides.filters import AideFilterSet
from aides.forms import SimulateurForm
from aides.models import Aide
from demographie.forms import ChoixForm, TerritoireForm
from espace.forms import BoiteFiltre, CaseloadFiltre
from espace.models import Accompagnement, Question
from guichet.models import Departement
from installation.filters import DocumentFilterSet
from installation.forms import ContactsForm, DepartementForm
from installation.models import Document
from rendezvous.forms import ChoixTerritoireForm
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory
from tests.proprietes import valeurs

FORMULAIRES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# As Django hands a query string to a form: invalid UTF-8 replaced by U+FFFD.
valeurs_recues = valeurs.map(
    lambda v: v.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
)


def _lire(formulaire, user):
    """Validate, then read the filtered list, as the view does."""
    formulaire.is_valid()
    if hasattr(formulaire, "qs"):
        return list(formulaire.qs[:5])
    if isinstance(formulaire, BoiteFiltre):
        return list(formulaire.filtrer(Question.objects.all(), user)[:5])
    if isinstance(formulaire, CaseloadFiltre):
        return list(formulaire.filtrer(Accompagnement.objects.all())[:5])
    if isinstance(formulaire, SimulateurForm):
        return formulaire.etape_courante()
    return formulaire.cleaned_data if formulaire.is_bound else None


CONSTRUCTEURS = {
    "AideFilterSet": lambda data, user: AideFilterSet(data, queryset=Aide.objects.all()),
    "SimulateurForm": lambda data, user: SimulateurForm(data),
    "DepartementForm": lambda data, user: DepartementForm(data),
    "ContactsForm": lambda data, user: ContactsForm(data),
    "DocumentFilterSet": lambda data, user: DocumentFilterSet(
        data, queryset=Document.objects.publies()
    ),
    "TerritoireForm": lambda data, user: TerritoireForm(data),
    "ChoixForm": lambda data, user: ChoixForm(data),
    "BoiteFiltre": lambda data, user: BoiteFiltre(data),
    "CaseloadFiltre": lambda data, user: CaseloadFiltre(data, user=user),
    "ChoixTerritoireForm": lambda data, user: ChoixTerritoireForm(
        data, departements=Departement.objects.all()
    ),
}


def _champs(nom) -> list[str]:
    classe = globals()[nom]
    return sorted(getattr(classe, "base_filters", None) or classe.base_fields)


def test_chaque_formulaire_lie_a_request_get_est_eprouve():
    lies = set()
    for app in ["guichet", "aides", "installation", "rendezvous", "demographie", "espace"]:
        for fichier in (Path(reglages.BASE_DIR) / app).rglob("views.py"):
            lies |= set(re.findall(r"\b([A-Z]\w+)\(\s*request\.GET", fichier.read_text()))
    # installation's _departement(request, formulaire) binds the form it is given.
    assert lies <= set(CONSTRUCTEURS), lies - set(CONSTRUCTEURS)


@pytest.fixture
def monde(db):
    region = RegionFactory(nouvelle_aquitaine=True)
    CommuneFactory(
        code="79191",
        nom="Niort",
        departement=DepartementFactory(code="79", nom="Deux-Sèvres", region=region),
    )
    return UserFactory(superuser=True)


@pytest.mark.parametrize("nom", sorted(CONSTRUCTEURS))
@FORMULAIRES
@given(donnees=st.data())
def test_tout_formulaire_accepte_ou_refuse_sans_exception(monde, nom, donnees):
    champs = _champs(nom)
    data = donnees.draw(st.fixed_dictionaries({c: valeurs_recues for c in champs}))
    _lire(CONSTRUCTEURS[nom](data, monde), monde)
