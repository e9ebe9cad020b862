"""argparse's English refusals of a command line in Russian (no Django here: `otklik worktime` uses it too)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from typing import Any

USAGE = "Использование: "


def _name(action: argparse.Action) -> str:
    """The name argparse gives an argument in its messages (`argparse._get_action_name`)."""
    if action.option_strings:
        return "/".join(action.option_strings)
    if action.metavar not in (None, argparse.SUPPRESS):
        return str(action.metavar)
    if action.dest not in (None, argparse.SUPPRESS):
        return str(action.dest)
    return "{" + ",".join(map(str, action.choices or ())) + "}"


def _unquoted(text: str) -> str:
    """A value as argparse's `%r` shows it («'csv'»), as typed."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _listed(values: Iterable[Any]) -> str:
    return ", ".join(str(v) for v in values)


class RussianMessages(argparse.ArgumentParser):
    """argparse's refusals in Russian, naming the option and what it takes (`russian`); the usage line headed
    «Использование:». Mixed into Django's command parser (`otklik.commandline`) and the Django-free
    `otklik worktime` parser."""

    def format_usage(self) -> str:
        formatter = self._get_formatter()
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups, prefix=USAGE)
        return formatter.format_help()

    # ------------------------------------------------------------------------------------------ the messages
    def _action(self, name: str) -> argparse.Action | None:
        return next((a for a in self._actions if _name(a) == name), None)

    def _missing(self, names: list[str]) -> str:
        """«the following arguments are required: …»: the subcommand to choose, the positional arguments with their
        values to choose from, the options."""
        parts: list[str] = []
        options: list[str] = []
        for name in names:
            action = self._action(name)
            if isinstance(action, argparse._SubParsersAction):
                parts.append(f"не указана подкоманда: одна из {_listed(action.choices or ())}")
            elif action is not None and not action.option_strings:
                choices = f" (одно из: {_listed(action.choices)})" if action.choices else ""
                parts.append(f"не указан аргумент {name}{choices}")
            else:
                options.append(name)
        if len(options) == 1:
            parts.append(f"не указан обязательный параметр {options[0]}")
        elif options:
            parts.append(f"не указаны обязательные параметры {', '.join(options)}")
        return "; ".join(parts)

    def russian(self, message: str) -> str:
        """argparse's English `message` in Russian; a message already Russian (our argument types') as it is."""
        if m := re.fullmatch(r"the following arguments are required: (.+)", message, re.S):
            return self._missing(m[1].split(", "))
        if m := re.fullmatch(r"argument (.+?): (.+)", message, re.S):
            name, detail = m[1], m[2]
            action = self._action(name)
            if isinstance(action, argparse._SubParsersAction):
                return f"подкоманда: {self._detail(detail, action)}"
            return f"{name}: {self._detail(detail, action)}"
        if m := re.fullmatch(r"unrecognized arguments: (.+)", message, re.S):
            return f"лишнее в командной строке (такого параметра нет или значение без параметра): {m[1]}"
        if m := re.fullmatch(r"one of the arguments (.+) is required", message, re.S):
            return f"нужно указать один из параметров: {m[1].replace(' ', ', ')}"
        if m := re.fullmatch(r"ambiguous option: (\S+) could match (.+)", message, re.S):
            return f"параметр {m[1]} неоднозначен, подходят: {m[2]}; напишите его полностью"
        if m := re.fullmatch(r"unexpected option string: (.+)", message, re.S):
            return f"неожиданный параметр: {m[1]}"
        if re.search("[А-Яа-яЁё]", message):
            return message
        return f"командная строка не разобрана ({message})"

    def _detail(self, detail: str, action: argparse.Action | None) -> str:
        """What is wrong with one argument's value."""
        if m := re.fullmatch(r"invalid choice: (.+?) \(choose from (.+)\)", detail, re.S):
            choices = action.choices if action is not None and action.choices is not None else None
            allowed = _listed(choices) if choices is not None else _listed(map(_unquoted, m[2].split(", ")))
            return f"нет варианта «{_unquoted(m[1])}», возможные: {allowed}"
        if m := re.fullmatch(r"unknown parser (.+?) \(choices: (.+)\)", detail, re.S):
            return f"нет подкоманды «{_unquoted(m[1])}», возможные: {m[2]}"
        if detail == "expected one argument":
            return "после параметра нужно значение"
        if detail == "expected at most one argument":
            return "можно указать не больше одного значения"
        if detail == "expected at least one argument":
            return "нужно хотя бы одно значение"
        if m := re.fullmatch(r"expected (\d+) arguments?", detail):
            return f"нужно значений: {m[1]}"
        if m := re.fullmatch(r"invalid (\w+) value: (.+)", detail, re.S):
            value = _unquoted(m[2])
            if m[1] == "int":
                return f"ожидается целое число, а не «{value}»"
            if m[1] == "float":
                return f"ожидается число, а не «{value}»"
            return f"недопустимое значение «{value}»"
        if m := re.fullmatch(r"ignored explicit argument (.+)", detail, re.S):
            return f"параметр пишется без значения, а дано «{_unquoted(m[1])}»"
        if m := re.fullmatch(r"not allowed with argument (.+)", detail, re.S):
            return f"нельзя указывать вместе с {m[1]}"
        if re.search("[А-Яа-яЁё]", detail):
            return detail  # our argument types' `ArgumentTypeError`, Russian already
        return f"значение не принято ({detail})"
