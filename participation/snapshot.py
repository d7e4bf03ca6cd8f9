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
         "work_product": {"kind": …, "title": …, "fields": [[key, label, value], …]},   # optional
         "blocks": [{"key": …, "title": …, "fields": [[key, label, value], …]}]}         # optional (`step_block`)

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

import contextlib
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


def changes(before: str, after: str, *, project, reader, hidden: dict | None = None) -> list[Change]:
    """Field by field, in the reader's language, what differs between two contents of a step: the summary, each
    field of each meeting (participants and agenda included) and each field of the document. A row hidden from
    the reader is left out of both sides, so its words show neither as they were nor as they are. `hidden`: the
    rows hidden from the reader, when the caller has asked already."""
    old, new = parse(before), parse(after)
    if hidden is None:
        hidden = hidden_rows(old, new, project=project, reader=reader)
    old, new = without_hidden(old, hidden), without_hidden(new, hidden)
    return (
        _text_changes(old, new)
        + field_changes(old.get("work_product"), new.get("work_product"))
        + _block_changes(old, new)
    )


def _block_changes(old: dict, new: dict) -> list[Change]:
    """What differs in the blocks other apps add to a step (hook `step_block`), field by field, each named with
    its block's title."""
    was = {b.get("key"): b for b in old.get("blocks", [])}
    now = {b.get("key"): b for b in new.get("blocks", [])}
    out = []
    for key in [*now, *(k for k in was if k not in now)]:
        block = now.get(key) or was[key]
        for c in field_changes(
            {"kind": "", "fields": was[key]["fields"]} if key in was else None,
            {"kind": "", "fields": now[key]["fields"]} if key in now else None,
        ):
            out.append(Change(f"{block.get('title', '')} · {c.label}", c.before, c.after))
    return out


def _text_changes(old: dict, new: dict) -> list[Change]:
    """What differs in the summary and the meetings of two (parsed) contents."""
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
            "layout": _layout(document, hidden),
        }
    blocks = [
        {"key": b.get("key", ""), "title": b.get("title", ""), "layout": _layout({"fields": b["fields"]}, {})}
        for b in data.get("blocks", [])
    ]
    return {"summary": data.get("summary") or "", "meetings": meetings, "document": document, "blocks": blocks}


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


def wide(shown: dict | None) -> bool:
    """Whether a step's content (its `display`) has a table of more than four columns: the page then gives it the
    full width."""
    document = (shown or {}).get("document") or {}
    return any(t.width > 4 for t in (document.get("layout") or {}).get("tables", []))


# A step page's readings ------------------------------------------------------------------------------------


def reading(step, *, project, reader, signed=None) -> dict:
    """What a step page shows of the version sent now: `sent` (its display), `changes` since the reader's sign-off
    `signed` of an earlier version, and for somebody who reads every row, `hidden_for_others` (how many rows
    others do not see)."""
    out = {"sent": display(step.content, project=project, reader=reader), "changes": []}
    if signed is not None and step.is_sent:
        hidden = hidden_rows(parse(signed.content), parse(step.content), project=project, reader=reader)
        out["changes"] = changes(signed.content, step.content, project=project, reader=reader, hidden=hidden)
        out["diff"] = compare(signed.content, step.content, project=project, reader=reader, hidden=hidden)
    sent = out["sent"]
    out["wide"] = wide(sent)
    if sent and sent["document"] and not sent["document"]["hidden"]:
        out["hidden_for_others"] = hidden_for_others(step.content, project=project)
    return out


def since_seen(step, seen_hash, project, reader) -> dict:
    """The version the reader's page showed (found by its SHA-256) and what changed since, for a refused sign-off."""
    from .selectors import seen_version

    seen = seen_version(step=step, content_hash=seen_hash)
    if seen is None:
        return {"seen": None, "changes": [], "diff": None}
    hidden = hidden_rows(parse(seen.content), parse(step.content), project=project, reader=reader)
    return {
        "seen": seen,
        "changes": changes(seen.content, step.content, project=project, reader=reader, hidden=hidden),
        "diff": compare(seen.content, step.content, project=project, reader=reader, hidden=hidden),
    }


