"""Otklik: answering people in social networks under Leningrad Oblast order N 148-рг."""

__version__ = "0.1.0"
