"""R-4: a VK community entered by the short name of its address (vk.com/demo_health_lenobl) is not read — VK takes
owner_id 0 for the token's own page. The admin refuses such a source, and one already stored says why on its
cursor instead of reporting «новых 0» for ever (found by a first-day walk of a new installation)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from otklik.intake.models import Cursor, Source
from otklik.intake.pipeline import run_source
from tests.fakes.vk import FakeVK

pytestmark = pytest.mark.django_db


def _source(external_id: str, **config: object) -> Source:
    return Source(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id=external_id,
        url="https://vk.com/demo_health_lenobl",
        config=dict(config),
    )


def test_r4_a_vk_community_stored_by_its_short_name_says_why_nothing_is_read() -> None:
    with FakeVK() as fake:
        source = _source("demo_health_lenobl", api_base=f"{fake.url}/method/", token=fake.token, per_second=0)
        source.save()
        report = run_source(source)
    assert "числовой id сообщества" in report.error
    assert "demo_health_lenobl" in Cursor.objects.get(source=source).last_error
    assert fake.calls("wall.get") == []  # nothing asked of VK under owner_id 0


def test_r4_the_admin_refuses_a_vk_community_without_its_number() -> None:
    with pytest.raises(ValidationError) as refused:
        _source("demo_health_lenobl").full_clean()
    assert "числовой id сообщества ВКонтакте" in str(refused.value.message_dict["external_id"])
    _source("200000001").full_clean()
    _source("-200000001").full_clean()
    _source("demo_health_lenobl", owner_id=-200000001).full_clean()
