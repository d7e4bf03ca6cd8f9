"""The arithmetic of the results: means, the 95 % interval of a difference of means (Welch), and which groups
are too small to show. Plain Python (no SciPy): Student's t quantile comes from the regularised incomplete beta
function (Numerical Recipes' continued fraction) and bisection."""

import math
from dataclasses import dataclass


def mean(values):
    return sum(values) / len(values)


def variance(values):
    """The sample variance (n − 1)."""
    m = mean(values)
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


def _betacf(a, b, x):
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a, b, x):
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1 - x) / b


def t_cdf(t, df):
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2, 0.5, x)
    return 1 - tail if t > 0 else tail


def t_quantile(p, df):
    """The p-quantile of Student's t with `df` (possibly fractional) degrees of freedom, p in (0.5, 1)."""
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@dataclass(frozen=True)
class Difference:
    change: float  # after − before, in points
    low: float
    high: float
    df: float

    @property
    def clearly_down(self):
        return self.high < 0

    @property
    def clearly_up(self):
        return self.low > 0


def welch_interval(before, after, level=0.95) -> Difference | None:
    """The change in the mean from `before` to `after` with its `level` interval (Welch's t, unequal variances);
    None when either side has fewer than two values."""
    n1, n2 = len(before), len(after)
    if n1 < 2 or n2 < 2:
        return None
    v1, v2 = variance(before) / n1, variance(after) / n2
    change = mean(after) - mean(before)
    se2 = v1 + v2
    if se2 == 0:
        return Difference(change, change, change, float(n1 + n2 - 2))
    df = se2**2 / ((v1**2) / (n1 - 1) + (v2**2) / (n2 - 1))
    half = t_quantile(1 - (1 - level) / 2, df) * math.sqrt(se2)
    return Difference(change, change - half, change + half, df)


def suppressed_groups(counts: dict, minimum: int) -> set:
    """The groups whose figures may not be shown: those under `minimum`, and as many more (the smallest first)
    as it takes for the hidden groups to add up to `minimum` at least — so that no small group can be worked out
    as the total minus the groups shown. Hiding every group is allowed."""
    hidden = {g for g, n in counts.items() if n < minimum}
    if not hidden:
        return hidden
    shown = sorted((n, str(g), g) for g, n in counts.items() if g not in hidden)
    while shown and sum(counts[g] for g in hidden) < minimum:
        hidden.add(shown.pop(0)[2])
    return hidden
