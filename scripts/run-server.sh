#!/usr/bin/env bash
# Start the web server, two task workers (the analysis and the retraining), the clock, the demo networks and the ingestion loop together. Ctrl-C or
# SIGTERM (to this script or to `make run`) stops all of them, the worker after the task it is running; when one of
# them ends by itself, the others are stopped too (a web server whose worker is gone takes work nobody does).
set -euo pipefail
HOST="${1:-127.0.0.1}"
PORT="${2:-8000}"
BIN="$(dirname "$0")/../.venv/bin"
# Letters (under var/mail in the demo) link to the cases at the address this server answers on.
export OTKLIK_SITE_URL="${OTKLIK_SITE_URL:-http://$HOST:$PORT}"

# Each process in a process group of its own: Ctrl-C reaches only this script, which asks each of them to stop
# once (the worker then finishes its task; a second Ctrl-C makes it drop the task).
set -m
pids=()
names=()
start() {
  local name=$1
  shift
  "$@" &
  pids+=($!)
  names+=("$name")
}

stopping=0 # 1: asked them to stop, waiting; 2: all stopped
stop_all() {
  [ "$stopping" = 2 ] && return
  kill -TERM "${pids[@]}" 2>/dev/null || true
  [ "$stopping" = 1 ] && return # a second Ctrl-C while waiting
  stopping=1
  wait "${pids[@]}" 2>/dev/null || true
  stopping=2
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# The demo's networks (and their photos) are loopback fakes, so the worker may fetch from 127.0.0.1 here;
# a real installation leaves OTKLIK_ALLOW_PRIVATE_FETCH unset (no downloads from internal addresses).
start db_worker env OTKLIK_ALLOW_PRIVATE_FETCH="${OTKLIK_ALLOW_PRIVATE_FETCH:-1}" "$BIN/otklik" db_worker
# The weekly retraining of the topic model on a queue of its own, so new messages are never analysed after it.
start trainer "$BIN/otklik" db_worker --queue-name training
# The demo's social networks: loopback fakes speaking the real API formats (ports 8701-8705; OTKLIK_DEMO_NETWORKS=0
# leaves them out), and a loop that reads the sources every minute and sends approved answers.
FAKES="  Имитаторы соцсетей (ВКонтакте, Telegram, Одноклассники, YouTube, RSS): 127.0.0.1:8701–8705"
if [ "${OTKLIK_DEMO_NETWORKS:-1}" != 0 ]; then
  start fake_networks "$BIN/otklik" fake_networks
  sleep 1
else
  FAKES="  Имитаторы соцсетей не запущены (OTKLIK_DEMO_NETWORKS=0)"
fi
start ingest "$BIN/otklik" ingest --loop 60 --send-outbox
# Periodic jobs (deadline sweep, Governor's post checks, surges, the monthly report) for the worker.
start clock "$BIN/otklik" clock

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
$FAKES
  Остановить: Ctrl-C

MSG
start runserver "$BIN/otklik" runserver "$HOST:$PORT" --noreload

# Wait in the shell itself (not on a foreground command), so that a signal is handled at once.
status=0
wait -n "${pids[@]}" || status=$?
for i in "${!pids[@]}"; do
  if ! kill -0 "${pids[$i]}" 2>/dev/null; then
    echo "Отклик: процесс «otklik ${names[$i]}» завершился (код $status), остальные останавливаются." >&2
  fi
done
exit "$status"
