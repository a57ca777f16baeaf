"""A hand-computed day of one queue: 20 interactions with known waits and outcomes.

Every figure asserted below is worked out by hand in the comments, from this table
(queue "support": threshold 20 s, short abandons under 5 s, FCR window 24 h):

  id   chan  agent contact local  outcome          wait  talk hold wrap  handle
  i01  voice a1    c1      09:00  answered           5   200    0   30    230
  i02  voice a1    c2      09:05  answered          15   150   20   30    200
  i03  voice a2    c3      09:10  answered          25   300    0   60    360
  i04  voice -     c4      09:12  abandoned-queue    3   (short abandon: 3 < 5)
  i05  voice -     c5      09:14  abandoned-queue   40
  i06  voice a2    c6      09:20  answered          10   100    0   20    120
  i07  voice -     c7      09:22  abandoned-ivr      -   (never reached the queue)
  i08  voice a1    c1      09:30  answered          20   120    0   30    150
  i09  voice -     c8      09:35  abandoned-queue   12
  i10  voice -     c9      09:40  callback          60
  i11  voice -     c10     09:45  voicemail         30
  i12  voice a2    c11     09:50  transferred        8    90   30    0    120
  i13  sms   a3    c12     10:00  answered          45   240    0   60    300
  i14  voice -     c13     10:05  abandoned-queue  4.9   (short abandon: 4.9 < 5)
  i15  voice a1    c14     10:10  answered           0   180    0   30    210
  i16  voice a3    c2      10:15  answered          30    60    0    0     60
  i17  voice -     c15     10:20  abandoned-queue    5   (NOT short: 5 is not under 5)
  i18  chat  a3    c16     10:30  answered          18   300    0   30    330
  i19  voice -     c17     10:40  abandoned-ivr      -
  i20  voice a2    c18     10:50  answered          22   200   10   20    230
"""

from __future__ import annotations

from datetime import datetime

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics import aggregates
from chalicelib.domain.metrics.buckets import IntervalSize, interval_of, zone
from chalicelib.domain.metrics.definitions import repeat_contacts, summarize
from chalicelib.domain.metrics.records import (
    ANSWERED_ONLY,
    CONNECT,
    AgentStateInterval,
    InteractionRecord,
    QueueSettings,
    SettingsByQueue,
    sl_formula,
)
from chalicelib.domain.metrics.summary import Summary

TZ = zone("America/New_York")
DAY = 24 * 3600.0


def at(hhmm: str) -> float:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2026, 3, 10, hours, minutes, tzinfo=TZ).timestamp()


def rec(iid: str, channel: str, agent: str | None, contact: str, hhmm: str, outcome: str,
        wait: float = 0.0, talk: float = 0.0, hold: float = 0.0, wrap: float = 0.0,
        ) -> InteractionRecord:
    offered = at(hhmm)
    queue = None if outcome == "abandoned-ivr" else "support"
    answered = outcome in ("answered", "transferred")
    return InteractionRecord(
        interaction_id=iid, channel=channel, queue=queue, agent=agent, contact_key=contact,
        offered_at=offered, outcome=outcome,  # type: ignore[arg-type]
        answered_at=offered + wait if answered else None,
        ended_at=offered + wait + talk + hold, wait_seconds=wait, talk_seconds=talk,
        hold_seconds=hold, wrapup_seconds=wrap)


