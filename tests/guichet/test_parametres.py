"""Properties of every parser of a path or query value (issue 28): any text in, a bounded value
or None out, never an exception; every value the portal writes in a URL is read back."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from demographie.importation import ANNEE_MAX, ANNEE_MIN
from demographie.urls import AnneeConverter, CodeConverter, NiveauConverter
from guichet.parametres import (
    DATE_MAX,
    DATE_MIN,
    ENTIER_MAX,
    lire_date,
    lire_date_heure_utc,
    lire_entier,
)
from rendezvous.creneaux import lire_cle, semaine_demandee
from rendezvous.urls import DateConverter
from tests.proprietes import cle_utc, dates, entiers, moments, valeurs

RAPIDE = settings(max_examples=300)
SEMAINE = datetime.timedelta(days=7)


def _existe_autour(jour: datetime.date) -> None:
    """A page shows the previous and next week (and day) of a date: they must exist."""
    jour - SEMAINE - SEMAINE, jour + SEMAINE + SEMAINE  # noqa: B018 (OverflowError otherwise)


@RAPIDE
@given(valeurs, entiers, entiers)
def test_lire_entier_borne(valeur, a, b):
    minimum, maximum = sorted((max(a, 0), max(b, 0)))
    nombre = lire_entier(valeur, minimum=minimum, maximum=maximum)
    assert nombre is None or (type(nombre) is int and minimum <= nombre <= maximum)
    assert lire_entier(valeur) is None or 0 <= lire_entier(valeur) <= ENTIER_MAX


@RAPIDE
@given(entiers)
def test_lire_entier_relit_tout_bigint(nombre):
    attendu = nombre if 0 <= nombre <= ENTIER_MAX else None
    assert lire_entier(str(nombre)) == attendu


@RAPIDE
@given(valeurs)
def test_lire_date_bornee(valeur):
    jour = lire_date(valeur)
    assert jour is None or DATE_MIN <= jour <= DATE_MAX
    if jour is not None:
        _existe_autour(jour)
        assert jour.isoformat() == valeur  # only YYYY-MM-DD: no "20260101", no week date


@RAPIDE
@given(dates)
def test_lire_date_relit_les_dates_du_portail(jour):
    assert lire_date(jour.isoformat()) == (jour if DATE_MIN <= jour <= DATE_MAX else None)


@RAPIDE
@given(valeurs)
def test_lire_date_heure_bornee(valeur):
    moment = lire_date_heure_utc(valeur)
    assert moment is None or (
        DATE_MIN <= moment.date() <= DATE_MAX and moment.tzinfo is datetime.UTC
    )


@RAPIDE
@given(valeurs)
def test_cle_de_creneau_quelconque(valeur):
    lu = lire_cle(valeur)
    if lu is not None:
        referent_id, debut = lu
        assert 1 <= referent_id <= ENTIER_MAX
        assert DATE_MIN <= debut.date() <= DATE_MAX and debut.tzinfo is datetime.UTC
        _existe_autour(debut.date())


@RAPIDE
@given(entiers, moments)
def test_cle_de_creneau_relue(referent_id, moment):
    """Every key the slot engine writes (``Creneau.cle``) is read back; no other."""
    lu = lire_cle(f"{referent_id}-{cle_utc(moment)}")
    dans_les_bornes = 1 <= referent_id <= ENTIER_MAX and DATE_MIN <= moment.date() <= DATE_MAX
    assert lu == ((referent_id, moment.replace(tzinfo=datetime.UTC)) if dans_les_bornes else None)


@RAPIDE
@given(valeurs, st.dates(min_value=DATE_MIN, max_value=DATE_MAX))
def test_semaine_demandee(valeur, aujourd_hui):
    lundi, dimanche = semaine_demandee(valeur, aujourd_hui)
    assert lundi.weekday() == 0 and dimanche == lundi + datetime.timedelta(days=6)
    assert lundi <= max(aujourd_hui, lire_date(valeur) or aujourd_hui) <= dimanche
    assert aujourd_hui - datetime.timedelta(days=6) <= lundi  # never a past week
    _existe_autour(lundi)


@RAPIDE
@given(valeurs)
def test_convertisseur_de_date(valeur):
    try:
        jour = DateConverter().to_python(valeur)
    except ValueError:
        return  # the resolver's 404
    assert DATE_MIN <= jour <= DATE_MAX
    _existe_autour(jour)
    assert DateConverter().to_url(jour) == valeur


@pytest.mark.parametrize("convertisseur", [CodeConverter, NiveauConverter])
@RAPIDE
@given(valeurs)
def test_convertisseurs_de_demographie(convertisseur, valeur):
    assert convertisseur().to_python(valeur) == valeur == convertisseur().to_url(valeur)


@RAPIDE
@given(st.one_of(valeurs, entiers.map(str)))
def test_convertisseur_d_annee(valeur):
    try:
        annee = AnneeConverter().to_python(valeur)
    except ValueError:
        return
    assert ANNEE_MIN <= annee <= ANNEE_MAX and AnneeConverter().to_url(annee) == valeur


@RAPIDE
@given(st.integers(ANNEE_MIN, ANNEE_MAX))
def test_convertisseur_d_annee_relit_toute_annee(annee):
    assert AnneeConverter().to_python(AnneeConverter().to_url(annee)) == annee
