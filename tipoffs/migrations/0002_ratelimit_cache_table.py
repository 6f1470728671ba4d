"""The table of the database cache the public pages' rate limits count in
(settings ``CACHES["ratelimit"]``), created with the migrations so that a fresh database — the
test database included — has it without a separate ``createcachetable`` step."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    config = settings.CACHES.get("ratelimit", {})
    if config.get("BACKEND", "").endswith("DatabaseCache"):
        if config["LOCATION"] in schema_editor.connection.introspection.table_names():
            return
        call_command("createcachetable", config["LOCATION"],
                     database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    config = settings.CACHES.get("ratelimit", {})
    if config.get("BACKEND", "").endswith("DatabaseCache"):
        schema_editor.execute("DROP TABLE IF EXISTS %s"
                              % schema_editor.quote_name(config["LOCATION"]))


class Migration(migrations.Migration):
    dependencies = [("tipoffs", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
