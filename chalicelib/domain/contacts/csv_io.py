"""CSV in and out: an existing customer list checked row by row, and contacts exported."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from chalicelib.domain.contacts.fields import FieldDef, coerce_value
from chalicelib.domain.contacts.search import normalise_email, normalise_tags
from chalicelib.domain.crm import Contact
from chalicelib.domain.errors import InvalidInput

MAX_ROWS = 2000  # a longer list is split; a request cut short is finished by re-sending it
MAX_BYTES = 1024 * 1024
_ALIASES = {"phone": "phone", "number": "phone", "phone number": "phone", "mobile": "phone",
            "telephone": "phone", "name": "name", "full name": "name", "company": "company",
            "organisation": "company", "organization": "company", "email": "email",
            "e-mail": "email", "email address": "email", "tags": "tags", "notes": "notes",
            "id": "id"}  # an export's id column is read back and ignored
STANDARD = ("phone", "name", "company", "email", "tags", "notes")


@dataclass(frozen=True)
class ImportRow:
    line: int  # as a spreadsheet numbers it: the header is line 1
    phone: str
    name: str | None = None
    company: str | None = None
    email: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    fields: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str  # bad_number | bad_email | bad_field | duplicate_in_file | duplicate_existing
    column: str
    message: str

    def to_public(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason, "column": self.column,
                "message": self.message}


def _columns(header: list[str], definitions: list[FieldDef]) -> list[str]:
    by_label = {fold_header(d.label): d.name for d in definitions}
    by_label.update({d.name: d.name for d in definitions})
    names = []
    for raw in header:
        key = fold_header(raw)
        name = _ALIASES.get(key) or by_label.get(key) or by_label.get(key.replace(" ", "_"))
        if name is None:
            raise InvalidInput(f"column {raw!r} is neither a contact detail nor one of this "
                               "business's contact fields", path="csv")
        if name in names:
            raise InvalidInput(f"column {raw!r} appears twice", path="csv")
        names.append(name)
    if "phone" not in names:
        raise InvalidInput("the CSV needs a phone column", path="csv")
    return names


def fold_header(raw: str) -> str:
    return " ".join(raw.strip().lstrip("\ufeff").lower().split())


def parse_import(text: str, definitions: list[FieldDef], to_e164: Callable[[str], str]
                 ) -> tuple[list[ImportRow], list[Rejection]]:
    """Every row checked, before anything is written: the rows to import, and the rows
    rejected with why (a bad number or email, a bad field value, a duplicate within the
    file). Duplicates of existing contacts are the caller's to find."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InvalidInput(f"the CSV is larger than {MAX_BYTES // 1024} KiB", path="csv")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InvalidInput("the CSV is empty", path="csv") from exc
    except csv.Error as exc:
        raise InvalidInput(f"the CSV cannot be read: {exc}", path="csv") from exc
    columns = _columns(header, definitions)
    defs = {d.name: d for d in definitions}
    rows: list[ImportRow] = []
    rejected: list[Rejection] = []
    phones: dict[str, int] = {}
    emails: dict[str, int] = {}
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InvalidInput(f"the CSV cannot be read: {exc}", path="csv") from exc
    if len(records) > MAX_ROWS:
        raise InvalidInput(f"at most {MAX_ROWS} rows per import", path="csv")
    for index, record in enumerate(records):
        line = index + 2
        if not any(cell.strip() for cell in record):
            continue
        values = {name: (record[i].strip() if i < len(record) else "")
                  for i, name in enumerate(columns)}
        row, problem = _row(line, values, defs, to_e164)
        if problem is None and row is not None:
            first = phones.get(row.phone) or (emails.get(row.email) if row.email else None)
            if first is not None:
                column = "phone" if row.phone in phones else "email"
                problem = Rejection(line, "duplicate_in_file", column,
                                    f"the same {column} as line {first}")
            else:
                phones[row.phone] = line
                if row.email:
                    emails[row.email] = line
                rows.append(row)
        if problem is not None:
            rejected.append(problem)
    return rows, rejected


def _row(line: int, values: dict[str, str], defs: dict[str, FieldDef],
         to_e164: Callable[[str], str]) -> tuple[ImportRow | None, Rejection | None]:
    try:
        phone = to_e164(values["phone"])
    except InvalidInput:
        return None, Rejection(line, "bad_number", "phone",
                               f"{values['phone']!r} is not a phone number")
    email = None
    if values.get("email"):
        try:
            email = normalise_email(values["email"])
        except InvalidInput:
            return None, Rejection(line, "bad_email", "email",
                                   f"{values['email']!r} is not an email address")
    custom: dict[str, object] = {}
    try:
        tags = normalise_tags([t for t in _split_tags(values.get("tags", "")) if t])
        for name, definition in defs.items():
            if values.get(name):
                custom[name] = coerce_value(definition, values[name], name)
    except InvalidInput as exc:
        return None, Rejection(line, "bad_field", exc.path or "tags", exc.message)
    return ImportRow(line=line, phone=phone, name=values.get("name") or None,
                     company=values.get("company") or None, email=email, tags=tags,
                     notes=values.get("notes") or None,
                     fields={k: v for k, v in custom.items() if v is not None}), None


def _split_tags(raw: str) -> list[str]:
    return [t.strip() for t in raw.replace("|", ";").split(";")]


def export_csv(contacts: Iterable[Contact], definitions: list[FieldDef]) -> str:
    """Contacts as CSV, in the same columns an import reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", *STANDARD, *(d.name for d in definitions)])
    for c in contacts:
        writer.writerow([c.contact_id, c.phone, _cell(c.name), _cell(c.company),
                         c.email or "", ";".join(c.tags), _cell(c.notes),
                         *(_cell(c.fields.get(d.name)) for d in definitions)])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, int | float):
        return text
    # a spreadsheet would run a cell starting with = + - @ as a formula
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