DAY_OF_CONTACTS = [
    rec("i01", "voice", "a1", "c1", "09:00", "answered", 5, 200, 0, 30),
    rec("i02", "voice", "a1", "c2", "09:05", "answered", 15, 150, 20, 30),
    rec("i03", "voice", "a2", "c3", "09:10", "answered", 25, 300, 0, 60),
    rec("i04", "voice", None, "c4", "09:12", "abandoned-queue", 3),
    rec("i05", "voice", None, "c5", "09:14", "abandoned-queue", 40),
    rec("i06", "voice", "a2", "c6", "09:20", "answered", 10, 100, 0, 20),
    rec("i07", "voice", None, "c7", "09:22", "abandoned-ivr"),
    rec("i08", "voice", "a1", "c1", "09:30", "answered", 20, 120, 0, 30),
    rec("i09", "voice", None, "c8", "09:35", "abandoned-queue", 12),
    rec("i10", "voice", None, "c9", "09:40", "callback", 60),
    rec("i11", "voice", None, "c10", "09:45", "voicemail", 30),
    rec("i12", "voice", "a2", "c11", "09:50", "transferred", 8, 90, 30, 0),
    rec("i13", "sms", "a3", "c12", "10:00", "answered", 45, 240, 0, 60),
    rec("i14", "voice", None, "c13", "10:05", "abandoned-queue", 4.9),
    rec("i15", "voice", "a1", "c14", "10:10", "answered", 0, 180, 0, 30),
    rec("i16", "voice", "a3", "c2", "10:15", "answered", 30, 60, 0, 0),
    rec("i17", "voice", None, "c15", "10:20", "abandoned-queue", 5),
    rec("i18", "chat", "a3", "c16", "10:30", "answered", 18, 300, 0, 30),
    rec("i19", "voice", None, "c17", "10:40", "abandoned-ivr"),
    rec("i20", "voice", "a2", "c18", "10:50", "answered", 22, 200, 10, 20),
]

# Agent time (a3 logged no state in this scenario):
#   a1: available 09:00-09:30 (1800 s), busy 09:30-09:45 (900), wrap-up 09:45-09:50 (300),
#       available 09:50-11:00 (4200), on a break 11:00-11:15 (not staffed)
#   a2: busy 09:00-10:00 (3600), available 10:00-11:00 (3600)
# staffed = 1800 + 900 + 300 + 4200 + 3600 + 3600 = 14400 s; handling = 900 + 300 + 3600
# = 4800 s; occupancy = 4800 / 14400 = 1/3.
AGENT_TIME = [
    AgentStateInterval("a1", "available", at("09:00"), at("09:30")),  # type: ignore[arg-type]
    AgentStateInterval("a1", "busy", at("09:30"), at("09:45")),  # type: ignore[arg-type]
    AgentStateInterval("a1", "wrapup", at("09:45"), at("09:50")),  # type: ignore[arg-type]
    AgentStateInterval("a1", "available", at("09:50"), at("11:00")),  # type: ignore[arg-type]
    AgentStateInterval("a1", "unavailable", at("11:00"), at("11:15")),  # type: ignore[arg-type]
    AgentStateInterval("a2", "busy", at("09:00"), at("10:00")),  # type: ignore[arg-type]
    AgentStateInterval("a2", "available", at("10:00"), at("11:00")),  # type: ignore[arg-type]
]

DEFAULTS = SettingsByQueue()  # Flex-style, 20 s threshold, 5 s short abandons


def day_summary(settings: SettingsByQueue = DEFAULTS) -> Summary:
    repeated = repeat_contacts(DAY_OF_CONTACTS, DAY)
    return summarize(DAY_OF_CONTACTS, settings, repeated, AGENT_TIME)


def test_counts_exclude_short_abandons_and_ivr_abandons_from_offered():
    summary = day_summary()

    # IVR abandons: i07, i19 -> 2. Short abandons: i04 (3 s), i14 (4.9 s) -> 2; i17 (5 s)
    # is not short. Offered = 20 - 2 - 2 = 16.
    assert summary.ivr_abandoned == 2
    assert summary.short_abandoned == 2
    assert summary.offered == 16
    # Answered: i01 i02 i03 i06 i08 i13 i15 i16 i18 i20 (10) + transferred i12 -> 11.
    assert summary.answered == 11
    # Abandoned in queue, not short: i05 (40), i09 (12), i17 (5) -> 3.
    assert summary.abandoned == 3
    # Callback i10, voicemail i11; 11 + 3 + 1 + 1 = 16 = offered.
    assert (summary.callbacks, summary.voicemails) == (1, 1)
    assert summary.transfers == 1
    # Abandon rate = 3 / 16.
    assert summary.abandon_rate == pytest.approx(3 / 16)


