#!/usr/bin/env bash
# Start the web server and one task worker together; stop both on Ctrl-C.
set -euo pipefail
HOST="${1:-127.0.0.1}"
PORT="${2:-8000}"
BIN="$(dirname "$0")/../.venv/bin"

# The demo's networks (and their photos) are loopback fakes, so the worker may fetch from 127.0.0.1 here;
# a real installation leaves OTKLIK_ALLOW_PRIVATE_FETCH unset (no downloads from internal addresses).
OTKLIK_ALLOW_PRIVATE_FETCH="${OTKLIK_ALLOW_PRIVATE_FETCH:-1}" "$BIN/otklik" db_worker &
WORKER=$!
# The demo's social networks: loopback fakes speaking the real API formats (ports 8701-8705),
# and a loop that reads the demo sources from them every minute and sends approved answers.
"$BIN/otklik" fake_networks &
FAKES=$!
sleep 1
"$BIN/otklik" ingest --loop 60 --send-outbox &
INGEST=$!
# Periodic jobs (deadline sweep, Governor's post checks, surges, the monthly report) for the worker.
"$BIN/otklik" clock &
CLOCK=$!
trap 'kill $WORKER $FAKES $INGEST $CLOCK 2>/dev/null || true' EXIT INT TERM

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
  Имитаторы соцсетей (ВКонтакте, Telegram, Одноклассники, YouTube, RSS): 127.0.0.1:8701–8705
  Остановить: Ctrl-C

MSG
"$BIN/otklik" runserver "$HOST:$PORT" --noreload
