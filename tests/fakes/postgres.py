"""A throwaway PostgreSQL cluster for tests: initdb and pg_ctl in a temp folder, on 127.0.0.1 and a free port.

initdb refuses to run as root, so as root every server command runs as the package's `postgres` user, which owns
the folder. Each test asks for a database of its own, so tests stay independent of each other.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.local_server import free_port

SERVER_USER = "postgres"
PASSWORD = "llmcompare-test"  # password auth is on, so that a wrong password is refused as in a real deployment


def bin_dir() -> Path | None:
    """The folder of initdb and pg_ctl: Debian keeps them under /usr/lib/postgresql/<major>/bin, off the PATH."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]).parent if candidates else None


def _as_server_user(args: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *args] if os.geteuid() == 0 else args


@dataclass
class Cluster:
    """A running cluster; url() names a database in it, new_database() makes a fresh one."""

    bins: Path
    folder: Path
    port: int

    def url(self, database: str = "postgres", password: str = PASSWORD, port: int | None = None) -> str:
        return f"postgresql+psycopg://{SERVER_USER}:{password}@127.0.0.1:{port or self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database; CREATE DATABASE cannot run in a transaction, hence AUTOCOMMIT."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return self.url(name)

    def _run(self, *args: str) -> None:
        subprocess.run(_as_server_user([str(self.bins / args[0]), *args[1:]]), check=True, capture_output=True)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(bins: Path) -> Cluster:
    """initdb, then pg_ctl start with fsync off (a test cluster need not survive a power cut)."""
    folder = Path(tempfile.mkdtemp(prefix="llmcompare-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, SERVER_USER, SERVER_USER)
    (folder / "pw").write_text(PASSWORD)
    if os.geteuid() == 0:
        shutil.chown(folder / "pw", SERVER_USER, SERVER_USER)
    cluster = Cluster(bins, folder, free_port())
    data = str(folder / "data")
    try:
        cluster._run("initdb", "-D", data, "-U", SERVER_USER, "--pwfile", str(folder / "pw"), "-A", "scram-sha-256")
        options = f"-h 127.0.0.1 -p {cluster.port} -k {folder} -c fsync=off -c max_connections=300"
        cluster._run("pg_ctl", "-D", data, "-o", options, "-l", str(folder / "server.log"), "-w", "start")
    except subprocess.CalledProcessError as error:
        log = folder / "server.log"
        detail = error.stderr.decode(errors="replace") + (log.read_text() if log.exists() else "")
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL test cluster did not start: {detail}") from error
    return cluster
