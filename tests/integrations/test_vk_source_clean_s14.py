"""R-4 (intake of VK communities): `Source.clean` must refuse exactly the VK sources the connector cannot read
(it then stops with a permanent error: «не указан числовой id сообщества») and accept the ones it reads."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from otklik.intake.models import Source
from otklik.integrations.base import ConnectorError
from otklik.integrations.vk.connector import VKConnector

pytestmark = pytest.mark.django_db


def _reads_nothing(source: Source) -> bool:
    """The connector refuses the source for good (its first wall read), or cannot even be built for it."""
    try:
        next(iter(VKConnector(source).fetch({})))
    except ConnectorError as exc:
        return exc.permanent
    except ValueError:
        return True
    return False


def test_a_vk_source_of_kind_channel_by_short_name_is_refused_as_a_community_is() -> None:
    """An administrator who picks «канал» for a VK page types its short name: the connector reads its wall as a
    community's (`fetch` reads a wall for every kind but search) and stops for good; the form accepted it."""
    source = Source(
        network="vk", kind=Source.Kind.CHANNEL, title="Здравоохранение ЛО", external_id="demo_health"
    )
    assert _reads_nothing(source)
    with pytest.raises(ValidationError):
        source.full_clean()


def test_an_owner_id_in_the_config_that_is_not_a_number_is_refused() -> None:
    """{"owner_id": "demo_health"} passes `clean` (any truthy owner_id does); the connector then fails on it."""
    source = Source(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id="demo_health",
        config={"owner_id": "demo_health"},
    )
    assert _reads_nothing(source)
    with pytest.raises(ValidationError):
        source.full_clean()


def test_a_zero_community_id_is_refused() -> None:
    """«0» is a number, so `clean` accepts it, but VK reads owner_id 0 as the token's own page: the connector
    refuses it for good (`VKConnector._wall`)."""
    source = Source(network="vk", kind=Source.Kind.COMMUNITY, title="Здравоохранение ЛО", external_id="0")
    assert _reads_nothing(source)
    with pytest.raises(ValidationError):
        source.full_clean()


def test_a_community_whose_owner_id_is_set_in_the_environment_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`source_setting` reads owner_id from the config, then settings.OTKLIK_INTEGRATIONS, then OTKLIK_VK_OWNER_ID:
    the connector reads such a source, but `clean` looks at the config only and refuses to save it."""
    monkeypatch.setenv("OTKLIK_VK_OWNER_ID", "200000001")
    source = Source(
        network="vk", kind=Source.Kind.COMMUNITY, title="Здравоохранение ЛО", external_id="demo_health"
    )
    assert VKConnector(source).owner_id == -200000001
    source.full_clean()


def test_the_demo_vk_sources_are_still_valid() -> None:
    from otklik.intake.demo import add_demo_sources

    add_demo_sources()
    for source in Source.objects.filter(network="vk"):
        source.full_clean()
