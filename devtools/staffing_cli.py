"""``hotline staffing``: agents needed for a service-level target (Erlang C, or Erlang A
with a patience), or the figures a given number of agents achieves.

    hotline staffing --calls-per-hour 120 --aht 240 --target 20 --service-level 0.8
    hotline staffing --calls-per-hour 120 --aht 240 --target 20 --service-level 0.8 \\
        --patience 120 --json
    hotline staffing --calls-per-hour 120 --aht 240 --target 20 --agents 10
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics.erlang import (
    Performance,
    Traffic,
    erlang_c_agents,
    erlang_c_performance,
)
from chalicelib.domain.metrics.erlang_a import erlang_a_agents, erlang_a_performance


def _number(minimum: float, *, inclusive: bool = True, what: str = "") -> Any:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if value < minimum or (not inclusive and value == minimum):
            bound = "at least" if inclusive else "more than"
            raise argparse.ArgumentTypeError(f"{value:g} is not valid: {what} must be "
                                             f"{bound} {minimum:g}")
        return value
    return parse


def _service_level(text: str) -> float:
    value = _number(0.0, what="the service level")(text)
    if value >= 1.0:
        raise argparse.ArgumentTypeError(
            f"{value:g} is not valid: the service level is a fraction from 0 to below 1 "
            "(0.8 for 80 %)")
    return value


def _agents(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not valid: at least 1 agent")
    return value


def register(commands: Any) -> None:
    staffing = commands.add_parser(
        "staffing", help="agents needed for a service level (Erlang C / Erlang A)",
        description="Agents needed for a service-level target with Erlang C, or with "
                    "Erlang A when callers' patience is given; --agents N shows what N "
                    "agents achieve instead.")
    staffing.add_argument("--calls-per-hour", required=True,
                          type=_number(0.0, what="calls per hour"), metavar="R")
    staffing.add_argument("--aht", required=True, metavar="SECONDS",
                          type=_number(0.0, inclusive=False, what="the AHT"),
                          help="average handle time: talk + hold + wrap-up")
    staffing.add_argument("--target", required=True, metavar="SECONDS",
                          type=_number(0.0, what="the target"),
                          help="answer-time threshold of the service level")
    staffing.add_argument("--service-level", type=_service_level, metavar="X",
                          help="share of calls to answer within the target, 0-1 (0.8)")
    staffing.add_argument("--patience", metavar="SECONDS",
                          type=_number(0.0, inclusive=False, what="the patience"),
                          help="callers' mean time to abandon: use Erlang A")
    staffing.add_argument("--agents", type=_agents, metavar="N",
                          help="show the figures for N agents instead")
    staffing.add_argument("--json", action="store_true", help="print JSON")
    staffing.set_defaults(run=run_staffing, parser=staffing)


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if math.isfinite(value) else "unbounded (the queue never empties)"


def _lines(perf: Performance, traffic: Traffic) -> list[str]:
    name = "Erlang A" if perf.model == "erlang-a" else "Erlang C"
    lines = [f"{name}: {perf.agents} agent{'s' if perf.agents != 1 else ''}",
             f"  load           {perf.load:.2f} Erlangs "
             f"({traffic.calls_per_hour:g} calls/hour x {traffic.aht_seconds:g} s)",
             f"  P(wait)        {_percent(perf.p_wait)}",
             f"  service level  {_percent(perf.service_level)} answered within "
             f"{traffic.target_seconds:g} s",
             f"  ASA            {_seconds(perf.asa_seconds)}",
             f"  occupancy      {_percent(perf.occupancy)}"]
    if perf.model == "erlang-a":
        lines.append(f"  P(abandon)     {_percent(perf.p_abandon)}")
    return lines


def run_staffing(args: argparse.Namespace) -> int:
    if args.agents is None and args.service_level is None:
        args.parser.error("give --service-level X (the target), or --agents N")
    try:
        traffic = Traffic(args.calls_per_hour, args.aht, args.target)
        if args.agents is not None:
            chosen = (erlang_a_performance(traffic, args.agents, args.patience)
                      if args.patience else erlang_c_performance(traffic, args.agents))
            erlang_c = erlang_c_performance(traffic, args.agents)
        else:
            erlang_c = erlang_c_agents(traffic, args.service_level)
            chosen = (erlang_a_agents(traffic, args.service_level, args.patience)
                      if args.patience else erlang_c)
    except InvalidInput as exc:
        print(f"hotline staffing: error: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        body: dict[str, Any] = {
            "calls_per_hour": traffic.calls_per_hour, "aht_seconds": traffic.aht_seconds,
            "target_seconds": traffic.target_seconds, "service_level_target":
            args.service_level, "patience_seconds": args.patience, **chosen.to_dict()}
        if args.patience:
            body["erlang_c"] = erlang_c.to_dict()
        print(json.dumps(body, indent=2))
        return 0
    if args.agents is None:
        print(f"Agents needed to answer {_percent(args.service_level)} of calls within "
              f"{traffic.target_seconds:g} s:")
    print("\n".join(_lines(chosen, traffic)))
    if args.patience:
        verb = "would need" if args.agents is None else "with the same agents gives"
        extra = (f"{erlang_c.agents} agents" if args.agents is None else
                 f"SL {_percent(erlang_c.service_level)}, ASA {_seconds(erlang_c.asa_seconds)}")
        print(f"(Erlang C, callers never abandoning, {verb} {extra})")
    if args.service_level is not None and args.agents is not None:
        met = chosen.service_level >= args.service_level
        print(f"target {_percent(args.service_level)}: {'met' if met else 'NOT met'}")
    return 0
