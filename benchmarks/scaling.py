"""Study throughput on one machine and on Ray: articles per minute for a fixed corpus.

The corpus is the first 20 BASIL events (by year, then triplet id), each told by three
outlets: 60 full-length articles. Each configuration runs as a fresh process, the way a
user runs ``stance study``, so each pays its own start-up (imports, model loads in every
worker, a local Ray instance) and its own store (a new output folder):

- one process (the local engine; torch uses every core);
- ``--workers N``: N processes, each with its share of the cores as torch threads;
- ``--engine ray --workers N``: a local Ray instance with N one-CPU actors.

Efficiency is the speed-up over one process divided by N (the ideal is N times one process).
CPU seconds per article (every process of the run, counted when it is reaped) say what the
work costs whatever else the machine runs; CPU seconds over wall seconds say how many cores
the run kept busy. One process already keeps more than one core busy while torch scores
(its threads use every core) but only one while spaCy parses, so N processes gain at most
N cores over the one process's average, not N times.
The load average is printed before each run: on a machine shared with other jobs the
figures say as much about the neighbours as about stance, so repeat them (``--repeat``).

    python benchmarks/scaling.py [--data ../shared/data] [--workers 2] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Events in the fixed corpus (each told by three outlets); ``--events`` takes fewer for a quick look.
EVENTS = 20
#: CPU features that decide how fast the models run (vector width, bf16, int8 dot products).
FEATURES = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_bf16", "amx_int8")

#: Runs one configuration in a fresh interpreter and prints its summary as JSON.
ONE_RUN = """
import json, sys
from stance.studies import study
s = study(sys.argv[1], sys.argv[2], engine=sys.argv[3], workers=int(sys.argv[4]) or None)
print(json.dumps({"articles": s.articles, "errors": s.errors, "seconds": s.seconds,
                  "articles_per_minute": s.articles_per_minute}))
"""

#: Times the corpus's first event with 1 and with 2 torch threads, alternating, in one
#: process with the models loaded; prints the best of each as JSON.
THREADS = """
import json, sys, time, torch
from stance.studies.corpus import read
from stance.studies.event import EventTask, run_event
task = EventTask(read(sys.argv[1])[0])
run_event(task)
best = {1: float("inf"), 2: float("inf")}
for _ in range(int(sys.argv[2])):
    for threads in best:
        torch.set_num_threads(threads)
        start = time.perf_counter()
        run_event(task)
        best[threads] = min(best[threads], time.perf_counter() - start)
print(json.dumps(best))
"""


def cpu() -> str:
    """The CPU model, core count and which of :data:`FEATURES` it has."""
    model, flags = platform.processor() or "unknown CPU", set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    except OSError:
        pass
    have = [f for f in FEATURES if f in flags] or ["none of " + ", ".join(FEATURES)]
    return f"{model}, {len(os.sched_getaffinity(0))} cores; features: {' '.join(have)}"


def write_corpus(data: Path, path: Path, events: int) -> Path:
    from stance.studies.demo import basil_rows, write_csv

    rows = basil_rows(data / "basil", events=events)
    if len(rows) != 3 * events:
        raise SystemExit(f"{data / 'basil'}: expected {3 * events} articles, found {len(rows)}")
    return write_csv(rows, path)


def run(corpus: Path, engine: str, workers: int, scratch: Path) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"{engine}-", dir=scratch))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-c", ONE_RUN, str(corpus), str(out), engine, str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{engine} ×{workers} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # CPU seconds of the run and of every process it waited for (worker processes, a local
    # Ray instance's workers when they are reaped): the cost that does not depend on the load.
    result["cpu_seconds"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return result


def thread_ratio(corpus: Path, repeats: int = 3) -> None:
    """What one process gains from its second core, and so what N processes can add.

    One process runs torch on every core but spaCy and the Python glue on one, so
    ``--workers 2`` (one thread each) can gain at most 2 × t(2 threads) / t(1 thread) over
    it. A ratio in one process, best of ``repeats``: less sensitive to neighbours than the
    wall-clock runs."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", THREADS, str(corpus), str(repeats)], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"thread timing failed:\n{done.stderr[-3000:]}")
    best = {int(k): v for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}
    gain = best[1] / best[2]
    verdict = (
        f"2 one-thread processes can gain at most {2 / gain:.2f}× over one process"
        if gain >= 1
        else "the second thread slowed it down: other jobs hold the cores, so no bound follows"
    )
    print(
        f"  one event, best of {repeats}: {best[1]:.2f} s with 1 torch thread, {best[2]:.2f} s with 2 "
        f"({gain:.2f}× from the second core); {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="folder holding basil/")
    parser.add_argument("--workers", type=int, default=2, help="processes / Ray actors to compare with one process")
    parser.add_argument("--events", type=int, default=EVENTS, help="BASIL events in the corpus (3 articles each)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray configuration")
    parser.add_argument("--no-threads", action="store_true", help="skip timing one event with 1 and 2 threads")
    parser.add_argument("--only-threads", action="store_true", help="only time one event with 1 and 2 threads")
    args = parser.parse_args()
    n = args.workers
    configs = [("one process", "local", 0), (f"--workers {n}", "workers", n)]
    if not args.no_ray:
        configs.append((f"Ray, {n} actors", "ray", n))
    with tempfile.TemporaryDirectory(prefix="stance-scaling-") as tmp:
        scratch = Path(tmp)
        corpus = write_corpus(args.data, scratch / "corpus.csv", args.events)
        print(f"study scaling: {3 * args.events} BASIL articles ({args.events} events × 3 outlets), {cpu()}")
        base: float | None = None
        for name, engine, workers in [] if args.only_threads else configs:
            speeds = []
            for attempt in range(args.repeat):
                load = os.getloadavg()[0]
                result = run(corpus, engine, workers, scratch)
                speeds.append(apm := result["articles_per_minute"])
                cpu_per_article = result["cpu_seconds"] / max(1, result["articles"])
                cores_busy = result["cpu_seconds"] / result["seconds"]
                busy = (
                    "Ray's processes not counted"  # they are the raylet's children, not ours
                    if engine == "ray"
                    else f"{cpu_per_article:.1f} CPU s/article, {cores_busy:.2f} cores busy"
                )
                line = (
                    f"  {name:16} {apm:6.1f} articles/min  ({result['articles']} articles, {result['errors']} errors, "
                    f"{result['seconds']:.0f} s, {busy}; load before {load:.1f})"
                )
                if base:
                    line += f"  speed-up {apm / base:.2f}×, efficiency {apm / base / workers:.0%} of ideal"
                print(line + (f"  [run {attempt + 1}]" if args.repeat > 1 else ""), flush=True)
            base = base or sum(speeds) / len(speeds)
        if not args.no_threads:
            thread_ratio(corpus)


if __name__ == "__main__":
    main()
