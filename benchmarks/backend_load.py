"""The clinic backend under concurrent starts: latency of `POST /voice-therapist/session/start`.

Two backend instances (uvicorn processes) share one throwaway PostgreSQL cluster; the project's
engine stands in for OpenAI on loopback. Each round, `--users` people with one token each send
`--per-user` starts all at once, spread over the instances; the daily cap is `--daily`, so the
answers are a mix of 200 (a key minted) and 429 (the cap). Prints the outcomes (which must hold
the cap exactly) and the latency percentiles of each kind.

    .venv/bin/python -m benchmarks.backend_load                 # 3 rounds x 50 starts
    .venv/bin/python -m benchmarks.backend_load --rounds 5 --users 20 --per-user 5
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tests.backend.load import StartResult, concurrent_starts, percentile
from tests.backend.processes import (
    BackendProcess,
    EngineInThread,
    PostgresCluster,
    backend_cli,
    base_env,
    create_users_in_process,
    postgres_bin_dir,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.backend_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--per-user", type=int, default=5)
    parser.add_argument("--daily", type=int, default=3)
    parser.add_argument("--instances", type=int, default=2)
    args = parser.parse_args(argv)
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        print("PostgreSQL is not installed (Debian: apt-get install postgresql)", file=sys.stderr)
        return 1
    cluster = PostgresCluster(bin_dir).start()
    engine = EngineInThread().start()
    work = Path(tempfile.mkdtemp(prefix="backend-load-"))
    processes: list[BackendProcess] = []
    try:
        database_url = cluster.create_database("load")
        env = base_env(database_url, engine.base_url, OPENAI_MAX_DAILY_SESSIONS=str(args.daily),
                       BACKEND_STARTS_PER_MINUTE=str(max(args.per_user, 10)))
        done = backend_cli(env, "migrate", cwd=work)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        processes = [BackendProcess(env, work).start() for _ in range(args.instances)]
        results: list[StartResult] = []
        exact = True
        for round_number in range(args.rounds):
            tokens = create_users_in_process(database_url, [f"r{round_number}u{n}" for n in range(args.users)])
            batch = asyncio.run(concurrent_starts([p.url for p in processes], tokens, args.per_user))
            granted = Counter(r.user for r in batch if r.status == 200)
            exact &= all(granted[user] == min(args.daily, args.per_user) for user in tokens)
            results += batch
        report(results, args, exact)
        return 0 if exact else 1
    finally:
        for process in processes:
            process.stop()
        engine.stop()
        cluster.stop()


def report(results: list[StartResult], args: argparse.Namespace, exact: bool) -> None:
    print(f"{len(results)} starts: {args.rounds} rounds x {args.users} users x {args.per_user} at once, "
          f"{args.instances} instances, one PostgreSQL; daily cap {args.daily}")
    for (status, code), count in sorted(Counter((r.status, r.code) for r in results).items()):
        print(f"  {status} {code or 'ok'}: {count}")
    print(f"  daily cap held exactly for every user: {'yes' if exact else 'NO'}")
    groups = {"all": results, "200 (key minted)": [r for r in results if r.status == 200],
              "429 (cap reached)": [r for r in results if r.status == 429]}
    print(f"  {'latency, ms':<20}{'p50':>8}{'p95':>8}{'max':>8}{'mean':>8}")
    for name, group in groups.items():
        if not group:
            continue
        ms = [r.seconds * 1000 for r in group]
        print(f"  {name:<20}{percentile(ms, 50):>8.0f}{percentile(ms, 95):>8.0f}{max(ms):>8.0f}"
              f"{statistics.fmean(ms):>8.0f}")


if __name__ == "__main__":
    raise SystemExit(main())
