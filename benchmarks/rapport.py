"""The Markdown report of `make bench` (also printed on the terminal)."""

import statistics


def _ok(condition: bool) -> str:
    return "oui" if condition else "**non**"


def _sql(r, echelle, nom, anonyme):
    page = r["requetes_sql"][echelle]["publiques" if anonyme else "signees"].get(nom)
    return page["requetes"] if page else None


def _tableau(r: dict, *, anonymes: bool) -> list[str]:
    c, cibles = r["conditions"], r["cibles"]
    lignes = [
        "| Page | req/s | % vue nue | % référence | p95 (ms) | erreurs | SQL démo | SQL national "
        "| cible atteinte |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for nom, m in r["charge"].items():
        if (m["session"] is None) != anonymes:
            continue
        demo, nat = _sql(r, "demo", nom, anonymes), _sql(r, "national", nom, anonymes)
        plafond_sql = cibles["requetes" if anonymes else "signees_requetes"]
        p95_max = cibles["p95_ms" if anonymes else "signees_p95_ms"]
        atteinte = (
            (not anonymes or m["ratio_nue"] >= cibles["ratio_nue"])
            and m["p95_ms"] <= p95_max
            and m["erreurs"] == 0
            and nat is not None
            and nat <= plafond_sql
            and (demo is None or nat <= demo)
        )
        if m["p95_ms"]:
            p95 = f"{m['p95_ms']:.0f}"
        else:  # no answer within a run: slower than the run itself
            p95 = f"> {c['secondes_par_mesure'] * 1000}"
            atteinte = False
        session = "" if anonymes else f" ({m['session']})"
        lignes.append(
            f"| {nom}{session} | {m['debit']:.1f} | {m['ratio_nue']:.1%} "
            f"| {m['ratio_reference']:.1%} | {p95} | {m['erreurs']} "
            f"| {'—' if demo is None else demo} | {'—' if nat is None else nat} | {_ok(atteinte)} |"
        )
    return lignes


def _entete(r: dict) -> list[str]:
    """Conditions, targets and the page tables."""
    c, cibles = r["conditions"], r["cibles"]
    lignes = [
        f"# Banc d'essai du {c['date']} — échelle {c['echelle']}",
        "",
        f"Commit `{c['commit']}`, {c['coeurs']} cœurs, charge système "
        f"{', '.join(f'{x:.1f}' for x in c['charge_systeme'])} au début et "
        f"{', '.join(f'{x:.1f}' for x in c['charge_systeme_fin'])} à la fin ; gunicorn "
        f"({c['workers']} workers synchrones, `gunicorn.conf.py` sans recyclage des workers : "
        "`--max-requests 0`), réglages de production, "
        f"{c['connexions']} connexions ({c['wrk']}), {c['tours']} tours de "
        f"{c['secondes_par_mesure']} s "
        "par page, chaque page mesurée juste après la vue nue (vue Django de 20 ko sans aucun "
        "middleware ni base, `benchmarks/wsgi.py`) et la page de référence (la même vue derrière "
        "les middlewares du portail) : médiane des tours. Construction des bases : "
        + ", ".join(f"{k} {v:.0f} s" for k, v in r["construction_s"].items())
        + f" ; durée totale {r['duree_totale_s'] / 60:.0f} min.",
        "",
        f"Cibles : page publique ≥ {cibles['ratio_nue']:.0%} du débit de la vue nue, p95 ≤ "
        f"{cibles['p95_ms']} ms, zéro erreur, ≤ {cibles['requetes']} requêtes SQL et pas plus à "
        f"l'échelle nationale qu'en démonstration ; page connectée ≤ {cibles['signees_requetes']} "
        f"requêtes SQL constantes, p95 ≤ {cibles['signees_p95_ms']} ms.",
        "",
        "## Pages publiques (une adresse par motif d'URL public)",
        "",
        *_tableau(r, anonymes=True),
        "",
        "## Pages connectées",
        "",
        *_tableau(r, anonymes=False),
    ]
    return lignes


def _references(r: dict) -> list[str]:
    """The bare view and the reference, then the header of the measures table."""
    toutes = list(r["charge"].values())
    nue = statistics.median(m["nue_debit"] for m in toutes)
    ref = statistics.median(m["reference_debit"] for m in toutes)
    return [
        "",
        f"Vue nue : {nue:.0f} req/s, p95 "
        f"{statistics.median(m['nue_p95_ms'] for m in toutes):.0f} ms ; référence (middlewares) : "
        f"{ref:.0f} req/s ({ref / max(nue, 1e-9):.0%} de la vue nue), p95 "
        f"{statistics.median(m['reference_p95_ms'] for m in toutes):.0f} ms (médianes sur toutes "
        "les pages ; chaque ratio utilise les mesures qui précèdent la page).",
        "",
        "| Mesure | Valeur | Cible | Atteinte |",
        "| --- | ---: | ---: | --- |",
    ]


def _commandes(r: dict) -> list[str]:
    """Rows of the measures taken by a management command."""
    lignes = []
    cibles = r["cibles"]
    k = r["commandes"]
    if k.get("erreur"):
        lignes.append(f"| Mesures par commande | en échec : {k['erreur'][:120]} | | |")
    for cle, libelle, unite in (
        ()
        if not k or k.get("erreur")
        else (
            ("bulletin_region_s", "Bulletin régional (rendu)", "s"),
            ("bulletin_france_s", "Bulletin national (rendu)", "s"),
            ("rpps_s", f"Import RPPS ({k['rpps_lignes']:,} lignes ; cible pour 2 M)", "s"),
            ("creneaux_ms", "Recherche de créneaux (1 département, 90 j)", "ms"),
        )
    ):
        lignes.append(
            f"| {libelle} | {k[cle]:.1f} {unite} | ≤ {cibles[cle]} {unite} "
            f"| {_ok(k[cle] <= cibles[cle])} |"
        )
    if k.get("alertes"):
        lignes.append(
            f"| Envoi des alertes ({k['alertes']:,} dues, un passage) | {k['alertes_s']:.1f} s "
            f"({k['alertes_par_s']} alertes/s, {k['alertes_requetes_par_alerte']:.2f} requêtes "
            "SQL par alerte) | | |"
        )
    return lignes


def _memoire(r: dict) -> list[str]:
    """Rows of the workers' memory after each phase."""
    lignes = []
    cibles = r["cibles"]
    mem = r["memoire_mo"]
    for cle, libelle in (
        ("apres_chauffe", "après la chauffe"),
        ("apres_2000_requetes", "après 2 000 requêtes mêlées"),
        ("apres_bulletin", "après un bulletin"),
    ):
        pire = max(mem[cle])
        lignes.append(
            f"| RSS par worker {libelle} | {' / '.join(f'{x:.0f}' for x in mem[cle])} Mo "
            f"| < {cibles['rss_mo']} Mo | {_ok(pire < cibles['rss_mo'])} |"
        )
    return lignes


def _series(r: dict) -> list[str]:
    """The mixed series, the measured addresses and the patterns left out."""
    mem = r["memoire_mo"]
    mix = mem["mix_2000"]
    lignes = [
        "",
        f"Série mêlée : {mix['requetes']} requêtes, {mix['erreurs']} erreurs, "
        f"{mem.get('workers_remplaces', 'inconnu')} worker(s) remplacé(s) pendant la série. "
        "Bulletins servis par HTTP : "
        + ", ".join(
            f"{b['secondes']} s ({b['octets'] // 1024} ko, HTTP {b['statut']})"
            for b in mem["bulletins_http"]
        )
        + ".",
        "",
        "Adresses mesurées : "
        + ", ".join(f"`{nom}` {m['chemin']}" for nom, m in r["charge"].items())
        + ".",
        "",
    ]
    classes = r["requetes_sql"]["national"]["classes"]
    lignes.append(
        "Motifs non publics (GET anonyme : connexion, 403 ou 405) : "
        + ", ".join(f"`{v['nom']}` ({v['statut']})" for v in classes["reservees"].values())
        + "."
    )
    lignes += ["", "Motifs publics laissés hors de la série :", ""]
    exclues = {v["nom"]: v["raison"] for v in classes["exclues"].values()}  # one line a name
    lignes += [f"- `{nom}` : {raison}." for nom, raison in exclues.items()]
    lignes.append("")
    return lignes


def markdown(r: dict) -> str:
    lignes = [*_entete(r), *_references(r), *_commandes(r), *_memoire(r), *_series(r)]
    return "\n".join(lignes)
