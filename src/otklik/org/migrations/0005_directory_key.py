"""The starting directory's rows keep the key of their line in the data (`directory_key`), so that loading it again
(`otklik demo`, on every `make run`) finds a row the administrator has renamed instead of loading it a second time.
The rows a database loaded before are given their keys here, found by the names they were loaded under."""

from django.db import migrations, models

# The starting directory as `org/data` held it when the keys came (the lines a database loaded before them),
# frozen here: the data may change later, what was loaded then does not.
# (key, name, admin_center, settlements of the line)
MUNICIPALITIES = [
    ("1", "Бокситогорский муниципальный район", "Бокситогорск", ["Бокситогорск", "Пикалёво", "Ефимовский"]),
    ("2", "Волосовский муниципальный район", "Волосово", ["Волосово", "Бегуницы", "Кикерино", "Сельцо"]),
    (
        "3",
        "Волховский муниципальный район",
        "Волхов",
        ["Волхов", "Новая Ладога", "Сясьстрой", "Старая Ладога", "Свирица"],
    ),
    (
        "4",
        "Всеволожский муниципальный район",
        "Всеволожск",
        [
            "Всеволожск",
            "Кудрово",
            "Мурино",
            "Сертолово",
            "Токсово",
            "Янино-1",
            "Бугры",
            "Новое Девяткино",
            "Колтуши",
            "Кузьмоловский",
            "Рахья",
            "Дубровка",
            "Агалатово",
            "Романовка",
        ],
    ),
    (
        "5",
        "Выборгский муниципальный район",
        "Выборг",
        [
            "Выборг",
            "Светогорск",
            "Приморск",
            "Каменногорск",
            "Высоцк",
            "Рощино",
            "Советский",
            "Первомайское",
            "Лесогорский",
        ],
    ),
    (
        "6",
        "Гатчинский муниципальный район",
        "Гатчина",
        [
            "Гатчина",
            "Коммунар",
            "Сиверский",
            "Вырица",
            "Тайцы",
            "Дружная Горка",
            "Сусанино",
            "Войсковицы",
            "Пудость",
        ],
    ),
    ("7", "Кингисеппский муниципальный район", "Кингисепп", ["Кингисепп", "Ивангород", "Усть-Луга"]),
    ("8", "Киришский муниципальный район", "Кириши", ["Кириши", "Будогощь", "Глажево"]),
    (
        "9",
        "Кировский муниципальный район",
        "Кировск",
        ["Кировск", "Шлиссельбург", "Отрадное", "Мга", "Синявино", "Павлово", "Назия", "Путилово"],
    ),
    ("10", "Лодейнопольский муниципальный район", "Лодейное Поле", ["Лодейное Поле", "Свирьстрой"]),
    (
        "11",
        "Ломоносовский муниципальный район",
        "Ломоносов",
        ["Виллози", "Горбунки", "Большая Ижора", "Лебяжье", "Кипень", "Ропша", "Аннино", "Новоселье"],
    ),
    ("12", "Лужский муниципальный район", "Луга", ["Луга", "Оредеж", "Мшинская"]),
    ("13", "Подпорожский муниципальный район", "Подпорожье", ["Подпорожье", "Важины", "Вознесенье"]),
    (
        "14",
        "Приозерский муниципальный район",
        "Приозерск",
        ["Приозерск", "Сосново", "Кузнечное", "Громово", "Мичуринское", "Ларионово"],
    ),
    ("15", "Сланцевский муниципальный район", "Сланцы", ["Сланцы", "Выскатка"]),
    ("16", "Сосновоборский городской округ", "Сосновый Бор", ["Сосновый Бор"]),
    ("17", "Тихвинский муниципальный район", "Тихвин", ["Тихвин", "Шугозеро"]),
    (
        "18",
        "Тосненский муниципальный район",
        "Тосно",
        ["Тосно", "Никольское", "Любань", "Фёдоровское", "Ульяновка", "Красный Бор", "Рябово", "Форносово"],
    ),
]
COORDINATOR = "Управление информационной политики Ленинградской области"
BODIES = [
    ("health", "Комитет по здравоохранению Ленинградской области"),
    ("social", "Комитет по социальной защите населения Ленинградской области"),
    ("roads", "Комитет по дорожному хозяйству Ленинградской области"),
    ("construction", "Комитет по строительству Ленинградской области"),
    ("housing", "Комитет по жилищно-коммунальному хозяйству Ленинградской области"),
    ("housing_supervision", "Комитет государственного жилищного надзора и контроля Ленинградской области"),
    ("energy", "Комитет по топливно-энергетическому комплексу Ленинградской области"),
    ("culture", "Комитет по культуре и туризму Ленинградской области"),
    ("heritage", "Комитет по сохранению культурного наследия Ленинградской области"),
    ("nature", "Комитет по природным ресурсам Ленинградской области"),
    (
        "wildlife",
        "Комитет по охране, контролю и регулированию использования объектов животного мира Ленинградской области",
    ),
    ("agro", "Комитет по агропромышленному и рыбохозяйственному комплексу Ленинградской области"),
    ("youth", "Комитет по молодежной политике Ленинградской области"),
    (
        "local_gov",
        "Комитет по местному самоуправлению, межнациональным и межконфессиональным отношениям Ленинградской области",
    ),
    ("public_comm", "Комитет общественных коммуникаций Ленинградской области"),
    ("finance", "Комитет финансов Ленинградской области"),
    ("external", "Комитет по внешним связям Ленинградской области"),
    ("education", "Комитет общего и профессионального образования Ленинградской области"),
    ("transport", "Комитет Ленинградской области по транспорту"),
    ("sport", "Комитет по физической культуре и спорту Ленинградской области"),
    ("economy", "Комитет экономического развития и инвестиционной деятельности Ленинградской области"),
    ("digital", "Комитет цифрового развития Ленинградской области"),
    ("waste", "Комитет Ленинградской области по обращению с отходами"),
    ("security", "Комитет правопорядка и безопасности Ленинградской области"),
    ("trade", "Комитет по развитию малого, среднего бизнеса и потребительского рынка Ленинградской области"),
    ("property", "Ленинградский областной комитет по управлению государственным имуществом"),
    ("urban", "Комитет градостроительной политики Ленинградской области"),
]


