"""The report of `make bench` states both ratios and the issue 29 targets (no run needed)."""

from benchmarks.rapport import markdown
from benchmarks.run import CIBLES


def _mesure(session, debit, p95_ms):
    return {
        "chemin": "/x/",
        "session": session,
        "debit": debit,
        "p95_ms": p95_ms,
        "ratio_nue": debit / 1000,
        "ratio_reference": debit / 500,
        "nue_debit": 1000,
        "nue_p95_ms": 20,
        "reference_debit": 500,
        "reference_p95_ms": 40,
        "erreurs": 0,
        "requetes_servies": 100,
        "tours": [],
    }


def _rapport():
    sql = {
        "demo": {
            "publiques": {"aides:liste": {"requetes": 3}, "installation:contacts": {"requetes": 4}},
            "signees": {"espace:boite": {"requetes": 8}},
        }
    }
    sql["national"] = {
        **sql["demo"],
        "classes": {
            "reservees": {"r": {"nom": "espace:boite", "statut": 302}},
            "exclues": {
                "e": {"nom": "rendezvous:gerer", "raison": "jeton personnel"},
                "f": {"nom": "rendezvous:gerer", "raison": "jeton personnel"},
            },
        },
    }
    return {
        "conditions": {
            "date": "2026-12-07T03:00:00+00:00",
            "echelle": "rapide",
            "commit": "abc",
            "coeurs": 2,
            "charge_systeme": [1, 1, 1],
            "charge_systeme_fin": [1, 1, 1],
            "workers": 3,
            "connexions": 16,
            "wrk": "wrk 4.1.0",
            "tours": 1,
            "secondes_par_mesure": 2,
        },
        "construction_s": {"demo": 1, "national": 2},
        "requetes_sql": sql,
        "charge": {
            "aides:liste": _mesure(None, 400, 30),  # 40 % of the bare view: on target
            "installation:contacts": _mesure(None, 300, 30),  # 30 %: below
            "espace:boite": _mesure("agent", 100, 120),
        },
        "memoire_mo": {
            "apres_chauffe": [100],
            "apres_2000_requetes": [110],
            "apres_bulletin": [120],
            "bulletins_http": [],
            "mix_2000": {"requetes": 2000, "erreurs": 0, "debit": 50.0},
        },
        "commandes": {},
        "cibles": CIBLES,
        "duree_totale_s": 60,
    }


def test_le_rapport_donne_les_deux_ratios_et_les_cibles_de_l_issue():
    texte = markdown(_rapport())
    assert "| aides:liste | 400.0 | 40.0% | 80.0% | 30 | 0 | 3 | 3 | oui |" in texte
    assert "| installation:contacts | 300.0 | 30.0% | 60.0% | 30 | 0 | 4 | 4 | **non** |" in texte
    assert "| espace:boite (agent) | 100.0 | 10.0% | 20.0% | 120 | 0 | 8 | 8 | oui |" in texte
    assert "≥ 35% du débit de la vue nue, p95 ≤ 50 ms" in texte
    assert "≤ 10 requêtes SQL constantes, p95 ≤ 150 ms" in texte
    assert texte.count("`rendezvous:gerer` : jeton personnel") == 1  # two patterns, one name


def test_la_tache_des_alertes_est_lue_et_rapportee(monkeypatch):
    from benchmarks import run

    sortie = (
        "2000 alertes dues (1429 personnes, 10004 annonces publiées) : un passage en 22.12 s, "
        "90 alertes/s ; 796 courriels préparés, 796 envoyés (796 reçus) ; 12282 requêtes SQL, "
        "6.14 par alerte.\n"
    )
    monkeypatch.setattr(run, "manage", lambda env, *args, **kwargs: sortie)
    mesure = run.mesure_alertes({})
    assert (mesure["alertes"], mesure["alertes_s"], mesure["alertes_par_s"]) == (2000, 22.12, 90)
    assert mesure["alertes_requetes_par_alerte"] == 6.14
    rapport = _rapport()
    rapport["commandes"] = {"rpps_lignes": 1, "rpps_s": 1, "creneaux_ms": 1, **mesure}
    rapport["commandes"] |= {"bulletin_region_s": 1, "bulletin_france_s": 1}
    assert "| Envoi des alertes (2,000 dues, un passage) | 22.1 s (90 alertes/s, 6.14 " in (
        markdown(rapport)
    )
