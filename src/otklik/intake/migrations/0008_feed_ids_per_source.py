"""Feed items' ids are scoped by their source (`integrations.feeds.connector.feed_message_id`): the stored ones
get their source's prefix, so the next read of the feed finds them instead of storing them a second time."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat


def scope(apps, schema_editor):  # type: ignore[no-untyped-def]
    Message = apps.get_model("intake", "Message")
    for source_id in (
        Message.objects.filter(network="feed", source__isnull=False)
        .values_list("source_id", flat=True)
        .distinct()
    ):
        prefix = f"{source_id}:"
        Message.objects.filter(network="feed", source_id=source_id).exclude(
            external_id__startswith=prefix
        ).update(external_id=Concat(Value(prefix), F("external_id")))


class Migration(migrations.Migration):
    dependencies = [("intake", "0007_message_deleted")]

    operations = [migrations.RunPython(scope, migrations.RunPython.noop)]
