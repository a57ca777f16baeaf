"""An owner's weekly hours: each day's spans run forwards and never overlap."""

from __future__ import annotations

from datetime import time

import pytest

from chalicelib.domain.flows.hours import HoursInvalid
from chalicelib.domain.opening_hours import day_spans


def test_spans_are_sorted_and_may_touch_and_end_at_midnight() -> None:
    spans = day_spans("mon", [["13:00", "24:00"], "09:00-13:00"])
    assert spans == [(time(9), time(13)), (time(13), time.max)]


@pytest.mark.parametrize(("spans", "words"), [
    ([["17:00", "09:00"]], "Monday: 17:00-09:00 ends before it starts"),
    ([["22:00", "00:00"]], "end at 24:00 and go on the next day"),
    ([["09:00", "12:00"], ["11:59", "13:00"]], "Monday: 09:00-12:00 and 11:59-13:00 overlap"),
    ([["09:00", "17:00"], ["10:00", "11:00"]], "09:00-17:00 and 10:00-11:00 overlap"),
    ([["24:00", "24:00"]], "Monday: a span cannot start at 24:00"),
    (["nine to five"], "Monday: 'nine to five' is not a range"),
])
def test_a_day_that_overlaps_or_runs_backwards_is_refused_by_name(spans: list, words: str) -> None:
    with pytest.raises(HoursInvalid) as caught:
        day_spans("mon", spans)
    assert words in str(caught.value)
