"""The Markdown report of `make bench` (also printed on the terminal)."""


def _ok(condition: bool) -> str:
    return "oui" if condition else "**non**"


def markdown(r: dict) -> str:
    c, cibles = r["conditions"], r["cibles"]
    lignes = [
        f"# Banc d'essai du {c['date']} — échelle {c['echelle']}",
        "",
        f"Commit `{c['commit']}`, {c['coeurs']} cœurs, charge système "
        f"{', '.join(f'{x:.1f}' for x in c['charge_systeme'])} au début et "
        f"{', '.join(f'{x:.1f}' for x in c['charge_systeme_fin'])} à la fin ; gunicorn "
        f"({c['workers']} workers synchrones, `gunicorn.conf.py`), réglages de production, "
        f"{c['connexions']} connexions ({c['wrk']}), {c['tours']} tours de "
        f"{c['secondes_par_mesure']} s "
        "par page, chaque page mesurée juste après la page de référence (vue Django nue de 20 ko, "
        "mêmes middlewares) : médiane des tours. Construction des bases : "
        + ", ".join(f"{k} {v:.0f} s" for k, v in r["construction_s"].items())
        + f" ; durée totale {r['duree_totale_s'] / 60:.0f} min.",
        "",
        "| Page | req/s | % de la référence | p95 (ms) | p95 / référence | erreurs "
        "| SQL démo | SQL national | cible atteinte |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    sql = r["requetes_sql"]
    for nom, m in r["charge"].items():
        demo, nat = sql["demo"][nom]["requetes"], sql["national"][nom]["requetes"]
        atteinte = (
            m["ratio_debit"] >= cibles["ratio"]
            and m["p95_ms"] <= cibles["p95_ms"]
            and m["erreurs"] == 0
            and nat <= cibles["requetes"]
            and nat <= demo
        )
        if m["p95_ms"]:
            p95 = f"{m['p95_ms']:.0f} | {m['ratio_p95']:.1f}"
        else:  # no answer within a run: slower than the run itself
            p95 = f"> {c['secondes_par_mesure'] * 1000} | —"
            atteinte = False
        lignes.append(
            f"| {nom} | {m['debit']:.1f} | {m['ratio_debit']:.1%} | {p95} "
            f"| {m['erreurs']} | {demo} | {nat} | {_ok(atteinte)} |"
        )
    ref = next(iter(r["charge"].values()))
    lignes += [
        "",
        f"Référence : {ref['reference_debit']:.0f} req/s, p95 {ref['reference_p95_ms']:.0f} ms "
        "(médianes sur la première page ; chaque ratio utilise la mesure de référence qui la "
        "précède).",
        "",
        "| Mesure | Valeur | Cible | Atteinte |",
        "| --- | ---: | ---: | --- |",
    ]
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
    mem = r["memoire_mo"]
    for cle, libelle in (("apres_chauffe", "après la chauffe"),
                         ("apres_2000_requetes", "après 2 000 requêtes mêlées"),
                         ("apres_bulletin", "après un bulletin")):  # fmt: skip
        pire = max(mem[cle])
        lignes.append(
            f"| RSS par worker {libelle} | {' / '.join(f'{x:.0f}' for x in mem[cle])} Mo "
            f"| < {cibles['rss_mo']} Mo | {_ok(pire < cibles['rss_mo'])} |"
        )
    mix = mem["mix_2000"]
    lignes += [
        "",
        f"Série mêlée : {mix['requetes']} requêtes à {mix['debit']:.1f} req/s, "
        f"{mix['erreurs']} erreurs. Bulletins servis par HTTP : "
        + ", ".join(
            f"{b['secondes']} s ({b['octets'] // 1024} ko, HTTP {b['statut']})"
            for b in mem["bulletins_http"]
        )
        + ".",
        "",
        "Adresses mesurées : "
        + ", ".join(f"`{nom}` {chemin}" for nom, chemin in r["pages"].items())
        + ".",
        "",
    ]
    return "\n".join(lignes)
