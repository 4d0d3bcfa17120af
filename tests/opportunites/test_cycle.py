"""The post's lifecycle: guarded transitions on the model, every state × every transition."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from opportunites.models import TRANSITIONS, Opportunite, Statut
from tests.factories import UserFactory

MAINTENANT = timezone.now()


def _appeler(opportunite, transition, moderateur):
    arguments = {
        "soumettre": {},
        "publier": {"moderateur": moderateur},
        "refuser": {"moderateur": moderateur, "motif": "Annonce hors sujet"},
        "demander_modifications": {"moderateur": moderateur, "message": "Précisez le loyer"},
        "marquer_pourvue": {},
        "expirer": {"maintenant": MAINTENANT + datetime.timedelta(days=400)},
        "retirer": {},
        "signaler": {"motif": "fraude"},
        "renouveler": {},
    }[transition]
    getattr(opportunite, transition)(**arguments)


@pytest.mark.parametrize("transition", sorted(TRANSITIONS))
@pytest.mark.parametrize("statut", Statut.values)
def test_chaque_transition_depuis_chaque_etat(statut, transition):
    """Allowed exactly from the states listed; anything else raises and changes nothing."""
    opportunite = Opportunite(statut=statut, expire_le=MAINTENANT.date())
    moderateur = UserFactory.build(is_staff=True)
    if statut in TRANSITIONS[transition]:
        _appeler(opportunite, transition, moderateur)
        if transition == "renouveler":  # online for another period, same state
            assert opportunite.expire_le > MAINTENANT.date()
        else:
            assert opportunite.statut != statut
    else:
        avant = dict(opportunite.__dict__)
        with pytest.raises(ValidationError):
            _appeler(opportunite, transition, moderateur)
        assert opportunite.__dict__ == avant


def test_le_cycle_complet(settings):
    settings.OPPORTUNITE_DUREE_JOURS = 60
    moderateur = UserFactory.build(is_staff=True)
    o = Opportunite(statut=Statut.BROUILLON)
    o.soumettre(maintenant=MAINTENANT)
    assert o.statut == Statut.SOUMISE and o.soumise_le == MAINTENANT
    o.demander_modifications(moderateur, "  Ajoutez les dates  ")
    assert o.statut == Statut.BROUILLON and o.modifications_demandees == "Ajoutez les dates"
    o.soumettre()
    o.publier(moderateur, maintenant=MAINTENANT)
    assert o.statut == Statut.PUBLIEE and o.modifications_demandees == ""
    assert o.expire_le == timezone.localdate(MAINTENANT) + datetime.timedelta(days=60)
    o.marquer_pourvue()
    assert o.statut == Statut.POURVUE and o.close_le


@pytest.mark.parametrize("motif", ["", "   ", None])
def test_un_refus_exige_un_motif(motif):
    o = Opportunite(statut=Statut.SOUMISE)
    with pytest.raises(ValidationError):
        o.refuser(UserFactory.build(is_staff=True), motif)
    assert o.statut == Statut.SOUMISE


def test_une_annonce_n_expire_pas_avant_sa_date():
    o = Opportunite(statut=Statut.PUBLIEE, expire_le=timezone.localdate())
    with pytest.raises(ValidationError):
        o.expirer()
    o.expirer(maintenant=MAINTENANT + datetime.timedelta(days=1))
    assert o.statut == Statut.EXPIREE


def test_fin_avant_debut_refusee():
    o = Opportunite(
        nature="remplacement", debut=datetime.date(2027, 7, 10), fin=datetime.date(2027, 7, 1)
    )
    with pytest.raises(ValidationError) as erreur:
        o.clean()
    assert "fin" in erreur.value.message_dict
