"""gunicorn's master warms what every worker would otherwise build on its first request."""

import runpy
from pathlib import Path

from django.conf import settings

from demographie import contours


def test_le_maitre_charge_les_contours_avant_de_lancer_les_workers():
    contours.departements.cache_clear()
    contours._communes_par_departement.cache_clear()
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    assert conf["preload_app"] is True
    conf["when_ready"](None)
    assert contours.departements.cache_info().currsize == 1
    assert contours._communes_par_departement.cache_info().currsize == 1
    assert len(contours.communes("79")) > 200  # read from the cache, not from the file
