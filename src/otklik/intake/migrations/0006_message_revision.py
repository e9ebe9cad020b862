from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_official_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="revision",
            field=models.BigIntegerField(
                blank=True,
                help_text="Когда текст стал таким (Unix-время правки); более старая версия, доставленная позже, "
                "его не заменяет",
                null=True,
                verbose_name="версия текста",
            ),
        ),
    ]
