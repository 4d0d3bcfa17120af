"""Keep the search vector inside the table row (compressed) rather than out of line (TOAST).

Every full-text query reads the vector of each candidate row, and a COUNT or a ranking reads
it for every match: out of line, each read fetched and reassembled TOAST chunks (16,000 buffers
for 5,000 aids, 31 ms), which the planner does not see. Inline, the same scan reads 2,300
buffers (5 ms). Long texts (description) still go out of line first when a row is too wide.
The UPDATE rewrites existing rows (the generated column is recomputed, hence stored anew).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("aides", "0001_catalogue")]

    operations = [
        migrations.RunSQL(
            [
                "ALTER TABLE aides_aide ALTER COLUMN recherche SET STORAGE MAIN",
                "UPDATE aides_aide SET nom = nom",
            ],
            reverse_sql=["ALTER TABLE aides_aide ALTER COLUMN recherche SET STORAGE EXTENDED"],
        ),
    ]
