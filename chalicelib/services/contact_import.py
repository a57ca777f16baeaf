"""CSV import of a customer list: everything checked first, then written row by row under
an import job, so a retry of the same file finishes a failed import and a re-import of a
finished one changes nothing."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.domain.contacts.csv_io import ImportRow, Rejection, parse_import
from chalicelib.domain.contacts.search import tokens_for
from chalicelib.domain.crm import Contact, contact_id_for
from chalicelib.domain.identity import Principal
from chalicelib.domain.phone import to_e164
from chalicelib.services.contacts import ContactsService, ContactsStore

REPORT_REJECTIONS_MAX = 1000  # the stored report keeps this many (an item is <= 400 KB)
BATCH = 100
WORKERS = 4  # rows are independent: checked and written this many at a time


def job_id_for(tenant_id: str, text: str) -> str:
    """The same file for the same tenant is the same job."""
    return "imp_" + hashlib.sha256(f"{tenant_id}|{text}".encode()).hexdigest()[:24]


class ContactImport:
    def __init__(self, contacts: ContactsService, store: ContactsStore,
                 clock: Callable[[], float] = time.time) -> None:
        self.contacts = contacts
        self.store = store
        self.clock = clock

    def run(self, who: Principal, text: str) -> dict[str, Any]:
        tenant_id = who.tenant_id
        job_id = job_id_for(tenant_id, text)
        key = f"import#{job_id}"
        job = self.store.get_record(tenant_id, key)
        if job and job.get("status") == "done":
            return {**job["report"], "already_imported": True}
        definitions, country = self.contacts.settings(tenant_id)
        rows, rejected = parse_import(text, definitions, lambda raw: to_e164(raw, country))
        writes, rejected = self._against_existing(tenant_id, job_id, rows, rejected)
        started = self.clock()
        self.store.put_record(tenant_id, key, {"status": "pending", "by": who.user_id,
                                               "started_at": started,
                                               "rows": len(writes)}, started)
        to_write = [row for row, existing in writes if existing is None]  # else: written
        with ThreadPoolExecutor(WORKERS) as pool:  # by an earlier attempt of this job
            list(pool.map(lambda row: self._write(tenant_id, job_id, row), to_write))
        rejected.sort(key=lambda r: r.line)
        report = {"job_id": job_id, "status": "done", "imported": len(writes),
                  "rejected_count": len(rejected),
                  "rejected": [r.to_public() for r in rejected[:REPORT_REJECTIONS_MAX]],
                  "by": who.user_id, "finished_at": self.clock()}
        self.store.put_record(tenant_id, key, {"status": "done", "report": report},
                              self.clock())
        return {**report, "already_imported": False}

    def _against_existing(self, tenant_id: str, job_id: str, rows: list[ImportRow],
                          rejected: list[Rejection]
                          ) -> tuple[list[tuple[ImportRow, Contact | None]], list[Rejection]]:
        """Rows that duplicate a contact this job did not write are rejected; the rest are
        paired with what this job already wrote (None: still to write)."""
        ids = [contact_id_for(tenant_id, r.phone) for r in rows]
        existing: dict[str, Contact] = {}
        for start in range(0, len(ids), BATCH):
            existing.update(self.store.get_contacts(tenant_id, ids[start:start + BATCH]))
        new_emails = [r.email for r, cid in zip(rows, ids, strict=True)
                      if r.email and cid not in existing]
        with ThreadPoolExecutor(WORKERS) as pool:
            taken = dict(zip(new_emails, pool.map(
                lambda email: self._email_taken(tenant_id, email, job_id), new_emails),
                strict=True))
        writes: list[tuple[ImportRow, Contact | None]] = []
        rejected = list(rejected)
        for row, contact_id in zip(rows, ids, strict=True):
            found = existing.get(contact_id)
            if found is not None and found.imported_by != job_id:
                rejected.append(Rejection(row.line, "duplicate_existing", "phone",
                                          f"{row.phone} is already contact "
                                          f"{found.merged_into or contact_id}"))
                continue
            if found is None and row.email and taken.get(row.email):
                rejected.append(Rejection(row.line, "duplicate_existing", "email",
                                          f"{row.email} is already another contact's email"))
                continue
            writes.append((row, found))
        return writes, rejected

    def _email_taken(self, tenant_id: str, email: str, job_id: str) -> bool:
        items, _ = self.store.query_index(tenant_id, f"e:{email}#", None, 5)
        if not items:
            return False
        owners = self.store.get_contacts(tenant_id, [cid for _, cid in items])
        return any(c.imported_by != job_id for c in owners.values())

    def _write(self, tenant_id: str, job_id: str, row: ImportRow) -> None:
        contact = Contact(tenant_id=tenant_id, contact_id=contact_id_for(tenant_id, row.phone),
                          phone=row.phone, name=row.name, company=row.company,
                          email=row.email, notes=row.notes, tags=row.tags,
                          fields=dict(row.fields), imported_by=job_id, version=1)
        self.store.save(contact, 0, set(), tokens_for(contact), self.clock())
