"""`make run`'s processes (scripts/run-server.sh) stop together: SIGTERM to the script, as `kill`, a service
manager or `make` itself sends it, stops the web server, both workers, the clock and the ingestion loop, and leaves
no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OTKLIK = str(Path(sys.executable).with_name("otklik"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid``, from /proc."""
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for_port(port: int, script: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        assert script.poll() is None, "run-server.sh ended by itself"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the web server did not open port {port}")


def test_sigterm_to_run_server_stops_every_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # Its own var/ and database; no demo networks (their ports are fixed, and another `make run` may hold them).
    env.update(OTKLIK_VAR_DIR=str(tmp_path), OTKLIK_DEMO_NETWORKS="0", LOG_LEVEL="WARNING")
    subprocess.run([OTKLIK, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)
    port = free_port()
    script = subprocess.Popen(
        ["scripts/run-server.sh", "127.0.0.1", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    started: set[int] = set()
    try:
        wait_for_port(port, script)
        started = children(script.pid)
        assert len(started) == 5  # web server, worker, training worker, ingestion loop, clock

        script.send_signal(signal.SIGTERM)
        assert script.wait(timeout=120) == 128 + signal.SIGTERM
        assert not [pid for pid in started if alive(pid)]
    finally:
        for pid in {*started, *children(script.pid)}:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if script.poll() is None:
            script.kill()
            script.wait()
