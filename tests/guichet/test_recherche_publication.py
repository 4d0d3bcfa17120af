"""The site search never lists a draft or archived item, whatever the model: every model with
a publication status is covered (a new one fails the consistency test until it is added)."""

import datetime

import pytest
from django.apps import apps

from aides.models import Aide
from guichet.models import PageEditoriale
from guichet.publication import Publiable
from guichet.recherche import rechercher
from installation.models import Document, Parcours
from tests.aides.factories import AideFactory
from tests.installation.factories import DocumentFactory, EtapeFactory, ParcoursFactory

pytestmark = pytest.mark.django_db

MOT = "zorglub"


def _etape(statut, nom):
    parcours = ParcoursFactory(titre=f"Parcours {nom}", statut_publication=statut)
    return EtapeFactory(parcours=parcours, titre=f"Étape {MOT} {nom}")


CREATEURS = {
    PageEditoriale: lambda statut, nom: PageEditoriale.objects.update_or_create(
        cle="cookies" if nom == "visible" else "mentions-legales",
        defaults={"titre": f"Page {MOT} {nom}", "statut_publication": statut},
    )[0],
    Document: lambda statut, nom: DocumentFactory(
        titre=f"Document {MOT} {nom}", statut_publication=statut
    ),
    Parcours: _etape,
    Aide: lambda statut, nom: AideFactory(nom=f"Aide {MOT} {nom}", statut_publication=statut),
}


def test_chaque_modele_publiable_est_couvert():
    publiables = {m for m in apps.get_models() if issubclass(m, Publiable)}
    assert publiables == set(CREATEURS)


@pytest.mark.parametrize("modele", list(CREATEURS), ids=lambda m: m.__name__)
@pytest.mark.parametrize("statut", ["brouillon", "archivee"])
def test_un_contenu_non_publie_n_apparait_pas(modele, statut):
    CREATEURS[modele]("publiee", "visible")
    CREATEURS[modele](statut, "cache")
    titres = " ".join(r.titre for r in rechercher(MOT))
    assert "visible" in titres
    assert "cache" not in titres


def test_aides_brouillon_absente_aide_close_signalee():
    AideFactory(nom=f"Aide {MOT} ouverte", sigle="")
    AideFactory(nom=f"Aide {MOT} brouillon", sigle="", statut_publication="brouillon")
    AideFactory(nom=f"Aide {MOT} close", sigle="", valide_au=datetime.date(2020, 12, 31))
    titres = [r.titre for r in rechercher(MOT) if r.rubrique == "Aides"]
    assert titres == [
        f"Aide {MOT} ouverte",
        f"Aide {MOT} close (dispositif clos depuis le 31 décembre 2020)",
    ]
