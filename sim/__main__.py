"""python -m sim --port 8001 --data-dir DIR --account-sid AC... --auth-token TOKEN
[--time-scale 1.0]: run the carrier simulator until interrupted."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading

from sim.server import start_simulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sim", description=__doc__)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data-dir", default=None,
                        help="keep accounts and numbers in DATA_DIR/sim-state.json")
    parser.add_argument("--account-sid", default=os.environ.get("TWILIO_ACCOUNT_SID"),
                        help="the master account (default: $TWILIO_ACCOUNT_SID)")
    parser.add_argument("--auth-token", default=os.environ.get("TWILIO_AUTH_TOKEN"),
                        help="its auth token (default: $TWILIO_AUTH_TOKEN)")
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="real seconds per simulated second (0.05 = 20x faster)")
    parser.add_argument("--webhook-timeout", type=float, default=None,
                        help="real seconds before a webhook counts as failed "
                             "(default: 15 x time scale, at least 2)")
    parser.add_argument("--public-url", default=None,
                        help="the simulator's own URL as the app sees it (RecordingUrl)")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    if not args.account_sid or not args.auth_token:
        parser.error("--account-sid and --auth-token are required")
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    handle = start_simulator(args.port, args.data_dir, account_sid=args.account_sid,
                             auth_token=args.auth_token, time_scale=args.time_scale,
                             host=args.host, webhook_timeout=args.webhook_timeout,
                             public_url=args.public_url)
    print(f"carrier simulator: {handle.url}  (phone: {handle.url}/phone)", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(1.0):
        pass
    handle.stop()


if __name__ == "__main__":
    main()
