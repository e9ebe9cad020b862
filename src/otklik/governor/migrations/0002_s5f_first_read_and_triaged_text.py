"""Governor's posts: when Otklik first read a post (deadlines and checks never start before it), history and
out-of-calendar posts, checks not required before the first read; the text each comment was triaged by (an
edited comment not yet in a case is triaged again). Comments triaged before this migration keep their present
text as the triaged one."""

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def triaged_as_now(apps: Any, schema_editor: Any) -> None:
    Comment = apps.get_model("governor", "Comment")
    Message = apps.get_model("intake", "Message")
    Comment.objects.update(
        triaged_text=Subquery(Message.objects.filter(pk=OuterRef("message_id")).values("text")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ('governor', '0001_initial'),
        ('intake', '0010_search_trigram_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='triaged_text',
            field=models.TextField(blank=True, help_text='Текст комментария, по которому он разобран: правка текста до того, как комментарий взят в работу, разбирается заново', verbose_name='разобранный текст'),
        ),
        migrations.AddField(
            model_name='watch',
            name='first_read_at',
            field=models.DateTimeField(blank=True, help_text='Сроки и проверки не начинаются раньше; пусто у наблюдений, открытых до этого поля', null=True, verbose_name='Отклик впервые прочитал пост'),
        ),
        migrations.AddField(
            model_name='watch',
            name='mode',
            field=models.CharField(choices=[('watched', 'наблюдается'), ('history', 'опубликован до начала наблюдения'), ('calendar', 'даты вне производственного календаря')], default='watched', max_length=10, verbose_name='наблюдение'),
        ),
        migrations.AddField(
            model_name='watch',
            name='note',
            field=models.CharField(blank=True, max_length=500, verbose_name='пояснение'),
        ),
        migrations.AlterField(
            model_name='check',
            name='state',
            field=models.CharField(choices=[('due', 'предстоит'), ('done', 'выполнена'), ('missed', 'пропущена'), ('unseen', 'не требовалась')], default='due', max_length=10, verbose_name='состояние'),
        ),
        migrations.AlterField(
            model_name='watch',
            name='first_window_end',
            field=models.DateTimeField(blank=True, null=True, verbose_name='конец первых двух рабочих часов (R-7.2)'),
        ),
        migrations.RunPython(triaged_as_now, migrations.RunPython.noop),
    ]
