"""python -m benchmarks [--projects 2000] [--requests 30] [--only NAME] [--keep DBNAME]"""

import argparse
import importlib
import os
import pkgutil
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--projects", type=int, default=2000, help="projects in the throwaway database")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--only", default="", help="run only benchmarks whose name contains one of these (a,b)")
    parser.add_argument(
        "--keep", default="", metavar="DBNAME",
        help="build the data into this database once and keep it (reused, not rebuilt, on the next run)",
    )  # fmt: skip
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    from benchmarks.database import kept_database, throwaway_database

    reuse = False
    database = kept_database(args.keep) if args.keep else throwaway_database()
    with database as description:
        if args.keep:
            description, reuse = description
        import django

        django.setup()
        import benchmarks
        from benchmarks import Context, data, table

        for module in pkgutil.iter_modules(benchmarks.__path__):
            if module.name not in ("__main__", "database"):
                importlib.import_module(f"benchmarks.{module.name}")

        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.ROOT_URLCONF = "benchmarks.urls"
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"Database: {description}; migrated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        world = data.existing() if reuse else None
        if world is None:
            world = data.build(projects=args.projects)
            print(f"Data: {world.summary()} in {time.perf_counter() - started:.1f} s")
        else:
            print(f"Data: {world.summary()} (kept from an earlier run)")

        started = time.perf_counter()
        data.prepare(world)
        print(f"Prepared (HR, the history rows, the demo projects) in {time.perf_counter() - started:.1f} s")
        ctx = Context(world=world, requests=args.requests)
        load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        for _order, name, fn in benchmarks.BENCHMARKS:
            if args.only and name != "bare page" and not any(part in name for part in args.only.split(",")):
                continue
            started = time.perf_counter()
            measured = fn(ctx)
            ctx.results.extend(measured)
            print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)
            if measured and ctx.bare is not None:  # the rows at once, so a long run shows what it has measured
                print(table(replace(ctx, results=measured)), flush=True)
        print()
        print(f"Load average (1, 5, 15 min) before the timings: {load_before}")
        print(f"Load average (1, 5, 15 min) after the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if ctx.bare:
            goal = max(benchmarks.GOAL_RATIO * ctx.bare.median, benchmarks.GOAL_FLOOR_MS)
            print(f"Bare page median {ctx.bare.median:.1f} ms: a page's median must be ≤ {goal:.0f} ms")
        print(table(ctx))
        over = [m.name for m in ctx.results if benchmarks.verdict(ctx, m)[1] is False]
        print("\nVerdict: " + ("every row within its goal" if not over else "OVER: " + ", ".join(over)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
