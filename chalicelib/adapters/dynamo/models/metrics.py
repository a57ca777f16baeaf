"""Write-time metric aggregates (docs/metrics.md, "DynamoDB item")."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.base import HotlineModel


class MetricAggregateModel(HotlineModel):
    """One (interval, queue, agent, channel) aggregate: ``pk`` =
    ``{tenant}#agg#{size}#{partition}``, ``sk`` = ``{label}#{queue}#{agent}#{channel}``,
    the ``Totals`` counters as numbers. Also the markers that make agent time count once
    (``pk`` = ``{tenant}#mark#{agent}``, ``sk`` = the state's start).
    """

    class Meta:
        base_name = "metrics"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    start = NumberAttribute(null=True)
    offered = NumberAttribute(null=True)
    answered = NumberAttribute(null=True)
    abandoned = NumberAttribute(null=True)
    short_abandoned = NumberAttribute(null=True)
    ivr_abandoned = NumberAttribute(null=True)
    callbacks = NumberAttribute(null=True)
    voicemails = NumberAttribute(null=True)
    transfers = NumberAttribute(null=True)
    answered_in_sl = NumberAttribute(null=True)
    exits_in_sl = NumberAttribute(null=True)
    sl_met = NumberAttribute(null=True)
    sl_counted = NumberAttribute(null=True)
    wait_answered_ms = NumberAttribute(null=True)
    wait_max_ms = NumberAttribute(null=True)
    talk_ms = NumberAttribute(null=True)
    hold_ms = NumberAttribute(null=True)
    wrapup_ms = NumberAttribute(null=True)
    fcr_eligible = NumberAttribute(null=True)
    fcr_repeat = NumberAttribute(null=True)
    staffed_ms = NumberAttribute(null=True)
    handling_ms = NumberAttribute(null=True)
