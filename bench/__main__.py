"""`make bench`: runs every bench/bench_*.py module's run() and prints one line per figure,
`BENCH <name> <value> <unit>`. Each module measures against a floor (raw SQL or a raw library
call) in the same run and prints the ratio. Benchmarks use their own database files, never
db.sqlite3, and PostgreSQL at BENCH_PG_URL when it answers."""

import importlib
import os
import pkgutil
import sys
import time

import bench


def main(argv: list[str]) -> int:
    only = set(argv)
    print(f"BENCH cpu_cores {os.cpu_count()} cores", flush=True)
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda i: i.name):
        if not info.name.startswith("bench_"):
            continue
        if only and info.name.removeprefix("bench_") not in only:
            continue
        module = importlib.import_module(f"bench.{info.name}")
        started = time.perf_counter()
        module.run()
        print(f"# {info.name} took {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
