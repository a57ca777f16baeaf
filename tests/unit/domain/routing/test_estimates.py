"""Expected wait from position, recent handle times and staffed agents."""

from __future__ import annotations

from chalicelib.domain.routing.estimates import (
    DEFAULT_HANDLE_SECONDS,
    HandleTimes,
    WaitEstimate,
    average_handle_seconds,
    expected_wait_seconds,
)


def test_average_handle_time_sums_the_recent_windows() -> None:
    windows = [HandleTimes(2, 200.0), HandleTimes(2, 600.0)]

    assert average_handle_seconds(windows) == 200.0


def test_too_few_samples_fall_back_to_the_default() -> None:
    assert average_handle_seconds([HandleTimes(2, 10.0)]) == DEFAULT_HANDLE_SECONDS
    assert average_handle_seconds([], default=90.0) == 90.0


def test_expected_wait_is_position_times_handle_time_over_staffed_agents() -> None:
    assert expected_wait_seconds(position=4, average_handle=120.0, staffed=2) == 240.0
    assert expected_wait_seconds(position=1, average_handle=120.0, staffed=4) == 30.0


def test_nobody_staffed_means_no_estimate() -> None:
    assert expected_wait_seconds(position=3, average_handle=120.0, staffed=0) is None


def test_announcements_read_naturally() -> None:
    assert WaitEstimate(1, False, 20.0).announcement() == (
        "You are next in line. Your expected wait is less than a minute.")
    assert WaitEstimate(3, False, 250.0).announcement() == (
        "You are number 3 in line. Your expected wait is about 5 minutes.")
    assert WaitEstimate(51, True, None).announcement() == (
        "There are more than 50 callers ahead of you.")
