"""The dashboard's charts: the demography pages' SVG builders, each with its data table."""

from demographie.graphiques import barres, courbes

MOIS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def graphiques_tableau(actuelle, precedente) -> list:
    series = {
        str(actuelle.annee): {m: float(n) for m, n in actuelle.questions_par_mois.items()},
        str(precedente.annee): {m: float(n) for m, n in precedente.questions_par_mois.items()},
    }
    questions = courbes(
        "questions-par-mois",
        f"Questions reçues par mois, {actuelle.annee} et {precedente.annee}",
        "Nombre de questions reçues chaque mois, de janvier à décembre, année choisie et "
        "précédente.",
        series,
        "questions",
        abscisses=("Mois", MOIS),
    )
    professions = barres(
        "accompagnes-par-profession",
        f"Professionnels accompagnés en {actuelle.annee}, par profession",
        "Nombre de professionnels dont le premier contact date de l'année, par profession.",
        [(p, float(n)) for p, n, _ in actuelle.par_profession] or [("Aucun", 0.0)],
        "Accompagnés",
        None,
        "",
        nom_libelle="Profession",
    )
    return [questions, professions]
