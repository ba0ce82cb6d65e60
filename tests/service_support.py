"""Starting real servers for the service tests: `cec serve` in a subprocess on a free loopback port,
and a throwaway PostgreSQL (initdb + pg_ctl in a temporary folder) for the record tests."""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CEC = str(Path(sys.executable).with_name("cec"))
PG_USER = "cec_pg_test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`cec serve ARGS` on a free port; `url`, `client()`, `log()` (the JSON log lines), `stop()`."""

    def __init__(self, *args: str, env: dict | None = None, cwd: Path | None = None, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(tempfile.mkstemp(prefix="cec-serve-", suffix=".log")[1])
        command = [CEC, "serve", "--port", str(self.port), "--workers", str(workers), *args]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CEC_")} | (env or {})
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment, cwd=cwd)
        self._wait_ready(env or {})

    def _wait_ready(self, env: dict, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"cec serve exited {self.process.returncode}:\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"cec serve was not ready in {timeout} s:\n{self.log_path.read_text()}")

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)

    def log(self) -> list[dict]:
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line.startswith("{")]

    def worker_pids(self) -> list[int]:
        return next(entry["pids"] for entry in self.log() if entry["event"] == "started")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_path.unlink(missing_ok=True)


def postgres_binaries() -> Path | None:
    """Debian's server binaries (apt-get install postgresql): /usr/lib/postgresql/<version>/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class Postgres:
    """A throwaway PostgreSQL server in a temporary folder, listening on a free loopback port. initdb
    refuses to run as root, so as root it runs as a system user created for the tests."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="cec-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user = PG_USER if os.geteuid() == 0 else None
        if self.as_user:
            _ensure_user(self.as_user)
            shutil.chown(self.folder, self.as_user)
        user = self.as_user or pwd.getpwuid(os.geteuid()).pw_name
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", user, "--no-sync", "-E", "UTF8")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.folder} -c fsync=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"), "-w", "start")
        self.url = f"postgresql://{user}@127.0.0.1:{self.port}/postgres"
        self._databases = 0

    def new_database(self) -> str:
        """The URL of a new, empty database on this server."""
        import psycopg

        self._databases += 1
        name = f"cec_test_{self._databases}"
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url.rsplit("/", 1)[0] + "/" + name

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _ensure_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            check=True,
            capture_output=True,
        )
