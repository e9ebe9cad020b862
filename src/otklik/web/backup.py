"""Backup and restore of an installation (`otklik backup`, `otklik restore`; docs/operations.md § Backup and
restore).

A backup is a directory of three parts: the database (SQLite: an online copy made by SQLite's backup API, never
a plain copy of a live file; PostgreSQL: `pg_dump --format=custom`), a gzip tar of the folders the installation
keeps (media, trained models, letters written as files) and `manifest.json` with the sizes and SHA-256 of the
parts. A restore checks every part first and goes only into a database without Otklik data, so it never
overwrites anything; then it runs `migrate`, so an older backup comes up on newer code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from glob import glob
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import otklik
from otklik.commandline import os_error_text

log = logging.getLogger("otklik.backup")

MANIFEST = "manifest.json"
FORMAT = 1
DATABASE_PARTS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FILES_PART = "files.tar.gz"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows that `migrate` itself writes into a new database: they do not make the database one "with data".
SEEDED_BY_MIGRATIONS = {"cases.policy"}


class BackupError(Exception):
    """A refusal or failure, in Russian, for the operator."""


@contextmanager
def command_errors() -> Iterator[None]:
    """`otklik backup` / `otklik restore`: every failure as the command's Russian error, never a traceback."""
    try:
        yield
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    except sqlite3.Error as exc:  # SQLite's own connection (the backup API): not wrapped by Django
        raise CommandError(f"База SQLite ответила ошибкой: {sqlite_error_text(exc)}.") from exc
    except DatabaseError as exc:
        if isinstance(exc.__cause__, sqlite3.Error):
            raise CommandError(f"База SQLite ответила ошибкой: {sqlite_error_text(exc.__cause__)}.") from exc
        raise CommandError(f"База данных недоступна или ответила ошибкой: {exc}".strip()) from exc
    except OSError as exc:
        raise CommandError(f"Ошибка при работе с файлами: {os_error_text(exc)}.") from exc


def sqlite_error_text(error: sqlite3.Error) -> str:
    """Why SQLite refused, in Russian, the way `os_error_text` says it of a file; SQLite's words go to the log."""
    log.warning("SQLite error: %s (%s)", error, getattr(error, "sqlite_errorname", "?"))
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF  # the primary code of an extended one
    if code == sqlite3.SQLITE_FULL:
        return "на диске нет места"
    if code == sqlite3.SQLITE_IOERR:
        return "ошибка записи или чтения на диске (нет места, превышен допустимый размер файла или диск неисправен)"
    if code == sqlite3.SQLITE_READONLY:
        return "файл базы доступен только для чтения"
    if code == sqlite3.SQLITE_CANTOPEN:
        return "файл базы не открывается (нет каталога или прав доступа)"
    return str(error)


def _failure_text(error: BaseException) -> str:
    """The reason of a failed backup or restore, in Russian (the details are logged)."""
    if isinstance(error, BackupError):
        text = str(error).rstrip(".")
        return text[:1].lower() + text[1:] if text[1:2].islower() else text  # inside a sentence
    if isinstance(error, sqlite3.Error):
        return f"база SQLite ответила ошибкой: {sqlite_error_text(error)}"
    if isinstance(error, DatabaseError):
        if isinstance(error.__cause__, sqlite3.Error):
            return f"база SQLite ответила ошибкой: {sqlite_error_text(error.__cause__)}"
        return f"база данных ответила ошибкой: {error}".strip()
    if isinstance(error, OSError):
        return os_error_text(error)
    return f"{type(error).__name__}: {error}"


def folders() -> dict[str, Path]:
    """The folders a backup keeps, by their name inside the archive."""
    from otklik.analysis.topics import models_dir

    var = Path(settings.VAR_DIR)
    return {
        "media": Path(settings.MEDIA_ROOT),
        "models": models_dir(),
        # Letters are files here only without EMAIL_HOST; a folder left from that time is kept all the same.
        "mail": Path(getattr(settings, "EMAIL_FILE_PATH", None) or var / "mail"),
    }


