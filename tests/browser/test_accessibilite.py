"""axe-core on every public page reachable from the home page; keyboard-only navigation."""

import datetime
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EXCLUS = ("/gestion/", "/static/", "/media/", "/comptes/logout/", "/healthz")
FICHIERS = (
    ".csv",
    ".json",
    ".pdf",
    ".ics",
    ".zip",
    ".odt",
    ".docx",
    ".xlsx",
    ".png",
    ".jpg",
    ".jpeg",
)


# Pages behind a form (not reachable by links alone), checked too.
PAGES_DE_FORMULAIRE = [
    "/aides/?profession=infirmier&commune=79191",
    "/aides/?commune=saint-denis",
    "/aides/simulateur/?profession=infirmier",
    "/aides/simulateur/?profession=infirmier&situation=installe&commune=Zzz",
    "/aides/simulateur/?profession=medecin-generaliste&situation=remplacant&commune=79191"
    "&exercice=groupe&secteur=secteur-1&premiere=oui&aide_recente=non",
    "/rendez-vous/?departement=",
    "/rendez-vous/972/premier-entretien-installation/",
    "/installation/?departement=79",
    "/installation/infirmier-liberal/?departement=79",
    "/installation/infirmier-liberal/inscription-ordre-infirmiers/?departement=79",
    "/installation/creer-maison-sante-pluriprofessionnelle/?departement=58",
    "/installation/contacts/?departement=972",
    "/installation/documents/?parcours=infirmier-liberal&type=liste",
    "/installation/documents/?q=zzz",
    "/agenda/?region=75",
    "/communes/79191/",
    "/communes/97213/",
    "/recherche/?q=saint-denis",
]


@pytest.fixture
def contenu_reel(transactional_db):
    """Territories and the real catalogue with its demo zoning. This long test is handed out
    first among the transactional ones (``longue``), so its database usually still holds the
    template's territories, which no earlier flush removed: they are loaded only if missing."""
    from aides import demo
    from guichet import demo as comptes
    from guichet import territoires
    from installation import demo as installation
    from rendezvous import demo as demo_rendezvous

    territoires.importer()  # when missing: the template's, unless a flush removed them
    comptes.charger(ecrire=lambda m: None)
    demo.charger(ecrire=lambda m: None)
    demo_rendezvous.charger(ecrire=lambda m: None)
    installation.charger(ecrire=lambda m: None)


# Every visible element of the main content must end above the footer (a box that runs over
# it, like the aid pages' contact card did, shows as an element whose bottom passes its top).
CHEVAUCHEMENTS_JS = """() => {
  const footer = document.querySelector('footer#footer');
  const main = document.querySelector('#content');
  if (!footer || !main) return ['pied de page ou contenu introuvable'];
  const haut = footer.getBoundingClientRect().top + window.scrollY;
  if (footer.getBoundingClientRect().height < 50) return ['pied de page écrasé'];
  const fautifs = [];
  for (const el of main.querySelectorAll('*')) {
    if (el.closest('.fr-collapse:not(.fr-collapse--expanded), .fr-modal, .fr-sr-only')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (r.bottom + window.scrollY > haut + 1) {
      const texte = (el.textContent || '').trim().slice(0, 40);
      fautifs.push(el.tagName + '.' + el.className + ' ' + texte);
    }
  }
  return fautifs.slice(0, 5);
}"""

# The main content's text, links removed: a slug there is a raw code shown to people.
TEXTE_SANS_LIENS_JS = """() => {
  const main = document.querySelector('#content').cloneNode(true);
  main.querySelectorAll('a, script, style').forEach(e => e.remove());
  return main.textContent;
}"""