def draft_reading(step, *, project, reader) -> dict:
    """For the owner and manager: the draft as it stands, whether it differs from the version sent, and either its
    differences from that version or (nothing sent yet) the draft itself."""
    from .services import content_hash_of, step_content

    draft = step_content(step)
    draft_hash = content_hash_of(draft)
    out = {"draft_hash": draft_hash, "unsent": draft_hash != step.content_hash}
    if not step.is_sent:
        out["draft"] = display(draft, project=project, reader=reader)
        out["wide"] = wide(out["draft"])
    elif out["unsent"]:
        hidden = hidden_rows(parse(step.content), parse(draft), project=project, reader=reader)
        out["draft_changes"] = changes(step.content, draft, project=project, reader=reader, hidden=hidden)
        out["draft_diff"] = compare(step.content, draft, project=project, reader=reader, hidden=hidden)
    else:
        out["draft_changes"] = []
    return out


# The document's own layout ---------------------------------------------------------------------------------
#
# The stored content is a flat list of [key, label, value]; the step page shows it as the document page does: its
# main fields, each table of rows (a row is "<table>.<row id>.<field>"), the risk matrix of a risk assessment and
# whatever else the kind adds (a list of labelled values). A work product kind's tables are its `sections` (the
# columns its page shows, the other signed fields of a row under the row's first cell); the rows of content
# another app provides (hook `step_content`) make a table of their own, a column per field. A difference between
# two versions is the same layout with each row and field marked added, removed or changed (words, not only
# colour: WCAG 1.4.1).


@dataclass
class Cell:
    value: str
    before: str | None = None  # the value in the earlier version, when it changed
    changed: bool = False
    header: str = ""  # its column's name (a phone shows each row as a list of named values)


@dataclass
class Row:
    key: str
    cells: list = None  # [Cell], one per column
    notes: list = None  # [(label, Cell)]: the row's signed fields outside the table's columns
    hidden: str = ""  # the neutral text shown instead of a row this reader may not see
    mark: str = ""  # "added", "removed", "changed" or "" (a difference between versions)
    risk: dict | None = None  # a hazard's score: {"score", "level", "label"}
    values: dict = None  # field -> (stored label, value), while it is built


@dataclass
class Table:
    key: str
    label: str
    headers: list
    rows: list
    columns: tuple = ()
    risk: bool = False  # a risk assessment's hazards: a score column and the matrix

    @property
    def width(self):
        return len(self.headers) + (1 if self.risk else 0)


def _head(stored: str) -> str:
    """The row's name in a stored label: "Fare «Støy» · sannsynlighet" -> "Fare «Støy»"."""
    return stored.rpartition(" · ")[0] or stored


def _tail(label: str) -> str:
    """The field's name in a label: "Tiltak 1 «Støy» · Mål" -> "Mål"."""
    tail = label.rpartition(" · ")[2]
    return tail[:1].upper() + tail[1:]


def _risk(row: Row) -> dict | None:
    from workproducts.models import RiskLevel, risk_level

    try:
        likelihood, consequence = int(row.values["likelihood"][1]), int(row.values["consequence"][1])
    except (KeyError, TypeError, ValueError):
        return None
    score = likelihood * consequence
    level = risk_level(score)
    out = {"score": score, "level": str(level), "label": RiskLevel(level).label,
           "likelihood": likelihood, "consequence": consequence}  # fmt: skip
    # The residual risk, once the measures are in place, where it was assessed (signed only where set).
    with contextlib.suppress(KeyError, TypeError, ValueError):
        out["after"] = (int(row.values["residual_likelihood"][1]), int(row.values["residual_consequence"][1]))
    return out


