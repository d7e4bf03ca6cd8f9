"""`make bench`: speed is measured here, never in timed tests.

`python -m benchmarks` makes a throwaway database (PostgreSQL when DATABASE_URL points at it, else an SQLite
file), fills it with 2 000 projects (`benchmarks.data`), runs every registered benchmark and prints one table
with each measurement's ratio to a bare page (base.html with nothing in it).

To add a measurement, add a module to this package that registers a function:

    from benchmarks import register

    @register("PDF of the mandate", order=50)
    def mandate_pdf(ctx):
        return [ctx.time_call("mandate PDF", lambda: render_mandate(ctx.world.projects[0]), budget_ms=2000)]

`ctx.time_get(name, user, url)` times a page through django.test.Client (median and p90 over
`ctx.requests` requests, plus its query count); `ctx.time_call(name, fn)` times any function. Every module in
the package is imported before the run, so registering is all it takes.
"""

import statistics
import time
from dataclasses import dataclass, field

BENCHMARKS: list = []  # (order, name, fn(ctx) -> [Measurement])


def register(name, order=100):
    def decorator(fn):
        if all(existing is not fn for _o, _n, existing in BENCHMARKS):
            BENCHMARKS.append((order, name, fn))
            BENCHMARKS.sort(key=lambda b: b[0])
        return fn

    return decorator


@dataclass
class Measurement:
    name: str
    times_ms: list
    queries: int | None = None
    budget_ms: float | None = None
    note: str = ""
    page: bool = False  # a page a person reads (`time_get`): held to issue 17's goal unless it has a budget

    @property
    def median(self):
        return statistics.median(self.times_ms)

    @property
    def p90(self):
        ordered = sorted(self.times_ms)
        return ordered[max(0, int(round(0.9 * len(ordered))) - 1)]

    @property
    def within_budget(self):
        return None if self.budget_ms is None else self.p90 <= self.budget_ms


@dataclass
class Context:
    world: object
    requests: int = 30
    bare: Measurement | None = None
    results: list = field(default_factory=list)
    _clients: dict = field(default_factory=dict)

    def client(self, user):
        from django.test import Client

        if user.pk not in self._clients:
            client = Client()
            client.force_login(user)
            self._clients[user.pk] = client
        return self._clients[user.pk]

    def time_get(self, name, user, url, *, budget_ms=None, expect=200, n=None, warmup=2):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = self.client(user)
        for _ in range(warmup):  # warm up caches and connections
            response = client.get(url)
            if response.status_code != expect:
                raise AssertionError(f"{name}: {url} answered {response.status_code}, expected {expect}")
        times = []
        for _ in range(n or self.requests):
            start = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return Measurement(name, times, len(queries.captured_queries), budget_ms, page=True)

    def time_call(self, name, fn, *, budget_ms=None, n=None):
        fn()
        times = []
        for _ in range(n or self.requests):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        return Measurement(name, times, None, budget_ms)


GOAL_RATIO = 10  # issue 30: every page's MEDIAN at most 10× the bare page's median, or under GOAL_FLOOR_MS
GOAL_FLOOR_MS = 100
PAGE_BUDGET_MAX_MS = 300  # a budget up to this is a page's (the overview: 300 ms p90); above it, a file's (2 s p90)


def goal_ms(ctx, m):
    """A measurement's own budget (held to its p90), else issue 30's page goal (held to its median); a batch
    job without a budget (the reminder scan, the occupancy import) has none: its time is printed for
    comparison between runs."""
    if m.budget_ms is not None:
        return m.budget_ms
    return page_goal_ms(ctx, m)


def page_goal_ms(ctx, m):
    """The goal of a page's median: the larger of 10× the bare page's median in the same run and 100 ms. The
    median, not the p90, so that the goal does not grow with the machine's noise."""
    if m is ctx.bare or not m.page or ctx.bare is None:
        return None
    if m.budget_ms is not None and m.budget_ms > PAGE_BUDGET_MAX_MS:
        return None  # a file (export, feed, PDF): its budget is for the p90
    return max(GOAL_RATIO * ctx.bare.median, GOAL_FLOOR_MS)


def verdict(ctx, m) -> tuple[str, bool | None]:
    """(the goals as text, whether the measurement meets all of them; None when it has none)."""
    parts, ok = [], None
    page_goal = page_goal_ms(ctx, m)
    if page_goal is not None:
        parts.append(f"median ≤ {page_goal:.0f}")
        ok = m.median <= page_goal
    if m.budget_ms is not None:
        parts.append(f"p90 ≤ {m.budget_ms:.0f}")
        ok = (ok is not False) and m.p90 <= m.budget_ms
    return ", ".join(parts) or "–", ok


def table(ctx) -> str:
    """The results as a fixed-width table: each median and p90 with its ratio to the bare page's MEDIAN in the
    same run, and each row's verdict against its goals (a page's median ≤ max(10× bare median, 100 ms), a
    file's p90 ≤ its budget, the overview's p90 ≤ 300 ms)."""
    head = ("measurement", "n", "median ms", "p90 ms", "queries", "median/bare", "p90/bare", "goal (ms)", "verdict")
    rows = []
    bare = ctx.bare.median if ctx.bare and ctx.bare.median else None
    for m in ctx.results:
        ratio = f"{m.median / bare:.1f}" if bare else "–"
        ratio90 = f"{m.p90 / bare:.1f}" if bare else "–"
        goals, ok = verdict(ctx, m)
        rows.append(
            (m.name, str(len(m.times_ms)), f"{m.median:.1f}", f"{m.p90:.1f}",
             "–" if m.queries is None else str(m.queries), ratio, ratio90, goals,
             "–" if ok is None else ("ok" if ok else "OVER"))
        )  # fmt: skip
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]

    def line(r):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    out = [line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]
    return "\n".join(out)
