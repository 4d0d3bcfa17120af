"""The vocabulary several apps share is owned by the core, once (guichet.vocabulaire)."""

import sys

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.db import models

from guichet.vocabulaire import ModeExercice


def _champs_mode_exercice():
    for modele in apps.get_models():
        for champ in modele._meta.concrete_fields:
            if "exercice" in champ.name:
                yield modele, champ.base_field if isinstance(champ, ArrayField) else champ


def test_chaque_mode_d_exercice_vient_du_vocabulaire_commun():
    champs = list(_champs_mode_exercice())
    # aids' conditions, demography counts, parcours
    attendus = {"aides.Aide", "demographie.Effectif", "installation.Parcours"}
    assert {m._meta.label for m, _ in champs} >= attendus
    for modele, champ in champs:
        for valeur, libelle in champ.choices:
            assert ModeExercice(valeur).label == libelle, (modele, champ.name, valeur)


def test_aucune_autre_enumeration_des_modes_d_exercice():
    valeurs = set(ModeExercice.values) - {"inconnu"}
    autres = [c for c in _sous_classes(models.Choices) if c is not ModeExercice]
    # Another list of modes shares several values; a lone word in common is another notion
    # (installation.Phase's "coordonne" is the phase where one joins coordinated practice).
    doublons = {
        f"{c.__module__}.{c.__qualname__}" for c in autres if len(valeurs & set(c.values)) > 1
    }
    assert not doublons


def _sous_classes(cls):
    for sous in cls.__subclasses__():
        yield sous
        yield from _sous_classes(sous)


def test_un_seul_modele_territorial_abstrait_dans_le_socle():
    """Every abstract model carrying a région and a département derives from the core's."""
    from guichet.territorial import Territorial

    abstraits = [
        m
        for m in _sous_classes(models.Model)
        if m._meta.abstract and {"region", "departement"} <= {f.name for f in m._meta.fields}
    ]
    assert {"espace.models", "demographie.models"} <= {m.__module__ for m in abstraits}
    assert all(issubclass(m, Territorial) for m in abstraits)
    concrets = {m._meta.label for m in apps.get_models() if issubclass(m, Territorial)}
    assert {"installation.Parcours", "espace.Question", "demographie.Effectif"} <= concrets


def test_les_donnees_importees_sont_en_lecture_seule_par_le_mixin_du_socle():
    from django.contrib import admin

    from guichet.admin_lecture_seule import LectureSeuleMixin

    lecture_seule = {
        m._meta.label
        for m, modele_admin in admin.site._registry.items()
        if isinstance(modele_admin, LectureSeuleMixin)
    }
    attendus = {"guichet.Region", "guichet.Commune", "guichet.JeuDeDonnees"}
    assert attendus | {"demographie.Source", "demographie.Effectif"} <= lecture_seule
    applications = {a.name for a in apps.get_app_configs()}
    mixins = {
        getattr(module, "LectureSeuleMixin", LectureSeuleMixin)
        for nom, module in list(sys.modules.items())
        if nom.split(".")[0] in applications
    }
    assert mixins == {LectureSeuleMixin}
