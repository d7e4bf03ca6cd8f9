"""A step's signed content (the snapshot): what is stored when a step is sent, and how it is shown to a reader.

This module is the one owner of both. Other apps add to a step's content through
`workproducts.registry` (a work product kind, or a `StepContent` for content of their own) and never
show a snapshot themselves.

Stored
    `services.step_content` builds the content as canonical JSON (sorted keys, bokmål labels, so its SHA-256
    does not depend on who looks). Sending a step stores the text on the step (`Step.content`, `content_hash`)
    and in a `StepVersion`; a sign-off stores a copy of the text it approved (`SignOff.content`). None of them is
    ever changed. The shape::

        {"step": key, "name": …, "description": …, "summary": …,
         "meetings": [{"id", "type", "title", "date", "participants", "other_participants", "agenda",
                       "minutes", "decisions", "attachments": [{"name", "sha256"}]}],
         "work_product": {"kind": …, "title": …, "fields": [[key, label, value], …]}}   # optional

    A document field's key is the field's name ("frame_amount"), or "<table>.<row id>.<field>" for a field of
    a row of one of its tables (a hazard, a milestone, an HMS measure): "measures.12.goal". A row
    ("measures.12") is the unit that can be hidden.

Shown
    Everything that shows a snapshot (the step page, the differences between versions, the admin, a person's
    data export) reads it through `display`, `changes` or `shown_text` with the reader, never from the stored
    text itself. Those hide the words of the rows the reader may not see: the content provider's
    `StepContent.hidden(project, reader, rows)` names them as things stand now (a measure marked sensitive
    after the step was sent is hidden at once), each with a neutral text shown in its place. Hiding is display
    only: the stored text, its SHA-256 and the sign-offs on it stay as they are, so nothing becomes outdated
    (docs/decisions.md, "Sensitive stays sensitive").

A new kind of content (a survey's comment round, say) registers its content and, if some of its rows may be
hidden from some readers, a `hidden` function; the step page, the differences and the exports then follow.
"""

import json
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workproducts.registry import step_content_by_key
from workproducts.selectors import Change, field_changes, field_label, kind_label

from .models import Meeting

MEETING_FIELDS = ("title", "type", "date", "participants", "other_participants", "agenda", "minutes", "decisions",
                  "attachments")  # fmt: skip


def parse(content: str) -> dict:
    return json.loads(content) if content else {}


# Hiding ---------------------------------------------------------------------------------------------------------


def row_of(key: str) -> str | None:
    """The row a document field belongs to ("measures.12" of "measures.12.goal"), or None for a main field."""
    parts = key.split(".")
    return ".".join(parts[:2]) if len(parts) == 3 else None


def hidden_rows(*contents: dict, project, reader) -> dict[str, str]:
    """{row: neutral text} of the rows in these contents (parsed) whose words `reader` may not see now; None as
    the reader asks for somebody with no role that sees more than a project member (the owner's notice)."""
    found = {}
    for data in contents:
        document = data.get("work_product") or {}
        entry = step_content_by_key(document.get("kind", ""))
        if entry is None or entry.hidden is None:
            continue
        rows = {row_of(k) for k, _label, _value in document.get("fields", [])} - {None}
        if rows:
            found.setdefault(entry, set()).update(rows)
    hidden = {}
    for entry, rows in found.items():
        hidden.update(entry.hidden(project, reader, rows))
    return hidden


def without_hidden(data: dict, hidden: dict[str, str]) -> dict:
    """The parsed content without the fields of the hidden rows (a copy; the stored text is never changed)."""
    document = data.get("work_product")
    if not hidden or not document:
        return data
    fields = [f for f in document.get("fields", []) if row_of(f[0]) not in hidden]
    return {**data, "work_product": {**document, "fields": fields}}


def hidden_for_others(content: str, *, project) -> int:
    """How many rows of this content a reader without the need (a working-group member, an observer, BHT, AMU)
    does not see: the step page tells the people who see them."""
    return len(hidden_rows(parse(content), project=project, reader=None))


# Display --------------------------------------------------------------------------------------------------------


@dataclass
class Field:
    label: str
    value: str
    hidden: bool = False  # a row whose words this reader may not see: `value` is the neutral text


def _meeting_labels():
    return {
        "title": _("Title"),
        "type": _("Type of meeting"),
        "date": _("Date"),
        "participants": _("Participants"),
        "other_participants": _("Other participants"),
        "agenda": _("Agenda"),
        "minutes": _("Minutes"),
        "decisions": _("Decisions"),
        "attachments": _("Files"),
    }


def _meeting_value(m: dict, name: str) -> str:
    """One field of a stored meeting as a reader sees it (a field that older contents lack reads as empty)."""
    value = m.get(name)
    if name == "type":
        return str(Meeting.Type(value).label) if value in Meeting.Type.values else (value or "")
    if name == "date":
        return date_format(date.fromisoformat(value), "DATE_FORMAT") if value else ""
    if name == "participants":
        return ", ".join(value or [])
    if name == "attachments":
        return "\n".join(f"{a['name']} (SHA-256 {a['sha256'][:12]}…)" for a in value or [])
    return value or ""


def _pair_meetings(before: list, after: list):
    """Match the meetings of two contents: by id, else (older contents have none) by date and title."""
    left = list(before)
    pairs = []
    for m in after:
        match = next((o for o in left if o.get("id") is not None and o.get("id") == m.get("id")), None)
        match = match or next((o for o in left if (o["date"], o["title"]) == (m["date"], m["title"])), None)
        if match is not None:
            left.remove(match)
        pairs.append((match, m))
    return pairs + [(o, None) for o in left]


