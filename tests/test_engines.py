"""Study engines: a study on worker processes or on a real Ray cluster writes the same
tables as the same study run in one process, and the local engine never loads Ray."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from stance.studies import study
from stance.studies.demo import basil_rows, write_csv

ROOT = Path(__file__).resolve().parent.parent
BASIL = Path(__file__).resolve().parent / "fixtures" / "basil"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Both fixture events, three outlets each, first four paragraphs of every article."""
    return write_csv(basil_rows(BASIL, paragraphs=4), tmp_path_factory.mktemp("corpus") / "corpus.csv")


@pytest.fixture(scope="module")
def local_tables(corpus, tmp_path_factory) -> dict[str, list[str]]:
    out = tmp_path_factory.mktemp("local")
    study(corpus, out)
    return tables_of(out)


def tables_of(out: Path) -> dict[str, list[str]]:
    """Every Parquet table in ``out`` as its rows, each a canonical JSON string, sorted."""
    tables = {p.stem: pq.read_table(p).to_pylist() for p in sorted(out.glob("*.parquet"))}
    return {name: sorted(json.dumps(row, sort_keys=True, default=str) for row in rows) for name, rows in tables.items()}


def assert_same_tables(got: dict[str, list[str]], expected: dict[str, list[str]]) -> None:
    assert sorted(got) == sorted(expected)
    assert expected["mentions"], "the corpus must give scored mentions, or the comparison proves nothing"
    for name, rows in expected.items():
        assert got[name] == rows, f"table {name} differs from the local run"


def test_workers_give_the_local_tables(corpus, local_tables, tmp_path):
    study(corpus, tmp_path, engine="workers", workers=2)
    assert_same_tables(tables_of(tmp_path), local_tables)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ray_cluster():
    """A real Ray head on 127.0.0.1 with 2 CPUs, started as a user would (``ray start --head``),
    its workers importing this checkout; stopped by signalling the process this fixture started."""
    pytest.importorskip("ray")
    port = free_port()
    temp = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # short: Ray's socket paths must fit 107 bytes
    # Token authentication, as the README asks of a real cluster: the head and this driver share a secret.
    auth = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(16)}
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, **auth, "PYTHONPATH": path}
    ray = Path(sys.executable).with_name("ray")
    head = subprocess.Popen(
        [
            str(ray),
            "start",
            "--head",
            "--block",
            f"--port={port}",
            "--node-ip-address=127.0.0.1",
            "--num-cpus=2",
            "--include-dashboard=false",
            f"--temp-dir={temp}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            if head.poll() is not None:
                pytest.fail(f"ray start failed: {head.stderr.read()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("the Ray head did not listen within 60 s")
            time.sleep(0.2)
        yield address, env
    finally:
        head.terminate()  # `ray start --block` stops the processes it started on SIGTERM
        head.wait(timeout=60)
        shutil.rmtree(temp, ignore_errors=True)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def study_on_ray(corpus: Path, out: Path, cluster: tuple[str, dict[str, str]]) -> str:
    """``stance study … --engine ray --address …`` as a user runs it (the auth token is read
    when Ray loads, so the driver is a fresh process with the cluster's environment)."""
    address, env = cluster
    command = [sys.executable, "-m", "stance", "study", str(corpus), "--out", str(out), "--engine", "ray"]
    done = subprocess.run([*command, "--address", address], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def test_ray_cluster_gives_the_local_tables(corpus, local_tables, tmp_path, ray_cluster):
    study_on_ray(corpus, tmp_path, ray_cluster)
    assert_same_tables(tables_of(tmp_path), local_tables)


def test_ray_run_resumes_where_a_local_run_stopped(corpus, local_tables, tmp_path, ray_cluster):
    """One event done locally, the rest on Ray: the store joins them into the same tables."""
    first = study(corpus, tmp_path, limit=1)
    assert (first.analysed, first.events) == (1, 1)
    study_on_ray(corpus, tmp_path, ray_cluster)
    assert_same_tables(tables_of(tmp_path), local_tables)


def test_local_engine_never_imports_ray(corpus, tmp_path):
    script = (
        "import sys\n"
        "from stance.studies import study\n"
        f"study({str(corpus)!r}, {str(tmp_path)!r}, limit=1)\n"
        "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "mentions.parquet").is_file()
    assert done.stdout.strip().splitlines()[-1] == "[]"


PROBE = """
import os, time

def pid(seconds):
    time.sleep(seconds)
    return os.getpid()
"""


def test_workers_exit_when_the_driver_is_killed(tmp_path):
    """kill -9 of the driver leaves no worker behind holding its models in memory."""
    (tmp_path / "probe.py").write_text(PROBE, encoding="utf-8")
    script = (
        "import time, probe\n"
        "from stance.studies import engines\n"
        "engine = engines.get('workers', workers=2)\n"
        "for pid in engine.map_unordered(probe.pid, [2, 2]):\n"
        "    print(pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    driver = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
    try:
        pids = {int(driver.stdout.readline()) for _ in range(2)}
    finally:
        driver.kill()
        driver.wait()
    assert pids and driver.pid not in pids
    deadline = time.monotonic() + 30
    while (alive := {p for p in pids if _running(p)}) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not alive, f"worker processes {alive} outlived the killed driver"


def _running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False
