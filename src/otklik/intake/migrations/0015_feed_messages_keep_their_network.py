"""A forum's, review site's, messenger's or «другое» source read by the feed connector stored its items as «Блог /
сайт (RSS)» (network "feed") until the connector kept the source's network: move them to it, so the next read of the
feed finds them instead of storing every item again."""

from django.db import migrations

OPEN = ("forum", "messenger", "reviews", "other")


def move(apps, schema_editor):  # type: ignore[no-untyped-def]
    Message = apps.get_model("intake", "Message")
    Source = apps.get_model("intake", "Source")
    for source in Source.objects.filter(network__in=OPEN).only("pk", "network"):
        rows = Message.objects.filter(network="feed", source_id=source.pk)
        taken = Message.objects.filter(
            network=source.network, external_id__in=rows.values("external_id")
        ).values("external_id")
        rows.exclude(external_id__in=taken).update(network=source.network)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0014_post_stored_at"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
