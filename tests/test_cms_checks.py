"""The editors' form (/admin/) refuses a bad value with the very message `handbook check` gives."""

from __future__ import annotations

import pytest
from jsonschema.exceptions import FormatError

from handbook.validation import FORMATS


@pytest.mark.parametrize("value", ["20261123", "2026-W48-1", "2026-11-23\n", "\uff12\uff10\uff12\uff16-11-23"])
def test_handbook_check_takes_dates_only_as_yyyy_mm_dd(value):
    with pytest.raises(FormatError) as caught:
        FORMATS.check(value, "date")
    assert str(caught.value.cause) == f'"{value}" is not a date. Write dates as "YYYY-MM-DD", for example "2026-11-23".'
    FORMATS.check("2026-11-23", "date")