def test_service_level_flex_style_counts_abandons_against_it():
    # Answered within 20 s: i01 5, i02 15, i06 10, i08 20 (<= 20 counts), i12 8, i15 0,
    # i18 18 -> 7 (i03 25, i13 45, i16 30, i20 22 are late). Flex: 7 / offered 16.
    assert day_summary().service_level == pytest.approx(7 / 16)  # 0.4375


def test_service_level_connect_style_counts_early_exits_as_met():
    # Connect: contacts removed from the queue within 20 s / contacts queued. Adds the
    # exits within 20 s: i09 abandoned at 12 s, i17 at 5 s (i05 40, i10 60, i11 30 are
    # late) -> (7 + 2) / 16.
    settings = SettingsByQueue({"support": QueueSettings(formula=CONNECT)})
    assert day_summary(settings).service_level == pytest.approx(9 / 16)  # 0.5625


def test_service_level_answered_only_ignores_abandons():
    settings = SettingsByQueue({"support": QueueSettings(formula=ANSWERED_ONLY)})
    assert day_summary(settings).service_level == pytest.approx(7 / 11)


def test_a_longer_threshold_and_short_abandon_setting_change_the_figures():
    # Threshold 30 s: answered within adds i03 25, i16 30, i20 22 -> 10 / 16. Short
    # abandons under 6 s: i17 (5 s) becomes short too -> offered 15, abandoned 2.
    settings = SettingsByQueue({"support": QueueSettings(sl_threshold_seconds=30,
                                                         short_abandon_seconds=6)})
    summary = day_summary(settings)
    assert (summary.offered, summary.abandoned, summary.short_abandoned) == (15, 2, 3)
    assert summary.service_level == pytest.approx(10 / 15)


def test_asa_aht_and_longest_wait():
    summary = day_summary()
    # ASA = (5+15+25+10+20+8+45+0+30+18+22) / 11 = 198 / 11 = 18.0 s
    assert summary.asa_seconds == pytest.approx(18.0)
    # AHT = (230+200+360+120+150+120+300+210+60+330+230) / 11 = 2310 / 11 = 210.0 s
    assert summary.aht_seconds == pytest.approx(210.0)
    # Longest wait of an offered contact: the callback i10 waited 60 s.
    assert summary.longest_wait_seconds == pytest.approx(60.0)


def test_fcr_counts_answered_contacts_whose_customer_did_not_come_back_within_a_day():
    # c1 called at 09:00 (i01) and again at 09:30 (i08): i01 is not resolved.
    # c2 called at 09:05 (i02) and again at 10:15 (i16): i02 is not resolved.
    # FCR = (11 - 2) / 11.
    assert repeat_contacts(DAY_OF_CONTACTS, DAY) == {"i01", "i02"}
    assert day_summary().fcr == pytest.approx(9 / 11)
    # With a 20-minute window neither comes back in time (i08 is 30 min after i01, i16
    # 70 min after i02).
    assert repeat_contacts(DAY_OF_CONTACTS, 20 * 60) == set()


def test_occupancy_is_handling_over_staffed_time():
    assert day_summary().occupancy == pytest.approx(1 / 3)