def _layout(document: dict, hidden: dict[str, str]) -> dict:
    """One version of a document (parsed, as stored) in its own layout, for `reader`'s `hidden` rows."""
    from workproducts.registry import kinds

    kind_key = document.get("kind", "")
    kind = kinds().get(kind_key)
    main, extra, tables = _sort_fields(document, kind, kind_key, hidden)
    out_tables = []
    for table in tables.values():
        _table_columns(table, kind_key)
        for r in table.order.values():
            _fill(r, table, kind_key, table.section)
            table.rows.append(r)
        out_tables.append(table)
    matrix, residual = _layout_matrix(out_tables)
    return {"main": main, "tables": out_tables, "extra": extra, "matrix": matrix, "residual": residual}


def _sort_fields(document, kind, kind_key, hidden):
    """The document's stored fields sorted into its main fields, the others, and its tables' rows."""
    main, extra, tables = [], [], {}
    for key, label, value in document.get("fields", []):
        row = row_of(key)
        parts = key.split(".")
        section = kind.section(parts[0]) if kind is not None and row else None
        if row is not None and (section is not None or kind is None or row in hidden):
            table = tables.get(parts[0])
            if table is None:
                table = tables[parts[0]] = Table(parts[0], str(section.label) if section else "", [], [])
                table.section = section
                table.order = {}
            if row not in table.order:
                table.order[row] = Row(row, hidden=hidden.get(row, ""), values={})
            if row not in hidden:
                table.order[row].values[parts[2]] = (label, value)
        elif kind is not None and key in kind.fields:
            if value:
                main.append(Field(field_label(kind_key, key, label), value))
        elif value:
            (extra if kind is not None else main).append(Field(field_label(kind_key, key, label), value))
    return main, extra, tables


def _table_columns(table, kind_key):
    """A table's columns and headers: its section's, or for content another app provides, a column for each
    field in the order they come."""
    section = table.section
    if section is not None:
        table.columns = tuple(section.table_columns)
        table.headers = [_capfirst(section.model._meta.get_field(n).verbose_name) for n in table.columns]
        table.risk = section.key == "hazards"
        return
    names = []
    for r in table.order.values():
        names += [n for n in r.values if n not in names]
    table.columns = ("",) + tuple(names)
    first = next((r for r in table.order.values() if r.values), None)
    table.headers = [_("Item")] + [
        _tail(field_label(kind_key, f"{first.key}.{n}", first.values[n][0])) if first and n in first.values
        else n for n in names
    ]  # fmt: skip


def _layout_matrix(tables):
    """The risk matrix as the document page counts it: each hazard in its cell, and after its measures."""
    from workproducts.selectors import matrix_rows

    risk = next((t for t in tables if t.risk), None)
    if risk is None:
        return None, False
    counts, after, residual = {}, {}, False
    for r in risk.rows:
        if r.risk and r.mark != "removed":
            cell = (r.risk["likelihood"], r.risk["consequence"])
            counts[cell] = counts.get(cell, 0) + 1
            then = r.risk.get("after") or cell
            after[then] = after.get(then, 0) + 1
            residual = residual or "after" in r.risk
    return matrix_rows(counts, after), residual


