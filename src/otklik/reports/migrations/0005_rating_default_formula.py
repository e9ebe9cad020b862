"""R-13: the rating's default formula is written by the migration, so the administrator finds its six components
in «Веса составляющих рейтинга» on a new installation (the rating wrote them only when it was first opened, and a
weight added before then became the whole formula). An installation that already has components keeps them."""

from django.db import migrations


def seed(apps, schema_editor):
    from otklik.reports.rating import DEFAULTS

    RatingComponent = apps.get_model("reports", "RatingComponent")
    if RatingComponent.objects.exists():
        return  # the administrators' formula
    for order, (metric, weight, description) in enumerate(DEFAULTS, start=1):
        RatingComponent.objects.create(metric=metric, weight=weight, description=description, order=order)


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_alter_ratingcomponent_options")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
