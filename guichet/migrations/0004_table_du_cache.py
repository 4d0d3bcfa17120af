"""The database cache table (settings.CACHES, "guichet_cache"), created by migrate so that a
fresh database needs no other command: allauth's rate limits count in it from the first login.
Same columns as Django's createcachetable; IF NOT EXISTS for databases that ran it already."""

from django.db import migrations

CREER = """
CREATE TABLE IF NOT EXISTS "guichet_cache" (
    "cache_key" varchar(255) NOT NULL PRIMARY KEY,
    "value" text NOT NULL,
    "expires" timestamp with time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS "guichet_cache_expires" ON "guichet_cache" ("expires");
"""


class Migration(migrations.Migration):
    dependencies = [("guichet", "0003_imports_en_attente")]

    operations = [migrations.RunSQL(CREER, reverse_sql='DROP TABLE IF EXISTS "guichet_cache";')]