def _capfirst(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _fill(row: Row, table: Table, kind_key: str, section) -> None:
    """A row's cells (one per column) and notes (its other signed fields), from its stored values."""
    if row.hidden:
        row.cells, row.notes = [], []
        return
    values = row.values
    if section is None:
        name, (stored, _value) = next(iter(values.items()), ("", ("", "")))
        head = _head(field_label(kind_key, f"{row.key}.{name}", stored)) if stored else ""
        row.cells = [Cell(head)] + [Cell(values[n][1] if n in values else "") for n in table.columns[1:]]
        row.notes = []
    else:
        row.cells = [Cell(values[n][1] if n in values else "") for n in table.columns]
        row.notes = [
            (_capfirst(section.model._meta.get_field(n).verbose_name), Cell(values[n][1]))
            for n in section.fields if n not in table.columns and n in values and values[n][1]
        ]  # fmt: skip
    for cell, header in zip(row.cells, table.headers, strict=False):
        cell.header = header
    if table.risk:
        row.risk = _risk(row)


def layout(content: str, *, project, reader) -> dict | None:
    """The document of a step's content (sent or draft) in its own layout, as `reader` may see it; None without
    a document."""
    data = parse(content)
    document = data.get("work_product")
    if not document:
        return None
    return _layout(document, hidden_rows(data, project=project, reader=reader))


def _compare_cells(was: Row, r: Row) -> None:
    """Mark the cells and notes of `r` that differ from `was` (with what they were), and add its removed notes."""
    for cell, old_cell in zip(r.cells, was.cells, strict=False):
        if cell.value != old_cell.value:
            cell.before, cell.changed = old_cell.value, True
    old_notes = dict(was.notes)
    for label, cell in r.notes:
        if label in old_notes and old_notes[label].value != cell.value:
            cell.before, cell.changed = old_notes[label].value, True
        elif label not in old_notes:
            cell.before, cell.changed = "", True
    gone = [(label, Cell("", before=c.value, changed=True)) for label, c in was.notes
            if label not in dict(r.notes)]  # fmt: skip
    r.notes += gone


def _compare_rows(old: Table | None, new: Table) -> None:
    """Mark each row of `new` added or changed against `old` (cell by cell), and add `old`'s removed rows."""
    before = {r.key: r for r in (old.rows if old else [])}
    for r in new.rows:
        was = before.pop(r.key, None)
        if r.hidden or (was is not None and was.hidden):
            continue  # hidden from this reader: neither side's words are shown
        if was is None:
            r.mark = "added"
            continue
        _compare_cells(was, r)
        if any(c.changed for c in r.cells) or any(c.changed for _label, c in r.notes):
            r.mark = "changed"
    for r in before.values():
        if not r.hidden:
            r.mark = "removed"
            new.rows.append(r)


def _compare_fields(old: list[Field], new: list[Field]) -> list[Change]:
    """Main or extra fields that differ, by label (None: not there)."""
    was = {f.label: f.value for f in old}
    now = {f.label: f.value for f in new}
    out = [Change(f.label, was.get(f.label), f.value) for f in new if was.get(f.label) != f.value]
    out += [Change(f.label, f.value, None) for f in old if f.label not in now]
    return out


def compare(before: str, after: str, *, project, reader, hidden: dict | None = None) -> dict:
    """What differs between two contents of a step, in the document's own layout: the summary's, the meetings' and
    the document's own fields that changed, as a list of fields (`text`), and the document's tables with only the
    rows that were added, removed or changed, each marked (`tables`, with `unchanged`, the number of rows left
    out). Rows hidden from the reader show on neither side."""
    old, new = parse(before), parse(after)
    if hidden is None:
        hidden = hidden_rows(old, new, project=project, reader=reader)
    text = _text_changes(without_hidden(old, hidden), without_hidden(new, hidden)) + _block_changes(old, new)
    old_doc, new_doc = old.get("work_product"), new.get("work_product")
    out = {"text": text, "tables": [], "title": ""}
    if not old_doc and not new_doc:
        return out
    kind = (new_doc or old_doc).get("kind", "")
    out["title"] = kind_label(kind, (new_doc or old_doc).get("title", ""))
    a = _layout(old_doc or {"kind": kind, "fields": []}, hidden)
    b = _layout(new_doc or {"kind": kind, "fields": []}, hidden)
    out["text"] += _compare_fields(a["main"] + a["extra"], b["main"] + b["extra"])
    old_tables = {t.key: t for t in a["tables"]}
    for table in b["tables"]:
        _compare_rows(old_tables.pop(table.key, None), table)
    for table in old_tables.values():  # a table whose every row is gone
        for r in table.rows:
            r.mark = "removed" if not r.hidden else ""
        b["tables"].append(table)
    for table in b["tables"]:
        shown = [r for r in table.rows if r.mark]
        table.unchanged = len(table.rows) - len(shown)
        table.rows = shown
        if shown:
            out["tables"].append(table)
    return out
