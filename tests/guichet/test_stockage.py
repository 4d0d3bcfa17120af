import json

import pytest

from guichet.stockage import StatiquesManifeste


@pytest.fixture
def stockage(tmp_path):
    manifeste = {"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifeste))
    return StatiquesManifeste(location=tmp_path, base_url="/static/")


def test_url_hachee_gardee_apres_la_premiere_lecture(stockage):
    assert stockage.url("css/site.css") == "/static/css/site.0123abcd.css"
    stockage.hashed_files["css/site.css"] = "css/site.ffff0000.css"  # not read again
    assert stockage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert stockage.url("css/site.css", force=True) == "/static/css/site.ffff0000.css"


def test_fichier_absent_du_manifeste_refuse_a_chaque_fois(stockage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            stockage.url("js/absent.js")
    assert "js/absent.js" not in stockage._urls
