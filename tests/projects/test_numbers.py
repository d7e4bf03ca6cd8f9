"""Numbers as Norwegians write them (issue 24): a decimal field takes "51,5" and "51.5" in every language of the
interface and shows 51,5; a difference of percentages is in percentage points with a real minus sign."""

from decimal import Decimal

import pytest
from django.utils import translation

from projects.forms import DecimalField
from projects.templatetags.project_tags import difference, number


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize(
    ("typed", "value"),
    [("51,5", "51.5"), ("51.5", "51.5"), (" 6,8 ", "6.8"), ("1 234,5", "1234.5"), ("\u22122,5", "-2.5"), ("7", "7")],
)
def test_a_decimal_is_read_with_a_comma_or_a_point(language, typed, value):
    with translation.override(language):
        assert DecimalField(max_digits=10, decimal_places=2).clean(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["51,5,1", "1.234,5", "NaN", "Infinity", "abc", "5e3000"])
def test_what_is_not_a_number_is_an_error_at_the_field(typed):
    from django.core.exceptions import ValidationError

    with translation.override("nb"), pytest.raises(ValidationError) as exc:
        DecimalField(max_digits=10, decimal_places=2).clean(typed)
    assert exc.value.messages == ["Oppgi et tall."]


def test_a_decimal_is_shown_with_a_comma_in_norwegian_and_without_trailing_zeros():
    field = DecimalField(max_digits=10, decimal_places=2)
    with translation.override("nb"):
        assert field.prepare_value(Decimal("51.50")) == "51,5"
        assert field.prepare_value(Decimal("100.00")) == "100"
        html = field.widget.render(
            "before", field.prepare_value(Decimal("6.80")), attrs=field.widget_attrs(field.widget)
        )
    assert 'value="6,8"' in html and 'inputmode="decimal"' in html and 'type="text"' in html
    assert 'type="number"' not in html and "step" not in html
    with translation.override("en"):
        assert field.prepare_value(Decimal("51.50")) == "51.5"


def test_a_difference_of_percentages_is_in_percentage_points_with_a_real_minus():
    with translation.override("nb"):
        assert difference(Decimal("13"), "%") == "+13 prosentpoeng"
        assert difference(Decimal("-0.8"), "%") == "\u22120,8 prosentpoeng"
        assert difference(Decimal("-443"), "dager") == "\u2212443 dager"
        assert difference(Decimal("0"), "%") == "0 prosentpoeng"
        assert number(Decimal("51.50")) == "51,5"
    with translation.override("nn"):
        assert difference(Decimal("13"), "%") == "+13 prosentpoeng"
    with translation.override("en"):
        assert difference(Decimal("1.25"), "%") == "+1.25 percentage points"
