"""Connectors to the networks of R-4: one package per network with the same parts.

Each package has ``client.py`` (a thin ``httpx`` client of the real API, base URL configurable),
``schemas.py`` (payload parsing into :class:`~otklik.integrations.base.ParsedMessage`), and ``connector.py``
(the common interface: fetch since a cursor, parse, publish a reply). Errors are one type,
:class:`~otklik.integrations.base.ConnectorError`, with a ``permanent`` flag and an optional ``retry_after``.
"""
