"""All of the simulator's state, behind one lock.

Every read and write of a record happens with `store.lock` held; the lock is never held
across an HTTP request. Threads wait for changes on `store.changed` (a condition on the same
lock), and every writer calls `store.notify()` after a change.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sim.ids import new_sid
from sim.model import (
    Account,
    ApiKey,
    Application,
    Call,
    Conference,
    Device,
    Message,
    PhoneNumber,
    Queue,
    Recording,
    RemoteParty,
)

log = logging.getLogger("sim.store")

STATE_FILE = "sim-state.json"
CHANNEL_PREFIXES = ("whatsapp:", "sms:", "messenger:")


def bare_address(address: str) -> str:
    """'whatsapp:+15551234567' -> '+15551234567'; other addresses unchanged."""
    for prefix in CHANNEL_PREFIXES:
        if address.startswith(prefix):
            return address[len(prefix):]
    return address


class Store:
    def __init__(self, data_dir: str | os.PathLike[str] | None = None) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.accounts: dict[str, Account] = {}
        self.numbers: dict[str, PhoneNumber] = {}
        self.calls: dict[str, Call] = {}
        self.queues: dict[str, Queue] = {}
        self.conferences: dict[str, Conference] = {}
        self.messages: dict[str, Message] = {}
        self.recordings: dict[str, Recording] = {}
        self.keys: dict[str, ApiKey] = {}
        self.applications: dict[str, Application] = {}
        self.devices: dict[str, Device] = {}
        self.caller_ids: dict[str, set[str]] = {}  # verified caller IDs by account
        self.remote_parties: dict[str, RemoteParty] = {}  # by E.164 number
        self._bridge_ids = 0
        self._path = Path(data_dir) / STATE_FILE if data_dir else None
        self._save_lock = threading.Lock()

    def notify(self) -> None:
        with self.lock:
            self.changed.notify_all()

    def next_bridge_id(self) -> int:
        with self.lock:
            self._bridge_ids += 1
            return self._bridge_ids

    # -- lookups (call with the lock held) ---------------------------------------------------
    def number_for(self, address: str) -> PhoneNumber | None:
        wanted = bare_address(address)
        for number in self.numbers.values():
            if number.phone_number == wanted:
                return number
        return None

    def account_numbers(self, account_sid: str) -> list[PhoneNumber]:
        return [n for n in self.numbers.values() if n.account_sid == account_sid]

    def queue_named(self, account_sid: str, name: str) -> Queue | None:
        for queue in self.queues.values():
            if queue.account_sid == account_sid and queue.friendly_name == name:
                return queue
        return None

    def devices_for(self, account_sid: str, address: str) -> list[Device]:
        """The registered devices a `client:IDENTITY` leg of this account rings."""
        identity = address.removeprefix("client:")
        return [d for d in self.devices.values()
                if d.account_sid == account_sid and d.identity == identity]

    def get_or_create_queue(self, account_sid: str, name: str) -> Queue:
        queue = self.queue_named(account_sid, name)
        if queue is None:
            queue = Queue(sid=new_sid("QU"), account_sid=account_sid, friendly_name=name)
            self.queues[queue.sid] = queue
        return queue

    def live_conference(self, account_sid: str, name: str) -> Conference | None:
        for conf in self.conferences.values():
            if (conf.account_sid == account_sid and conf.friendly_name == name
                    and conf.status != "completed"):
                return conf
        return None

    def get_or_create_conference(self, account_sid: str, name: str) -> Conference:
        conf = self.live_conference(account_sid, name)
        if conf is None:
            conf = Conference(sid=new_sid("CF"), account_sid=account_sid, friendly_name=name)
            self.conferences[conf.sid] = conf
        return conf

    # -- persistence of accounts, numbers, API keys and TwiML Apps ---------------------------
    def load(self) -> None:
        if self._path is None or not self._path.exists():
            return
        try:
            data = json.loads(self._path.read_text())
        except (OSError, ValueError) as exc:
            log.error("cannot read %s, starting empty: %s", self._path, exc)
            return
        with self.lock:
            for item in data.get("accounts", []):
                account = Account(**item)
                self.accounts[account.sid] = account
            for item in data.get("numbers", []):
                number = PhoneNumber(**item)
                self.numbers[number.sid] = number
            for item in data.get("keys", []):
                key = ApiKey(**item)
                self.keys[key.sid] = key
            for sid, numbers in data.get("caller_ids", {}).items():
                self.caller_ids[sid] = set(numbers)
            for item in data.get("applications", []):
                application = Application(**item)
                self.applications[application.sid] = application

    def save(self) -> None:
        """Write accounts, numbers, API keys and TwiML Apps to DATA_DIR/sim-state.json."""
        if self._path is None:
            return
        with self.lock:
            snapshot: dict[str, Any] = {
                "accounts": [asdict(a) for a in self.accounts.values()],
                "numbers": [asdict(n) for n in self.numbers.values()],
                "keys": [asdict(k) for k in self.keys.values()],
                "applications": [asdict(a) for a in self.applications.values()],
                "caller_ids": {sid: sorted(n) for sid, n in self.caller_ids.items()},
            }
        with self._save_lock:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_suffix(".tmp")
            tmp.write_text(json.dumps(snapshot, indent=2, sort_keys=True))
            os.replace(tmp, self._path)
