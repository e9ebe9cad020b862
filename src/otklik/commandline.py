"""The command line of the `otklik` management commands in Russian (R-12, R-13 and every command an operator runs).

argparse answers a missing option or a wrong value in English («the following arguments are required: --month»,
«invalid choice: 'csv' (choose from 'xlsx', 'pdf', 'json')», «unrecognized arguments», «expected one argument»,
«invalid int value»). `BaseCommand` here builds Django's parser as usual and makes it (and its subcommands'
parsers) a `RussianCommandParser`, which says the same in Russian with the option named: on the command line
with the usage and exit code 2, from `call_command` as a `CommandError`. The English original goes to the log at
DEBUG. Django's own commands (migrate, runserver, …) keep Django's parser.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import re
import sys
from collections.abc import Iterator
from typing import Any, NoReturn

from django.core.management.base import BaseCommand as DjangoBaseCommand
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError

from otklik.argparse_ru import RussianMessages

# The commands import these three from here, as they did from Django
__all__ = ["BaseCommand", "CommandError", "CommandParser", "RussianCommandParser", "schema_refusals"]

log = logging.getLogger(__name__)


class RussianCommandParser(RussianMessages, CommandParser):
    """Django's `CommandParser` whose refusals are Russian, naming the option and what it takes."""

    def error(self, message: str) -> NoReturn:
        log.debug("%s: argparse refused the command line: %s", self.prog, message)
        text = self.russian(message)
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            self.exit(2, f"{self.prog}: ошибка: {text}\n")
        raise CommandError(f"Ошибка: {text}", returncode=2)


def _make_russian(parser: argparse.ArgumentParser) -> None:
    """`parser` and its subcommands' parsers (made with Django's class in `add_arguments`) become Russian."""
    if type(parser) is CommandParser:
        # the same instance with the class's `error` and `format_usage` replaced: no state of its own
        parser.__class__ = RussianCommandParser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _make_russian(sub)


# What SQLite and PostgreSQL say of a table or column the migrations have not created yet
_NOT_MIGRATED = re.compile(
    r"no such (?:table|column): (?P<sqlite>\S+)|(?:relation|column) \"?(?P<pg>[^\"\s]+)\"? does not exist"
)


@contextlib.contextmanager
def schema_refusals() -> Iterator[None]:
    """A command run on a database the migrations have not prepared (a fresh `var/`, a new version not yet
    migrated) says so in Russian and how to fix it, exit code 1, instead of a traceback; the database's own words
    go to the log."""
    try:
        yield
    except DatabaseError as exc:
        found = _NOT_MIGRATED.search(str(exc))
        if found is None:
            raise
        log.error("the database is not migrated: %s", exc)
        what = found["sqlite"] or found["pg"]
        sys.stderr.write(
            f"ошибка: база данных не подготовлена или не обновлена (нет «{what}»): выполните «otklik migrate» "
            "и повторите команду\n"
        )
        sys.exit(1)


class BaseCommand(DjangoBaseCommand):
    """The base of every `otklik` management command: Django's, with the command line refused in Russian, and
    a database not yet migrated named as such (`schema_refusals`)."""

    def run_from_argv(self, argv: list[str]) -> None:
        with schema_refusals():
            super().run_from_argv(argv)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _make_russian(parser)
        return parser


# What the operating system says of a file or directory it refuses, in Russian (`os_error_text`)
OS_ERRORS = {
    errno.ENOENT: "нет такого файла или каталога",
    errno.ENOTDIR: "путь проходит через файл, а не через каталог",
    errno.EACCES: "нет прав доступа",
    errno.EPERM: "нет прав на эту операцию",
    errno.ENOSPC: "на диске нет места",
    errno.EDQUOT: "исчерпана дисковая квота",
    errno.EFBIG: "файл больше, чем позволяет файловая система или предел размера файла",
    errno.EIO: "ошибка ввода-вывода диска",
    errno.EROFS: "файловая система доступна только для чтения",
    errno.EISDIR: "это каталог, а не файл",
    errno.EEXIST: "уже существует",
}


def os_error_text(error: OSError, *named: object) -> str:
    """Why the operating system refused, in Russian, for a command's message: «путь: причина» for the common
    errno values (others by number), the path left out when it is one of ``named`` (the message names it
    already). The system's own English words go to the log (WARNING)."""
    log.warning("operating system error: %s", error)
    reason = OS_ERRORS.get(error.errno or 0) or f"ошибка операционной системы № {error.errno or '?'}"
    path = error.filename
    if path is None or str(path) in {str(n) for n in named}:
        return reason
    return f"{path}: {reason}"
