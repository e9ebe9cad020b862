"""Superseded, kept so the migration history stays whole: it created `pg_trgm` GIN indexes over every message's
text and author for the inbox's search. Measured the same day, they cost PostgreSQL's intake a third of its
throughput (below the 5,000 messages/s target, docs/benchmarks.md § Intake) to save a search that, with JIT off,
reads a year's messages in a fraction of a second; migration 0012 drops them where they were created."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0009_list_indexes_at_scale"),
    ]

    operations: list[migrations.operations.base.Operation] = []
