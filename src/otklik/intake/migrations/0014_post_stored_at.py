"""`Post.stored_at`: when Otklik first stored the post (the Governor's post's first read, R-7.2 / R-7.4).

The posts stored before it get the earliest receipt of anything under them, else the time of this migration
(never their publication time: an old pinned post was not read when it was published).
"""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Exists, Min, OuterRef, Subquery


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Post = apps.get_model("intake", "Post")
    Message = apps.get_model("intake", "Message")
    earliest = (
        Message.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(at=Min("received_at"))
        .values("at")
    )
    # AddField gave every row the migration's time; a comment received earlier moves it back.
    earlier = Message.objects.filter(post=OuterRef("pk"), received_at__lt=OuterRef("stored_at"))
    Post.objects.filter(Exists(earlier)).update(stored_at=Subquery(earliest))


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0013_url_lower_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="stored_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                editable=False,
                null=True,
                verbose_name="сохранён в Отклике",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
