"""Search tokens: what a contact is found by, and what a query looks for.

Every contact has one index item per token (``n:`` a word of its name or company, ``e:``
its email, ``t:`` a tag, ``f:`` a custom field's value); a query reads the items that
start with its most selective token's prefix, in one tenant's partition only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from chalicelib.domain.crm import Contact
from chalicelib.domain.errors import InvalidInput

MAX_TOKENS = 45  # an edit or a merge (both contacts' token changes) fits one transaction
TOKEN_MAX = 60  # longer tokens are cut (keys, and so cursors, stay short)
MAX_TAGS = 20
TAG_MAX = 40
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE_LIKE = re.compile(r"^(whatsapp:)?\+?[\d\s().\-/]{5,}$")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower-case without accents: 'Zoë' and 'zoe' find each other."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str | None) -> list[str]:
    return _WORD.findall(fold(text or ""))


def normalise_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise InvalidInput(f"{raw!r} is not an email address", path="email")
    return email


def normalise_tag(raw: str, path: str = "tags") -> str:
    tag = " ".join(fold(str(raw)).split())
    if not tag or len(tag) > TAG_MAX or "#" in tag:
        raise InvalidInput(f"a tag is 1-{TAG_MAX} characters, without #", path=path)
    return tag


def normalise_tags(raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list | tuple):
        raise InvalidInput("tags must be a list of strings", path="tags")
    tags = sorted({normalise_tag(str(t)) for t in raw})
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"at most {MAX_TAGS} tags", path="tags")
    return tuple(tags)


def field_token(name: str, value: object) -> str:
    return f"f:{name}={' '.join(words(str(value)))}"[:TOKEN_MAX]


def tokens_for(contact: Contact) -> set[str]:
    """Every token the contact is found by (the phone number needs none: the contact id is
    derived from it)."""
    tokens = {f"n:{w}" for w in words(contact.name) + words(contact.company)}
    if contact.email:
        tokens.add(f"e:{contact.email.lower()}")
    tokens.update(f"t:{t}" for t in contact.tags)
    tokens.update(field_token(k, v) for k, v in sorted(contact.fields.items()) if v is not None)
    return set(sorted(t[:TOKEN_MAX] for t in tokens)[:MAX_TOKENS])


def looks_like_phone(q: str) -> bool:
    return bool(_PHONE_LIKE.match(q.strip())) and sum(c.isdigit() for c in q) >= 5


@dataclass(frozen=True)
class Query:
    """A parsed search: a number to look up directly, or index prefixes to read."""

    phone: str | None = None
    prefixes: tuple[str, ...] = ()  # every one must match one of a contact's tokens
    filters: tuple[str, ...] = field(default=())  # exact tokens (tags, fields)

    @property
    def lead(self) -> str | None:
        """The prefix to read the index by: an exact token before the longest word."""
        if self.filters:
            return min(self.filters, key=lambda t: (not t.startswith("f:"), -len(t)))
        if self.prefixes:
            return max(self.prefixes, key=len)
        return None

    def matches(self, tokens: set[str]) -> bool:
        return (all(f in tokens for f in self.filters)
                and all(any(t.startswith(p) for t in tokens) for p in self.prefixes))


def parse_query(q: str | None, tag: str | None = None,
                fields: dict[str, str] | None = None) -> Query:
    """``q`` is a number (any written form; the caller normalises it), an email (prefix)
    or words (each a prefix of a name or company word)."""
    text = (q or "").strip()
    filters = [f"t:{normalise_tag(tag, 'tag')}"] if tag else []
    filters += [field_token(name, value) for name, value in sorted((fields or {}).items())]
    if text and looks_like_phone(text):
        return Query(phone=text, filters=tuple(filters))
    prefixes: list[str] = []
    if "@" in text:
        prefixes.append(f"e:{text.lower()}")
    else:
        prefixes += [f"n:{w}" for w in words(text)]
    return Query(prefixes=tuple(p[:TOKEN_MAX] for p in prefixes), filters=tuple(filters))