def changes(before: str, after: str, *, project, reader) -> list[Change]:
    """Field by field, in the reader's language, what differs between two contents of a step: the summary, each
    field of each meeting (participants and agenda included) and each field of the document. A row hidden from
    the reader is left out of both sides, so its words show neither as they were nor as they are."""
    old, new = parse(before), parse(after)
    hidden = hidden_rows(old, new, project=project, reader=reader)
    old, new = without_hidden(old, hidden), without_hidden(new, hidden)
    out = []
    if (old.get("summary") or "") != (new.get("summary") or ""):
        out.append(Change(_("Summary"), old.get("summary") or "", new.get("summary") or ""))
    labels = _meeting_labels()
    for was, now in _pair_meetings(old.get("meetings", []), new.get("meetings", [])):
        head = _("Meeting “%(title)s”") % {"title": (now or was)["title"]}
        for name in MEETING_FIELDS:
            a = _meeting_value(was, name) if was is not None else None
            b = _meeting_value(now, name) if now is not None else None
            if a == b or (a is None and not b) or (b is None and not a):
                continue
            out.append(Change(f"{head} · {labels[name]}", a, b))
    out += field_changes(old.get("work_product"), new.get("work_product"))
    return out


def _document_fields(document: dict, hidden: dict[str, str]) -> list[Field]:
    kind = document.get("kind", "")
    out, shown_rows = [], set()
    for key, label, value in document.get("fields", []):
        row = row_of(key)
        if row in hidden:
            if row not in shown_rows:  # one neutral line for the whole row
                shown_rows.add(row)
                out.append(Field(hidden[row], _("Sensitive: not shown to you."), hidden=True))
        elif value:
            out.append(Field(field_label(kind, key, label), value))
    return out


def display(content: str, *, project, reader) -> dict | None:
    """A step's content (sent or draft) as `reader` sees it: every field that is hashed and signed, with labels in
    the reader's language, and in place of each row the reader may not see, its neutral text. The page renders
    this, so it shows exactly what is signed (less what is hidden from this reader)."""
    if not content:
        return None
    data = parse(content)
    meetings = []
    for m in data.get("meetings", []):
        meetings.append(
            {
                "id": m.get("id"),
                "title": m["title"],
                "type": _meeting_value(m, "type"),
                "date": date.fromisoformat(m["date"]),
                "participants": m.get("participants") or [],
                "other_participants": m.get("other_participants") or "",
                "agenda": m.get("agenda") or "",
                "minutes": m.get("minutes") or "",
                "decisions": m.get("decisions") or "",
                "attachments": m.get("attachments") or [],
            }
        )
    document = data.get("work_product")
    if document:
        hidden = hidden_rows(data, project=project, reader=reader)
        kind = document.get("kind", "")
        document = {
            "kind": kind,
            "title": kind_label(kind, document.get("title", "")),
            "fields": _document_fields(document, hidden),
            "hidden": len(hidden),
        }
    return {"summary": data.get("summary") or "", "meetings": meetings, "document": document}


def shown_text(content: str, *, project, reader) -> str:
    """The stored text as `reader` may read it (the admin, a person's data export): the hidden rows' fields left
    out and one neutral field in place of each. Not the signed text where something is hidden: its SHA-256 is
    that of the stored text."""
    data = parse(content)
    hidden = hidden_rows(data, project=project, reader=reader)
    if not hidden:
        return content
    shown = without_hidden(data, hidden)
    shown["work_product"]["fields"] += [[f"{row}.hidden", text, _("Sensitive")] for row, text in hidden.items()]
    return json.dumps(shown, ensure_ascii=False, indent=1, sort_keys=True)


# A step page's readings ------------------------------------------------------------------------------------


def reading(step, *, project, reader, signed=None) -> dict:
    """What a step page shows of the version sent now: `sent` (its display), `changes` since the reader's sign-off
    `signed` of an earlier version, and for somebody who reads every row, `hidden_for_others` (how many rows
    others do not see)."""
    out = {"sent": display(step.content, project=project, reader=reader), "changes": []}
    if signed is not None and step.is_sent:
        out["changes"] = changes(signed.content, step.content, project=project, reader=reader)
    sent = out["sent"]
    if sent and sent["document"] and not sent["document"]["hidden"]:
        out["hidden_for_others"] = hidden_for_others(step.content, project=project)
    return out


def since_seen(step, seen_hash, project, reader) -> dict:
    """The version the reader's page showed (found by its SHA-256) and what changed since, for a refused sign-off."""
    from .selectors import seen_version

    seen = seen_version(step=step, content_hash=seen_hash)
    found = changes(seen.content, step.content, project=project, reader=reader) if seen else []
    return {"seen": seen, "changes": found}


def draft_reading(step, *, project, reader) -> dict:
    """For the owner and manager: the draft as it stands, whether it differs from the version sent, and either its
    differences from that version or (nothing sent yet) the draft itself."""
    from .services import content_hash_of, step_content

    draft = step_content(step)
    draft_hash = content_hash_of(draft)
    out = {"draft_hash": draft_hash, "unsent": draft_hash != step.content_hash}
    if not step.is_sent:
        out["draft"] = display(draft, project=project, reader=reader)
    elif out["unsent"]:
        out["draft_changes"] = changes(step.content, draft, project=project, reader=reader)
    else:
        out["draft_changes"] = []
    return out