def defauts_de_mise_en_page(page, slugs) -> list[str]:
    """Footer overlapped (at 1280 px, and at 640 px, what a 200 % zoom shows) or raw slugs."""
    import re

    defauts = []
    for largeur in (1280, 640):
        page.set_viewport_size({"width": largeur, "height": 900})
        fautifs = page.evaluate(CHEVAUCHEMENTS_JS)
        if fautifs:
            defauts.append(f"pied de page recouvert à {largeur} px : {fautifs}")
    page.set_viewport_size({"width": 1280, "height": 900})
    texte = page.evaluate(TEXTE_SANS_LIENS_JS)
    bruts = [s for s in slugs if re.search(rf"(?<![\w/.-]){re.escape(s)}(?![\w/.-])", texte)]
    if bruts or "[[" in texte:
        defauts.append(f"codes bruts dans le texte : {bruts or '[['}")
    return defauts


def pages_publiques(page, verifier, depart="/"):
    """Same-origin pages linked from the home page and from the pages it links to, each
    checked by ``verifier`` as it is reached (one load per page)."""
    page.goto(depart)
    origine = urlsplit(page.url).netloc
    vues, a_voir = set(), [depart]
    while a_voir and len(vues) < 120:
        chemin = a_voir.pop(0)
        if chemin in vues:
            continue
        vues.add(chemin)
        page.goto(chemin)
        liens = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        verifier(chemin)
        for href in liens:
            url = urlsplit(urljoin(page.url, href))
            if url.netloc != origine or url.path.startswith(EXCLUS) or url.path in vues:
                continue
            if url.path.endswith(FICHIERS):
                continue
            cible = url.path + (f"?{url.query}" if url.query else "")
            if len(chemin.strip("/").split("/")) < 3:  # two levels deep from the home page
                a_voir.append(cible)
    return sorted(vues)


@pytest.mark.longue
def test_aucune_violation_wcag_a_aa_sur_les_pages_publiques(page, pages_editoriales, contenu_reel):
    from aides.models import Aide

    slugs = list(Aide.objects.values_list("slug", flat=True))
    axe = Axe()
    # Violations only: axe's details of what passes (every node of every rule) are not read.
    options = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}
    rapports, mise_en_page = [], []

    def verifier(chemin):
        """axe and the layout checks on the page loaded for ``chemin``."""
        resultat = axe.run(page, options=options)
        if resultat.violations_count:
            rapports.append(f"{chemin}:\n{resultat.generate_report()}")
        mise_en_page.extend(f"{chemin} : {d}" for d in defauts_de_mise_en_page(page, slugs))

    chemins = pages_publiques(page, verifier)
    assert {
        "/",
        "/aides/",
        "/plan-du-site/",
        "/accessibilite/",
        "/comptes/login/",
        "/aides/cesp/",
        "/aides/ptmg/",
        "/aides/simulateur/",
        "/installation/",
        "/installation/infirmier-liberal/",
        "/installation/documents/",
        "/agenda/",
    } <= set(chemins)
    semaine = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    page.goto(f"/rendez-vous/79/premier-entretien-installation/?semaine={semaine}")
    reservation = page.locator("a[href*='reserver/?creneau=']").first.get_attribute("href")
    for chemin in [reservation, *PAGES_DE_FORMULAIRE]:
        page.goto(chemin)
        verifier(chemin)
    assert len(chemins) + len(PAGES_DE_FORMULAIRE) > 60  # every page reached was checked
    assert not rapports, "\n\n".join(rapports)
    assert not mise_en_page, "\n".join(mise_en_page)


def test_entrees_principales_au_clavier(page, pages_editoriales):
    page.goto("/")
    atteints = []
    for _ in range(60):
        page.keyboard.press("Tab")
        texte = page.evaluate("document.activeElement.textContent.trim()")
        atteints.append(texte)
        if texte == "Étudiants et internes" and page.evaluate(
            "document.activeElement.closest('.fr-tile') !== null"
        ):
            break
    else:
        pytest.fail(f"Tuile « Étudiants et internes » jamais atteinte au clavier : {atteints}")
    assert "Contenu" in atteints[0]  # the first Tab reaches the skip links
    page.keyboard.press("Enter")
    page.wait_for_url("**/etudiants-internes/")
    assert page.locator("h1").inner_text() == "Étudiants et internes"


def test_lien_d_evitement_vers_le_contenu(page, pages_editoriales):
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
