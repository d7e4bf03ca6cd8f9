"""`make bench`: speed is measured here, never in timed tests.

Each benchmark module registers with BENCHMARKS; later issues add the dashboard and PDF budgets.
"""

import sys

BENCHMARKS: list = []


def main() -> int:
    if not BENCHMARKS:
        print("No benchmarks yet: the dashboard and PDF budgets arrive with the issues that build them.")
        return 0
    for bench in BENCHMARKS:
        bench()
    return 0


if __name__ == "__main__":
    sys.exit(main())
