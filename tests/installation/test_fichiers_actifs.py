"""Active uploads: a PDF that acts on its own, a CSV that a spreadsheet would run."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from installation.fichiers import valider_fichier
from installation.models import Document
from tests.factories import RegionFactory, UserFactory


def _action(type_, **entrees):
    action = DictionaryObject({NameObject("/S"): NameObject(type_)})
    for cle, valeur in entrees.items():
        action[NameObject(f"/{cle}")] = TextStringObject(valeur)
    return action


def _pdf(modifier=None) -> bytes:
    ecrivain = PdfWriter()
    ecrivain.add_blank_page(width=595, height=842)
    if modifier:
        modifier(ecrivain)
    tampon = io.BytesIO()
    ecrivain.write(tampon)
    return tampon.getvalue()


def _racine(cle, valeur):
    return lambda e: e._root_object.__setitem__(NameObject(cle), valeur)


def _page(cle, valeur):
    return lambda e: e.pages[0].__setitem__(NameObject(cle), valeur)


PDF_ACTIFS = {
    "JavaScript à l'ouverture": _racine("/OpenAction", _action("/JavaScript", JS="app.alert(1)")),
    "programme lancé à l'ouverture": _racine("/OpenAction", _action("/Launch", F="calc.exe")),
    "JavaScript du document": _racine("/Names", DictionaryObject({
        NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): ArrayObject([
            TextStringObject("x"), _action("/JavaScript", JS="app.alert(1)")])})})),
    "fichier joint": lambda e: e.add_attachment("facture.exe", b"MZ\x90\x00"),
    "action de page": _page("/AA", DictionaryObject(
        {NameObject("/O"): _action("/JavaScript", JS="app.alert(1)")})),
    "envoi de formulaire": _racine("/OpenAction", _action("/SubmitForm", F="https://x.invalid")),
    "lien vers un autre fichier": _page("/Annots", ArrayObject([DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/A"): _action("/GoToR", F="\\\\serveur\\partage\\x.pdf")})])),
}  # fmt: skip


@pytest.mark.parametrize("cas", PDF_ACTIFS)
def test_pdf_actifs_refuses(cas):
    with pytest.raises(ValidationError) as erreur:
        valider_fichier(SimpleUploadedFile("guide.pdf", _pdf(PDF_ACTIFS[cas])))
    assert erreur.value.code == "pdf_actif"
    assert "JavaScript" in erreur.value.messages[0]


def test_pdf_sains_acceptes():
    """A plain PDF, a view set on opening (office suites write one), a WeasyPrint page."""
    from guichet.pdf import html_vers_pdf

    def vue(ecrivain):
        page = ecrivain.pages[0].indirect_reference
        ecrivain._root_object[NameObject("/OpenAction")] = ArrayObject([page, NameObject("/Fit")])

    def lien(ecrivain):
        ecrivain.add_uri(0, "https://www.ars.sante.fr/", [0, 0, 100, 100])

    for contenu in (_pdf(), _pdf(vue), _pdf(lien), html_vers_pdf("<h1>Liste</h1><p>Texte</p>")):
        valider_fichier(SimpleUploadedFile("guide.pdf", contenu))


CSV_FORMULES = [
    'nom;lien\nA;=HYPERLINK("https://x.invalid";"clic")\n',
    "nom;total\nA;+1+1\n",
    "nom;commande\nA;-2+3+cmd|' /C calc'!A0\n",
    "nom;x\nA;@SUM(1+1)*cmd|' /C calc'!A0\n",
    'nom;x\nA;"\tfoo"\n',
    'nom;x\nA;"\r=1+1"\n',
    "nom,x\nA,  =1+1\n",
]


@pytest.mark.parametrize("contenu", CSV_FORMULES)
def test_csv_a_formules_refuses(contenu):
    with pytest.raises(ValidationError) as erreur:
        valider_fichier(SimpleUploadedFile("tableau.csv", contenu.encode()))
    assert erreur.value.code == "formule"
    message = erreur.value.messages[0]
    assert message.startswith("Ligne 2, colonne 2") and "refusé" in message


def test_csv_sains_acceptes():
    for contenu in ["nom;solde\nA;-3\nB;+4,5\nC;'=texte\nD;a=b\n", "a,b\n1,-2.5\n"]:
        valider_fichier(SimpleUploadedFile("tableau.csv", contenu.encode()))


@pytest.mark.django_db
@pytest.mark.ignore_template_errors
def test_l_administration_n_offre_pas_un_fichier_actif(client):
    agent = UserFactory(agent_ars=True, regions=[RegionFactory(nouvelle_aquitaine=True)])
    client.force_login(agent)
    for nom, contenu, attendu in [
        ("guide.pdf", _pdf(PDF_ACTIFS["JavaScript à l'ouverture"]), "éléments actifs"),
        ("tableau.csv", CSV_FORMULES[0].encode(), "comme une formule"),
    ]:
        reponse = client.post(
            reverse("admin:installation_document_add"),
            {
                "titre": "Guide",
                "type": "guide",
                "date": "2026-11-23",
                "statut_publication": "publiee",
                "region": "75",
                "fichier": SimpleUploadedFile(nom, contenu),
            },
        )
        assert reponse.status_code == 200
        assert attendu in reponse.content.decode()
    assert not Document.objects.exists()