def _digest(f: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := f.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return _digest(f)


def _vendor_name(vendor: str) -> str:
    return VENDOR_NAMES.get(vendor, vendor)


def _pg_tool(name: str) -> str:
    """`pg_dump` or `pg_restore`: from OTKLIK_PG_BIN, else the newest /usr/lib/postgresql/*/bin (as
    scripts/with-postgres.sh finds the server), else the PATH."""
    candidates: list[Path] = []
    if os.environ.get("OTKLIK_PG_BIN"):
        candidates.append(Path(os.environ["OTKLIK_PG_BIN"]) / name)

    def version(folder: str) -> tuple[int, ...]:
        number = Path(folder).parent.name
        return tuple(int(p) for p in number.split(".") if p.isdigit())

    candidates += [
        Path(d) / name for d in sorted(glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    ]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        f"Не найдена программа {name}: установите клиент PostgreSQL той же или более новой версии, что и "
        "сервер базы (apt-get install postgresql-client), или укажите каталог с его программами в OTKLIK_PG_BIN."
    )


def _pg_env() -> dict[str, str]:
    """The connection of `pg_dump`/`pg_restore` as libpq's environment: no password on a command line."""
    from django.db.backends.postgresql.client import DatabaseClient

    params = connection.settings_dict
    _args, extra = DatabaseClient.settings_to_cmd_args_env(params, [])
    env = dict(os.environ)
    env.update(extra or {})
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if params.get(key):
            env[variable] = str(params[key])
    return env


def _run_pg(command: list[str], what: str) -> None:
    log.info("running %s", " ".join(command))
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()
        log.error("%s failed with status %s: %s", command[0], done.returncode, detail)
        raise BackupError(f"{what} не удалось ({Path(command[0]).name}, код {done.returncode}): {detail}")


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


# --- backup ------------------------------------------------------------------------------------------------


def _copy_sqlite(target: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        # One step: the copy is of one moment, read in a read transaction that does not stop the writers (WAL).
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        checked = copy.execute("PRAGMA integrity_check").fetchone()[0]
    if checked != "ok":
        raise BackupError(f"Копия базы SQLite не прошла проверку целостности: {checked}")


def _add_live(tar: tarfile.TarFile, path: Path, arcname: str) -> None:
    """`tar.add` of a folder the installation keeps writing to: a file or folder removed between the listing of
    its folder and its reading (a message's copies deleted with it, an old model pruned, a `.part` model renamed
    into place) is left out with a warning; any other error fails the backup."""
    try:
        info = tar.gettarinfo(str(path), arcname)
        if info is None:  # a socket or the like: tarfile leaves it out too
            return
        if info.isreg():
            with path.open("rb") as f:
                tar.addfile(info, f)
            return
        tar.addfile(info)
        if info.isdir():
            names = sorted(os.listdir(path))
    except FileNotFoundError:
        log.warning("%s was removed while the backup archived it: left out of this backup", path)
        return
    if info.isdir():
        for name in names:
            _add_live(tar, path / name, f"{arcname}/{name}")


def _write_files(target: Path) -> list[str]:
    kept = []
    with tarfile.open(target, "w:gz") as tar:
        for name, root in folders().items():
            if root.is_dir():
                # Resolved: a folder kept on another disk through a link (var/media -> /srv/media) is archived
                # with its files, not as the link alone; links inside it stay links.
                _add_live(tar, root.resolve(), name)
                kept.append(name)
    return kept


def backup(out: Path) -> dict[str, Any]:
    """Write a backup of this installation into `out`, a new or empty directory; returns the manifest."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise BackupError(f"{out} — не каталог: укажите новый или пустой каталог для копии.")
    if out.exists() and any(out.iterdir()):
        raise BackupError(
            f"Каталог {out} не пуст: копия пишется только в новый или пустой каталог, чтобы не смешать её с другой."
        )
    for root in folders().values():
        if out.resolve().is_relative_to(root.resolve()):
            raise BackupError(
                f"Каталог копии {out} лежит внутри {root}, который сам входит в копию: укажите каталог вне него."
            )
    vendor = connection.vendor
    if vendor not in DATABASE_PARTS:
        raise BackupError(f"Копию базы {vendor} делать не умеем: поддерживаются SQLite и PostgreSQL.")
    dump = _pg_tool("pg_dump") if vendor == "postgresql" else ""
    created = not out.exists()
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        migrations = applied_migrations()
        database = out / DATABASE_PARTS[vendor]
        written.append(database)
        # The database before the files: a file a row names was written before the row, so it is in the archive.
        if vendor == "sqlite":
            _copy_sqlite(database)
        else:
            _run_pg([dump, "--format=custom", "--no-password", "--file", str(database)], "Копию базы сделать")
        files = out / FILES_PART
        written.append(files)
        kept = _write_files(files)
        manifest = {
            "format": FORMAT,
            "otklik_version": otklik.__version__,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "database": {"vendor": vendor, "part": database.name, "migrations": migrations},
            "folders": kept,
            "parts": {
                part.name: {"size": part.stat().st_size, "sha256": _sha256(part)}
                for part in (database, files)
            },
        }
        target = out / MANIFEST
        written.append(target)
        target.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for part in written:
            part.chmod(0o600)  # the database holds the networks' tokens
    except BaseException as exc:
        for part in written:
            part.unlink(missing_ok=True)
        if created:
            shutil.rmtree(out, ignore_errors=True)
        if not isinstance(exc, (BackupError, OSError, sqlite3.Error, DatabaseError)):
            raise
        log.error("backup into %s failed: %s: %s", out, type(exc).__name__, exc)
        raise BackupError(
            f"Копия не записана: {_failure_text(exc)}. Записанное ею удалено; устраните причину (например, "
            "освободите место на диске) и запустите копирование снова."
        ) from exc
    log.info("backup of the %s database and folders %s written to %s", vendor, kept, out)
    return manifest


# --- restore -----------------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"В {source} нет {MANIFEST}: это не резервная копия Otklik или её запись не была завершена."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        database, parts = manifest["database"], manifest["parts"]
        whole = (
            isinstance(parts, dict)
            and all(isinstance(p, dict) for p in parts.values())
            and database["vendor"] in DATABASE_PARTS
            and database["part"] in parts
            and FILES_PART in parts
        )
    except (ValueError, KeyError, TypeError):  # UnicodeDecodeError is a ValueError
        whole = False
    if not whole:
        raise BackupError(f"{MANIFEST} в {source} повреждён или не от Otklik: восстановление не начато.")
    return manifest  # type: ignore[no-any-return]


def verify(source: Path, manifest: dict[str, Any]) -> None:
    """Every part is there with the size and SHA-256 the manifest recorded."""
    for name, expected in manifest["parts"].items():
        path = Path(source) / name
        if Path(name).name != name or not path.is_file():
            raise BackupError(f"В копии нет части {name}: восстановление не начато, ничего не изменено.")
        if path.stat().st_size != expected.get("size") or _sha256(path) != expected.get("sha256"):
            raise BackupError(
                f"Часть копии {name} повреждена (размер или SHA-256 не совпадает с {MANIFEST}): "
                "восстановление не начато, ничего не изменено."
            )


def tables_with_data() -> list[str]:
    """The Otklik tables of the configured database that hold rows (those `migrate` fills are not counted)."""
    existing = set(connection.introspection.table_names())
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("otklik."):
            continue
        for model in config.get_models():
            meta = model._meta
            if meta.proxy or not meta.managed or meta.label_lower in SEEDED_BY_MIGRATIONS:
                continue
            if meta.db_table in existing and model._base_manager.exists():
                found.append(meta.label_lower)
    return found


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    """Migrations the backup's database has and this code does not: a backup from a newer Otklik."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    unknown = []
    for app, names in manifest["database"].get("migrations", {}).items():
        if app in loader.migrated_apps:
            unknown += [f"{app}.{name}" for name in names if (app, name) not in known]
    return unknown


def _archive_members(source: Path) -> list[tuple[Path, tarfile.TarInfo]]:
    """(folder of this installation, member with its name inside that folder) of every archived entry."""
    roots = folders()
    placed = []
    with tarfile.open(source / FILES_PART, "r:gz") as tar:
        for member in tar.getmembers():
            top, _, rest = member.name.partition("/")
            if top not in roots:
                raise BackupError(f"В архиве копии неизвестный каталог «{top}»: восстановление не начато.")
            if not rest:
                continue
            inside = member.replace(name=rest, deep=False)
            try:  # what the extraction will refuse is refused now, before anything is changed
                tarfile.data_filter(inside, str(roots[top]))
            except tarfile.FilterError as exc:
                raise BackupError(f"В архиве копии недопустимый файл {member.name}: {exc}") from None
            placed.append((roots[top], inside))
    return placed


def _to_extract(source: Path) -> tuple[list[tuple[Path, tarfile.TarInfo]], list[str]]:
    """The archive's entries to extract, and the files of this installation that differ from the archived
    ones of the same name. A file already there with the same bytes (media kept after the database was lost)
    is left as it is."""
    extract, clashes = [], []
    with tarfile.open(source / FILES_PART, "r:gz") as tar:
        for root, member in _archive_members(source):
            there = root / member.name
            if member.isdir() or not there.exists():
                extract.append((root, member))
                continue
            archived = tar.extractfile(member)
            same = (
                there.is_file()
                and archived is not None
                and there.stat().st_size == member.size
                and _digest(archived) == _sha256(there)
            )
            if not same:
                clashes.append(str(there))
    return extract, clashes


class _Undo:
    """What a restore has written so far, removed again if it fails: a restore is done whole or not at all."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, Callable[[], None]]] = []

    def add(self, what: str, step: Callable[[], None]) -> None:
        self.steps.append((what, step))

    def remove(self, path: Path) -> None:
        self.add(str(path), lambda: _remove(path))

    def forget(self, what: str) -> None:
        self.steps = [s for s in self.steps if s[0] != what]

    def made_dirs(self, folder: Path) -> None:
        """`folder.mkdir(parents=True)`, each new directory to be removed again if still empty."""
        missing = [d for d in (folder, *folder.parents) if not d.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        for directory in reversed(missing):  # the deepest is removed first
            self.add(str(directory), _rmdir_if_empty(directory))

    def run(self) -> list[str]:
        """Undo, latest first; returns what could not be removed (logged)."""
        left = []
        for what, step in reversed(self.steps):
            try:
                step()
            except Exception as exc:  # every step is tried; what is left is told to the operator
                log.error(
                    "restore: could not remove %s after the failure: %s: %s", what, type(exc).__name__, exc
                )
                left.append(what)
            else:
                log.info("restore: removed %s after the failure", what)
        self.steps = []
        return left


def _rmdir_if_empty(directory: Path) -> Callable[[], None]:
    def rmdir() -> None:
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()

    return rmdir


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _stage_folders(
    source: Path, members: list[tuple[Path, tarfile.TarInfo]], undo: _Undo
) -> dict[Path, Path]:
    """The archive's new entries unpacked into a directory beside their folder (on the same disk, so that
    moving them into place is a rename): {folder: its staging directory}. A full disk stops here, before the
    folders or the database are touched."""
    staged: dict[Path, Path] = {}
    with tarfile.open(source / FILES_PART, "r:gz") as tar:
        for root, member in members:
            staging = staged.get(root)
            if staging is None:
                token = f"{os.getpid()}-{secrets.token_hex(4)}"
                if root.exists():  # inside it: through a link (var/media -> /srv/media) too, on its disk
                    staging = root / f".otklik-restore-{token}"
                else:
                    undo.made_dirs(root.parent)
                    staging = root.parent / f".{root.name}.otklik-restore-{token}"
                undo.remove(staging)
                staging.mkdir()
                staged[root] = staging
                log.info("restore: unpacking %s into %s", root, staging)
            tar.extract(member, path=staging, filter="data")
    return staged


def _move_in(staging: Path, root: Path, undo: _Undo) -> None:
    """Every entry of `staging` renamed into `root` (a directory both have: its entries), each registered to undo."""
    for entry in sorted(staging.iterdir()):
        there = root / entry.name
        if entry.is_dir() and not entry.is_symlink() and there.is_dir() and not there.is_symlink():
            _move_in(entry, there, undo)
        elif there.exists() or there.is_symlink():
            raise BackupError(f"Во время восстановления появился файл {there}, который есть и в копии")
        else:
            entry.rename(there)
            undo.remove(there)


def _move_into_place(staged: dict[Path, Path], undo: _Undo) -> None:
    for root, staging in staged.items():
        if root.exists() or root.is_symlink():
            _move_in(staging, root, undo)
            shutil.rmtree(staging)  # only the directories the folder had already are left in it
        else:
            staging.rename(root)
            undo.remove(root)
        undo.forget(str(staging))


def _remove_sqlite_database() -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    for path in (target, *(Path(f"{target}{suffix}") for suffix in ("-wal", "-shm", "-journal"))):
        path.unlink(missing_ok=True)


def _restore_sqlite(copy: Path, undo: _Undo) -> None:
    if connection.is_in_memory_db():  # type: ignore[attr-defined]
        raise BackupError("База SQLite настроена в памяти: укажите в DATABASE_URL файл, куда восстановить.")
    target = Path(connection.settings_dict["NAME"])
    undo.made_dirs(target.parent)
    connection.close()
    # Filled by this restore (a file that was there held no Otklik data): without it, it can be run again.
    undo.forget(str(target))
    undo.add(str(target), _remove_sqlite_database)
    with (
        closing(sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def _restore_postgres(dump: Path, pg_restore: str, undo: _Undo) -> None:
    # Only a database without Otklik data gets here; a migrated empty one loses its empty tables, so that the
    # backup's schema (maybe older, migrated afterwards) is the only one.
    tables = connection.introspection.django_table_names(only_existing=True) + [
        t for t in connection.introspection.table_names() if t == MigrationRecorder.Migration._meta.db_table
    ]
    others = set(connection.introspection.table_names()) - set(tables)

    def empty_database() -> None:
        # As after a failed pg_restore (one transaction): the database is left empty, the restore can be run
        # again. Tables that were there and are not Otklik's stay.
        connection.close()
        with transaction.atomic(), connection.cursor() as cursor:
            for table in sorted(set(connection.introspection.table_names()) - others):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
        connection.close()

    undo.add(f"таблицы базы {connection.settings_dict['NAME']}", empty_database)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()
    _run_pg(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-password",
            "--dbname",
            str(connection.settings_dict["NAME"]),
            str(dump),
        ],
        "Восстановить базу",
    )


def restore(source: Path) -> dict[str, Any]:
    """Restore the backup in `source` into this installation's empty database and folders; returns the
    manifest. Everything is checked before anything is changed."""
    source = Path(source)
    if not source.is_dir():
        raise BackupError(f"Каталог копии {source} не найден.")
    # The checks below connect, and a connection to SQLite creates its file: one that was not there goes again
    # if the restore fails.
    new_sqlite = (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()  # type: ignore[attr-defined]
        and not Path(connection.settings_dict["NAME"]).exists()
    )
    manifest = read_manifest(source)
    verify(source, manifest)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"Копия сделана с базы {_vendor_name(vendor)}, а настроена база {_vendor_name(connection.vendor)}: "
            "перенос между разными СУБД командой restore не поддерживается. Восстановите копию в базу "
            f"{_vendor_name(vendor)} (DATABASE_URL)."
        )
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            "Копия сделана более новой версией Otklik (миграции " + ", ".join(unknown[:5]) + "): "
            "сначала обновите программу, потом восстанавливайте."
        )
    pg_restore = _pg_tool("pg_restore") if vendor == "postgresql" else ""
    busy = tables_with_data()
    if busy:
        raise BackupError(
            "В базе данных, куда идёт восстановление, уже есть данные Otklik (" + ", ".join(busy[:5]) + "): "
            "копия восстанавливается только в пустую базу, чтобы ничего не затереть. Создайте новую базу "
            "(или укажите новый файл SQLite) в DATABASE_URL и повторите."
        )
    members, clashes = _to_extract(source)
    if clashes:
        raise BackupError(
            f"В этой установке уже есть другие файлы с теми же именами, что в копии ({', '.join(clashes[:3])}): "
            "восстановление не начато, ничего не заменено. Уберите их или восстанавливайте в установку с "
            "пустыми каталогами media, models и mail."
        )

    database = source / manifest["database"]["part"]
    undo = _Undo()
    if new_sqlite:
        undo.add(str(connection.settings_dict["NAME"]), _remove_sqlite_database)
    try:
        # The folders first, beside their place: a disk too small stops the restore before anything is changed.
        staged = _stage_folders(source, members, undo)
        log.info("restoring the %s database from %s", vendor, database)
        if vendor == "sqlite":
            _restore_sqlite(database, undo)
        else:
            _restore_postgres(database, pg_restore, undo)
        _move_into_place(staged, undo)
        log.info("restored folders %s; migrating", manifest.get("folders", []))
        call_command("migrate", interactive=False, verbosity=0)
    except BaseException as exc:
        log.error("restore from %s failed: %s: %s", source, type(exc).__name__, exc)
        left = undo.run()
        if not isinstance(exc, Exception):
            raise
        if left:
            raise BackupError(
                f"Восстановление прервано: {_failure_text(exc)}. Не удалось убрать часть того, что оно успело "
                f"записать ({', '.join(left[:3])}; подробности в журнале): удалите это вручную, устраните "
                "причину и запустите восстановление снова."
            ) from exc
        raise BackupError(
            f"Восстановление прервано: {_failure_text(exc)}. Всё, что оно успело записать, удалено: база данных "
            "и каталоги остались как до него, ничего не изменено. Устраните причину (например, освободите место "
            "на диске) и запустите восстановление снова."
        ) from exc
    return manifest
