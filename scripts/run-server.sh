#!/usr/bin/env bash
# Start the web server and one task worker together; stop both on Ctrl-C.
set -euo pipefail
HOST="${1:-127.0.0.1}"
PORT="${2:-8000}"
BIN="$(dirname "$0")/../.venv/bin"

"$BIN/otklik" db_worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  Отклик запущен: http://$HOST:$PORT/
  Демо-входы (пароль у всех: otklik-demo):
    admin          — администратор
    curator        — куратор (Управление информационной политики)
    health_head    — ответственное лицо, Комитет по здравоохранению
    health_exec    — исполнитель, Комитет по здравоохранению
    roads_exec     — исполнитель, Комитет по дорожному хозяйству
    gatchina_exec  — исполнитель, администрация Гатчинского района
    observer       — наблюдатель (аппарат вице-губернатора)
  Остановить: Ctrl-C

MSG
"$BIN/otklik" runserver "$HOST:$PORT" --noreload
