"""Audit log: an append-only record of every change to directory data (who, when, what, before/after).

Rows are written by signal handlers for the models registered with `audit.registry.track`; they cannot be
changed or deleted through the ORM, the admin, or SQL (database triggers on SQLite and PostgreSQL).
"""
