"""The arithmetic checked against numbers computed by hand and against Student's t table."""

import math

import pytest

from surveys import stats


@pytest.mark.parametrize(
    ("df", "expected"),
    [
        (1, 12.706205),
        (4, 2.776445),
        (10, 2.228139),
        (30, 2.042272),
        (1000, 1.962339),
        (7.5, 2.333),
    ],
)
def test_t_quantile_matches_the_table(df, expected):
    assert stats.t_quantile(0.975, df) == pytest.approx(expected, abs=2e-3 if df == 7.5 else 1e-5)


def test_welch_interval_of_known_samples():
    before = [2, 3, 3, 4, 4, 4, 5]
    after = [1, 1, 2, 2, 3, 3]
    # By hand: means 25/7 and 2, sample variances 20/21 and 4/5, standard error² 20/147 + 2/15,
    # Welch–Satterthwaite df 10.93, t(0.975; 10.93) ≈ 2.2034 (between the table's 2.2281 at 10 and 2.2010 at 11).
    m1, m2, v1, v2 = 25 / 7, 2.0, 20 / 21, 4 / 5
    se2 = v1 / 7 + v2 / 6
    assert se2 == pytest.approx(20 / 147 + 2 / 15)
    df = se2**2 / ((v1 / 7) ** 2 / 6 + (v2 / 6) ** 2 / 5)
    assert df == pytest.approx(10.928, abs=0.001)
    d = stats.welch_interval(before, after)
    assert d.change == pytest.approx(m2 - m1)
    assert d.df == pytest.approx(df)
    half = stats.t_quantile(0.975, df) * math.sqrt(se2)
    assert (d.low, d.high) == pytest.approx((m2 - m1 - half, m2 - m1 + half))
    assert stats.t_quantile(0.975, df) == pytest.approx(2.2034, abs=2e-3)
    assert (d.low, d.high) == pytest.approx((-1.5714 - 1.1436, -1.5714 + 1.1436), abs=3e-3)
    assert d.clearly_down and not d.clearly_up


def test_no_interval_from_one_answer_and_none_when_nothing_varies():
    assert stats.welch_interval([3], [4, 5]) is None
    d = stats.welch_interval([3, 3], [4, 4])
    assert (d.change, d.low, d.high) == (1, 1, 1)


def test_suppression_hides_small_groups_and_one_more_when_they_could_be_worked_out():
    assert stats.suppressed_groups({"A": 10, "B": 7}, 5) == set()
    # B alone (4) could be worked out as total − A: the smallest other group is hidden too.
    assert stats.suppressed_groups({"A": 10, "B": 4, "C": 6}, 5) == {"B", "C"}
    # Two small groups adding up to 5 are enough on their own.
    assert stats.suppressed_groups({"A": 10, "B": 3, "C": 2}, 5) == {"B", "C"}
    assert stats.suppressed_groups({"A": 6, "B": 1}, 5) == {"A", "B"}
