"""Contact-center metrics, aggregates and staffing math: pure, no I/O (docs/metrics.md)."""

from chalicelib.domain.metrics.buckets import Interval, IntervalSize, interval_of, zone
from chalicelib.domain.metrics.definitions import classify, repeat_contacts, summarize
from chalicelib.domain.metrics.records import (
    ANSWERED_ONLY,
    CONNECT,
    FLEX,
    AgentState,
    AgentStateInterval,
    InteractionRecord,
    Outcome,
    QueueSettings,
    SettingsByQueue,
    SlFormula,
    sl_formula,
)
from chalicelib.domain.metrics.summary import Summary, Totals

__all__ = [
    "ANSWERED_ONLY", "CONNECT", "FLEX", "AgentState", "AgentStateInterval",
    "InteractionRecord", "Interval", "IntervalSize", "Outcome", "QueueSettings",
    "SettingsByQueue", "SlFormula", "Summary", "Totals", "classify", "interval_of",
    "repeat_contacts", "sl_formula", "summarize", "zone",
]