def administration_name(municipality_name):
    """`org.loaders.administration_name` as it was."""
    genitive = municipality_name.replace("ский муниципальный район", "ского муниципального района").replace(
        "ский городской округ", "ского городского округа"
    )
    return f"Администрация {genitive}"


def one(rows):
    """The row when exactly one matches, else None."""
    found = list(rows[:2])
    return found[0] if len(found) == 1 else None


def key_loaded_rows(apps, schema_editor):
    Municipality = apps.get_model("org", "Municipality")
    Settlement = apps.get_model("org", "Settlement")
    Body = apps.get_model("org", "Body")

    def give(row, key):
        row.directory_key = key
        row.save(update_fields=["directory_key"])

    for key, name, centre, settlements in MUNICIPALITIES:
        # by the name it was loaded under; one renamed already is the one formation of the line's centre
        m = Municipality.objects.filter(directory_key="", name=name).first() or one(
            Municipality.objects.filter(directory_key="", admin_center=centre)
        )
        if m is None:
            continue
        give(m, key)
        for settlement in settlements:
            row = (
                Settlement.objects.filter(directory_key="", municipality=m, name=settlement).order_by("pk").first()
            )
            if row is not None:
                give(row, f"{key}/{settlement}")
        # its administration: by name, else the formation's one municipal body
        admin = Body.objects.filter(directory_key="", name=administration_name(name)).first() or one(
            Body.objects.filter(directory_key="", level="municipal", municipality=m)
        )
        if admin is not None:
            give(admin, f"@municipal/{key}")
    coordinator = Body.objects.filter(directory_key="", name=COORDINATOR).first() or one(
        Body.objects.filter(directory_key="", is_coordinator=True)
    )
    if coordinator is not None:
        give(coordinator, "@coordinator")
    for key, name in BODIES:
        body = Body.objects.filter(directory_key="", name=name).first()
        if body is not None:
            give(body, key)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_official_account_id_help"),
    ]

    operations = [
        migrations.AddField(
            model_name="body",
            name="directory_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Строка начального справочника (otklik demo), из которой загружена запись: по ней повторная загрузка узнаёт запись и после переименования. Пусто — запись добавлена вручную",
                max_length=100,
                verbose_name="ключ в начальном справочнике",
            ),
        ),
        migrations.AddField(
            model_name="municipality",
            name="directory_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Строка начального справочника (otklik demo), из которой загружена запись: по ней повторная загрузка узнаёт запись и после переименования. Пусто — запись добавлена вручную",
                max_length=100,
                verbose_name="ключ в начальном справочнике",
            ),
        ),
        migrations.AddField(
            model_name="settlement",
            name="directory_key",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Строка начального справочника (otklik demo), из которой загружена запись: по ней повторная загрузка узнаёт запись и после переименования. Пусто — запись добавлена вручную",
                max_length=100,
                verbose_name="ключ в начальном справочнике",
            ),
        ),
        migrations.RunPython(key_loaded_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="body",
            constraint=models.UniqueConstraint(
                condition=models.Q(("directory_key", ""), _negated=True),
                fields=("directory_key",),
                name="body_directory_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="municipality",
            constraint=models.UniqueConstraint(
                condition=models.Q(("directory_key", ""), _negated=True),
                fields=("directory_key",),
                name="municipality_directory_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="settlement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("directory_key", ""), _negated=True),
                fields=("directory_key",),
                name="settlement_directory_key",
            ),
        ),
    ]