def test_hourly_intervals_split_the_day():
    # 09:00 hour: i01-i12. IVR i07, short i04; offered 10; answered i01 i02 i03 i06 i08
    # i12 = 6; abandoned i05 i09 = 2; callback + voicemail 2. Within 20 s: i01 i02 i06 i08
    # i12 = 5 -> SL 5/10.
    # 10:00 hour: i13-i20. IVR i19, short i14; offered 6; answered i13 i15 i16 i18 i20 =
    # 5; abandoned i17 = 1. Within 20 s: i15 i18 = 2 -> SL 2/6.
    built = aggregates.build(DAY_OF_CONTACTS, DEFAULTS, TZ,
                             repeat_contacts(DAY_OF_CONTACTS, DAY), AGENT_TIME)
    nine = interval_of(at("09:00"), IntervalSize.HOUR, TZ)
    ten = interval_of(at("10:00"), IntervalSize.HOUR, TZ)
    first = Summary.of(aggregates.report(built, [nine]))
    second = Summary.of(aggregates.report(built, [ten]))
    assert (first.offered, first.answered, first.abandoned) == (10, 6, 2)
    assert first.service_level == pytest.approx(5 / 10)
    assert (second.offered, second.answered, second.abandoned) == (6, 5, 1)
    assert second.service_level == pytest.approx(2 / 6)
    assert nine.label == "2026-03-10T09:00-04:00"


def test_the_day_from_aggregates_equals_the_day_from_raw_interactions():
    built = aggregates.build(DAY_OF_CONTACTS, DEFAULTS, TZ,
                             repeat_contacts(DAY_OF_CONTACTS, DAY), AGENT_TIME)
    day = interval_of(at("09:00"), IntervalSize.DAY, TZ)
    assert Summary.of(aggregates.report(built, [day])) == day_summary()


def test_filters_by_agent_and_channel():
    built = aggregates.build(DAY_OF_CONTACTS, DEFAULTS, TZ,
                             repeat_contacts(DAY_OF_CONTACTS, DAY), AGENT_TIME)
    day = [interval_of(at("09:00"), IntervalSize.DAY, TZ)]
    # a1 answered i01 (5 s), i02 (15), i08 (20), i15 (0): ASA 40/4 = 10 s;
    # handle 230+200+150+210 = 790 -> AHT 197.5 s; a1's occupancy (900+300)/7200 = 1/6.
    a1 = Summary.of(aggregates.report(built, day, aggregates.Filter(agent="a1")))
    assert a1.answered == 4
    assert a1.asa_seconds == pytest.approx(10.0)
    assert a1.aht_seconds == pytest.approx(197.5)
    assert a1.occupancy == pytest.approx(1 / 6)
    # SMS: only i13 (45 s wait, answered late): SL 0/1.
    sms = Summary.of(aggregates.report(built, day, aggregates.Filter(channel="sms")))
    assert (sms.offered, sms.answered, sms.service_level) == (1, 1, 0.0)


@pytest.mark.parametrize(("build", "path"), [
    (lambda: rec("x", "voice", None, "c", "09:00", "abandoned-queue", -1), "wait_seconds"),
    (lambda: InteractionRecord("x", "voice", "q", "a", "c", 0.0, "answered"),  # type: ignore[arg-type]
     "answered_at"),
    (lambda: QueueSettings(sl_target=80), "sl_target"),
    (lambda: QueueSettings(sl_threshold_seconds=-1), "sl_threshold_seconds"),
    (lambda: QueueSettings(short_abandon_seconds=-1), "short_abandon_seconds"),
    (lambda: AgentStateInterval("a1", "busy", 10.0, 5.0), "end"),  # type: ignore[arg-type]
])
def test_bad_records_and_settings_name_the_field(build, path):
    with pytest.raises(InvalidInput) as raised:
        build()
    assert raised.value.path == path


def test_sl_formulas_are_chosen_by_name():
    assert sl_formula("connect") is CONNECT
    with pytest.raises(InvalidInput) as raised:
        sl_formula("genesys")
    assert raised.value.path == "sl_formula"


def test_a_breach_is_a_service_level_below_the_queue_target():
    summary = day_summary()  # 7/16 = 43.75 %
    assert summary.breaches(0.8)
    assert not summary.breaches(0.4)
    assert not Summary.of(aggregates.report({}, [])).breaches(0.8)  # nothing offered
