import gzip

import pytest
from django.core.management import CommandError, call_command

from guichet import territoires
from guichet.models import Commune, Departement, JeuDeDonnees, Region


@pytest.mark.django_db
def test_import_charge_les_territoires_des_ars_puis_ne_refait_rien(capsys):
    call_command("import_territoires", "--force")
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert Commune.objects.count() == 34875
    assert "34875 communes" in capsys.readouterr().out

    call_command("import_territoires")
    assert "déjà à jour" in capsys.readouterr().out
    assert Commune.objects.count() == 34875


@pytest.mark.django_db
def test_fuseaux_horaires_et_hierarchie(territoires_complets):
    assert Region.objects.get(code="02").fuseau_horaire == "America/Martinique"
    assert Region.objects.get(code="04").fuseau_horaire == "Indian/Reunion"
    assert Region.objects.get(code="06").fuseau_horaire == "Indian/Mayotte"
    assert Region.objects.get(code="03").fuseau_horaire == "America/Cayenne"
    assert Region.objects.get(code="75").fuseau_horaire == "Europe/Paris"
    niort = Commune.objects.select_related("departement__region").get(code="79191")
    assert niort.nom == "Niort"
    assert niort.departement.region.nom == "Nouvelle-Aquitaine"
    assert "79000" in niort.codes_postaux
    assert niort.population > 50000
    # Overseas collectivities without an ARS are left out.
    assert not Commune.objects.filter(code__startswith="975").exists()


@pytest.mark.django_db
def test_import_tout_ou_rien(territoires_complets, tmp_path, monkeypatch):
    """A bad line (unknown département) leaves the database untouched, earlier lines included."""
    source = gzip.decompress(territoires.FICHIER_COMMUNES.read_bytes()).decode()
    renomme = source.replace(";Niort;79;", ";Niort-modifiée;79;")
    corrompu = renomme + "99999;Commune fantôme;XX;99999;12\n"
    fichier = tmp_path / "communes.csv.gz"
    fichier.write_bytes(gzip.compress(corrompu.encode()))
    monkeypatch.setattr(territoires, "FICHIER_COMMUNES", fichier)
    empreinte_avant = JeuDeDonnees.objects.get(nom="territoires").empreinte

    with pytest.raises(CommandError, match="ligne 34877 : département inconnu « XX »"):
        call_command("import_territoires", "--force")
    assert Commune.objects.get(code="79191").nom == "Niort"
    assert not Commune.objects.filter(code="99999").exists()
    assert JeuDeDonnees.objects.get(nom="territoires").empreinte == empreinte_avant


def test_derivation_reproductible(tmp_path):
    """The derivation script gives the committed files byte for byte (when the source is here)."""
    from pathlib import Path

    source = Path(__file__).resolve().parents[3] / "shared" / "data" / "territoires"
    if not source.exists():
        pytest.skip("../shared/data/territoires n'est pas disponible")
    nombres = territoires.deriver(source, tmp_path)
    assert nombres == {"regions": 18, "departements": 101, "communes": 34875}
    for nom in ("regions.csv", "departements.csv", "communes.csv.gz"):
        assert (tmp_path / nom).read_bytes() == (territoires.DOSSIER / nom).read_bytes()
