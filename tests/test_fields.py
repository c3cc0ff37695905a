"""Field types as every output shows them."""

from __future__ import annotations

from generator.model.facts import is_year, value_parts
from generator.model.fields import Integer, Year


def test_a_year_is_shown_as_a_year_whatever_its_range():
    """A year once showed as "2,023" unless its field's range was exactly 1900-2100."""
    for ftype in (Year(), Year(minimum=1800), Year(minimum=1950, maximum=2030)):
        assert is_year(ftype)
        assert value_parts(ftype, 2023, kb=None) == ["2023"]
    assert not is_year(Integer(minimum=1900, maximum=2100))
    assert value_parts(Integer(), 2023, kb=None) == ["2,023"]


def test_a_year_reads_what_a_form_types():
    from generator.model.typed_values import parse_number_text

    year = Year()
    assert parse_number_text("2023年", integer=True, units=year.units).value == 2023
    assert (year.minimum, year.maximum) == (1900, 2100)
