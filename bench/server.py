"""gunicorn as in production (2 sync workers on loopback), and its workers' memory from /proc."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import CACHE_DIR, ROOT_DIR

WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def forum_env(database_url: str, member_copies: bool = True) -> dict[str, str]:
    """Production configuration, except: SQL counts in a header, no rate limits, bench paths;
    ``member_copies=False``: members' own page copies off, so their pages are always rendered."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
    env.update({
        "FORUM_ENV": "production",
        "FORUM_SECRET_KEY": secrets.token_urlsafe(48),
        "FORUM_SQLALCHEMY_DATABASE_URI": database_url,
        "FORUM_QUERY_COUNT_HEADER": "true",
        "FORUM_RATELIMIT_ENABLED": "false",
        "FORUM_INSTANCE_PATH": str(CACHE_DIR / "instance"),
        "FORUM_SITE_URL": "http://127.0.0.1",
    })
    if not member_copies:
        env["FORUM_MEMBER_PAGE_CACHE_SECONDS"] = "0"
    return env


class Server:
    """One gunicorn master and its workers, started and stopped by the bench."""

    def __init__(self, name: str, app_spec: str, env: dict[str, str] | None = None,
                 port: int | None = None, extra_args: tuple[str, ...] = ()) -> None:
        self.name, self.app_spec, self.extra_args = name, app_spec, extra_args
        self.env = env or {k: v for k, v in os.environ.items() if not k.startswith("FORUM_")}
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = CACHE_DIR / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 60) -> None:
        CACHE_DIR.mkdir(exist_ok=True)
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b",
               f"127.0.0.1:{self.port}", "--error-logfile", str(self.log),
               "--no-control-socket",  # parallel benches must not share it
               *self.extra_args, self.app_spec]
        self.process = subprocess.Popen(cmd, cwd=ROOT_DIR, env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.name}) exited; see {self.log}")
            if len(self.worker_pids()) == WORKERS and self._answers():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn ({self.name}) did not answer in {timeout} s; see {self.log}")

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(self.base + "/", timeout=10).close()
        except urllib.error.HTTPError:
            return True  # an error page is an answer
        except OSError:
            return False
        return True

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return [int(p.name) for p in Path("/proc").iterdir()
                    if p.name.isdigit() and _parent_of(p) == master]

    def cpu_seconds(self) -> float:
        """User + system CPU time the workers have used so far (from /proc/<pid>/stat)."""
        ticks = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def memory(self) -> dict[int, dict[str, int]]:
        """{worker pid: {"rss_kb", "hwm_kb"}} from /proc/<pid>/status."""
        return {pid: mem for pid in self.worker_pids() if (mem := _status_memory(pid))}


def _parent_of(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _status_memory(pid: int) -> dict[str, int] | None:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    fields = {k: v for k, _, v in (line.partition(":") for line in lines)}
    try:
        return {"rss_kb": int(fields["VmRSS"].split()[0]),
                "hwm_kb": int(fields["VmHWM"].split()[0])}
    except (KeyError, ValueError):
        return None
