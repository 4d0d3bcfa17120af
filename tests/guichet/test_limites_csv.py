import csv
import io

import pytest
from django.test import RequestFactory

from guichet.csv_export import BOM, neutraliser, reponse_csv, texte_csv
from guichet.limites import adresse_client, limite_atteinte


@pytest.mark.parametrize(
    "valeur, attendu",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 6", "'+33 6"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Niort", "Niort"),
        (-3, -3),
        (None, ""),
        (True, "oui"),
    ],
)
def test_neutraliser(valeur, attendu):
    assert neutraliser(valeur) == attendu


def test_texte_csv_bom_separateur_et_formules():
    texte = texte_csv(["nom", "n"], [["=1+1", 2]])
    assert texte.startswith(BOM)
    lignes = list(csv.reader(io.StringIO(texte.removeprefix(BOM)), delimiter=";"))
    assert lignes == [["nom", "n"], ["'=1+1", "2"]]


def test_reponse_csv_en_piece_jointe():
    response = reponse_csv("x.csv", ["a"], [["@b"]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.decode("utf-8") == BOM + "a\r\n'@b\r\n"


def _requete(remote="10.0.0.9", xff=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


def test_adresse_client_sans_proxy_ignore_x_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert adresse_client(_requete(xff="1.2.3.4")) == "10.0.0.9"


def test_adresse_client_derriere_un_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the real address.
    assert adresse_client(_requete(xff="6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert adresse_client(_requete(xff="6.6.6.6, 198.51.100.7, 10.1.1.1")) == "198.51.100.7"
    assert adresse_client(_requete(xff="pas-une-ip, 10.1.1.1")) == "10.0.0.9"
    assert adresse_client(_requete(xff="")) == "10.0.0.9"


def test_limite_par_adresse_et_par_courriel():
    for _ in range(3):
        assert not limite_atteinte(_requete(), "essai", par_adresse="3/m")
    assert limite_atteinte(_requete(), "essai", par_adresse="3/m")
    # The same e-mail from the same address: its counter holds (case and spaces ignored).
    for _ in range(2):
        assert not limite_atteinte(
            _requete("10.0.1.1"), "q", par_adresse="9/m", courriel="A@x.fr", par_courriel="2/m"
        )
    assert limite_atteinte(
        _requete("10.0.1.1"), "q", par_adresse="9/m", courriel=" a@X.fr ", par_courriel="2/m"
    )
    # A typed e-mail is anyone's: what a third party spent never blocks the owner elsewhere.
    assert not limite_atteinte(
        _requete("10.0.2.1"), "q", par_adresse="9/m", courriel="a@x.fr", par_courriel="2/m"
    )


def test_plusieurs_taux_par_adresse():
    for _ in range(2):
        assert not limite_atteinte(_requete("10.0.3.1"), "t", par_adresse="5/m,2/h")
    assert limite_atteinte(_requete("10.0.3.1"), "t", par_adresse="5/m,2/h")
