"""File sizes in French units (Ko, Mo), never Django's "Kio"/"Mio"."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.text import taille_fichier
from installation.models import Document
from tests.installation.factories import DocumentFactory

FORME = re.compile(r"^(\d+)(?:,(\d))?\u00a0(octets?|Ko|Mo|Go|To)$")
FACTEUR = {"octet": 1, "octets": 1, "Ko": 10**3, "Mo": 10**6, "Go": 10**9, "To": 10**12}


@given(st.integers(min_value=0, max_value=10**16))
def test_une_taille_se_relit_a_5_pour_cent_pres(octets):
    texte = taille_fichier(octets)
    forme = FORME.match(texte)
    assert forme, texte
    entier, decimale, unite = forme.groups()
    relu = (int(entier) + int(decimale or 0) / 10) * FACTEUR[unite]
    assert abs(relu - octets) <= max(0.05 * octets, 1)
    assert unite in ("octet", "octets", "To") or int(entier) < 1000  # the largest fitting unit


@pytest.mark.django_db
def test_la_liste_des_documents_ecrit_ko_et_mo(client, pages_editoriales):
    document = DocumentFactory(titre="Guide de l'installation")
    Document.objects.filter(pk=document.pk).update(taille=1_500_000)
    page = client.get("/installation/documents/").content.decode()
    assert "1,5\u00a0Mo" in page
    assert "Mio" not in page and "Kio" not in page
