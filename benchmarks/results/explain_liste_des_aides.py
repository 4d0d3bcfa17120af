"""EXPLAIN ANALYZE of the aid list (filtered, full text) and of its paginator's COUNT.

Run on the benchmark database: DATABASE_URL=.../guichet_bench_national BENCH_MODE=1 \
    python manage.py shell < benchmarks/results/explain_liste_des_aides.py
"""

from django.db import connection
from django.http import QueryDict

from aides.filters import AideFilterSet
from aides.models import Aide

for nom, parametres in [
    ("filtres", "profession=medecin-generaliste&departement=79"),
    ("texte", "q=installation+m%C3%A9decin"),
]:
    filtre = AideFilterSet(QueryDict(parametres), queryset=Aide.objects.publiees().pour_liste())
    assert filtre.is_valid(), filtre.errors
    for libelle, gabarit in [("page", "{}"), ("count", "SELECT COUNT(*) FROM ({}) s")]:
        qs = filtre.qs[:12] if libelle == "page" else filtre.qs
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + gabarit.format(sql), params)
            print(f"=== {nom} ({libelle})")
            print("\n".join(ligne for (ligne,) in cursor.fetchall()))
