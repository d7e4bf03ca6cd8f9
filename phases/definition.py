"""Process templates as data: reading and validating the TOML files under phases/process_templates/.

`parse_template(text, source=...)` returns the normalised definition (plain dicts and lists, ready for a
JSONField) or raises TemplateError listing every problem with the file and the line or key path.
"""

import re
import tomllib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from projects.models import PARTY_ROLES, Role

# The roles a template may name, in the order of `Role`: any but the observer owns an activity; the parties sign.
ROLES = tuple(r.value for r in Role if r is not Role.VIEWER)
PARTY_ROLE_KEYS = tuple(r.value for r in Role if r in PARTY_ROLES)
TRACKS = ("", "building", "internal")
WORK_PRODUCTS = (
    "", "goals", "mandate", "risk_assessment", "information_plan", "ict_plan", "mapping", "area_programme",
    "zone_programme", "floor_plan", "implementation_plan", "house_rules", "evaluation", "final_documentation",
    "hms_plan", "needs_goals", "survey_report",
)  # fmt: skip
STEP_KINDS = (
    "information", "consultation", "risk_assessment", "amu", "working_group", "evaluation", "prioritisation",
)  # fmt: skip
DUE_FROM = ("start", "move_in")
MAX_KEY = 80  # the length of every stored key (template, phase, activity, item, step)
MAX_NAME = 200  # the length of every stored name
MAX_VERSION = 32767
MAX_SOURCE_BYTES = 512 * 1024  # a template file is text; the Bergen guide is about 100 kB
KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANGS = ("nb", "en")


class TemplateError(ValueError):
    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass
class FileChecker:
    """Collects every problem of a data file (a template, a questionnaire), each named by its path in the file."""

    problems: list

    def fail(self, path, message):
        self.problems.append(f"{path}: {message}")

    def keys(self, path, table, required, optional=()):
        if not isinstance(table, dict):
            self.fail(path, _("expected a table"))
            return False
        for name in required:
            if name not in table:
                self.fail(f"{path}.{name}" if path else name, _("is missing"))
        for name in table:
            if name not in required and name not in optional:
                self.fail(f"{path}.{name}" if path else name, _("is not a known key"))
        return True

    def text(self, path, value, max_length=None):
        if not isinstance(value, dict) or set(value) != set(LANGS):
            self.fail(path, _('expected { nb = "…", en = "…" } with both languages'))
            return dict.fromkeys(LANGS, "")
        out = {}
        for lang in LANGS:
            if not isinstance(value[lang], str) or not value[lang].strip():
                self.fail(f"{path}.{lang}", _("must be a non-empty text"))
                out[lang] = ""
            elif max_length and len(value[lang].strip()) > max_length:
                self.fail(f"{path}.{lang}", _("is longer than %(n)s characters") % {"n": max_length})
                out[lang] = ""
            else:
                out[lang] = value[lang].strip()
        return out

    def key(self, path, value, seen):
        if not isinstance(value, str) or not KEY_RE.match(value):
            self.fail(
                path, _("%(value)s is not a key (lowercase letters, digits and hyphens)") % {"value": repr(value)}
            )
        elif len(value) > MAX_KEY:
            self.fail(path, _("is longer than %(n)s characters") % {"n": MAX_KEY})
        elif value in seen:
            self.fail(path, _("%(value)s is used twice") % {"value": repr(value)})
        seen.add(value)
        return value

    def choice(self, path, value, allowed):
        if value not in allowed:
            shown = ", ".join(repr(a) for a in allowed)
            self.fail(path, _("%(value)s is not one of %(allowed)s") % {"value": repr(value), "allowed": shown})
        return value

    def due(self, path, value):
        """A deadline as an offset from the project start or the planned move-in, in days or in calendar
        months (use months where the source speaks in months)."""
        if value is None:
            return None
        if not self.keys(path, value, ("from",), ("days", "months")):
            return None
        self.choice(f"{path}.from", value.get("from"), DUE_FROM)
        units = [u for u in ("days", "months") if u in value]
        if len(units) != 1:
            self.fail(path, _("give either days or months"))
            return None
        unit = units[0]
        amount = value[unit]
        if unit == "days" and (not isinstance(amount, int) or isinstance(amount, bool) or abs(amount) > 3650):
            self.fail(f"{path}.days", _("must be a whole number of days between -3650 and 3650"))
        if unit == "months" and (not isinstance(amount, int) or isinstance(amount, bool) or abs(amount) > 120):
            self.fail(f"{path}.months", _("must be a whole number of months between -120 and 120"))
        return {"from": value.get("from"), unit: amount}

    def duration(self, path, value):
        """A phase's planned length: `{ share = N }`, its relative part of the time from the project's start
        to the planned move-in, `{ days_after_move_in = N }` for a phase that follows the move-in, or
        `{ days = N }`, so many days after the phase before it (the first: after the start), for a process
        without a move-in (the seven steps); a template uses `days` for all its phases or for none."""
        if value is None:
            return {"share": 1}
        if not isinstance(value, dict) or len(value) != 1 or set(value) - {"share", "days_after_move_in", "days"}:
            self.fail(path, _("expected { share = N }, { days = N } or { days_after_move_in = N }"))
            return {"share": 1}
        ((name, n),) = value.items()
        limit = 100 if name == "share" else 3650
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= limit:
            self.fail(f"{path}.{name}", _("must be a whole number from 1 to %(n)s") % {"n": limit})
            return {"share": 1}
        return {"share": {"share": n}, "days": {"days": n}}.get(name, {"after_move_in": n})

    def items(self, path, value):
        if not isinstance(value, list) or not value:
            self.fail(path, _("must be a non-empty list"))
            return []
        return value


def _nul_paths(value, path) -> list[str]:
    """Key paths of texts holding a NUL character (a TOML escape can produce one; PostgreSQL refuses it)."""
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nul_paths(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nul_paths(v, f"{path}[{i}]")]
    return []


def parse_template(text: str, source: str = "<template>") -> dict:
    if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise TemplateError(source, [_("is larger than %(n)s kB") % {"n": MAX_SOURCE_BYTES // 1024}])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(source, [_("not valid TOML: %(error)s") % {"error": exc}]) from None
    nul = _nul_paths(data, "")
    if nul:
        raise TemplateError(source, [f"{p}: " + _("contains a NUL character, which cannot be stored") for p in nul])
    c = FileChecker([])
    c.keys("", data, ("key", "version", "name", "description", "phases"))
    out = {
        "key": c.key("key", data.get("key"), set()),
        "version": data.get("version"),
        "name": c.text("name", data.get("name"), max_length=MAX_NAME),
        "description": c.text("description", data.get("description")),
        "phases": [],
    }
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= MAX_VERSION:
        c.fail("version", _("must be a whole number from 1 to %(n)s") % {"n": MAX_VERSION})
    seen = {"phase": set(), "activity": set(), "step": set()}  # keys are unique across the template
    for pi, phase in enumerate(c.items("phases", data.get("phases"))):
        p_out = _parse_phase(c, f"phases[{pi}]", phase, seen, out["phases"])
        if p_out is not None:
            out["phases"].append(p_out)
    if c.problems:
        raise TemplateError(source, c.problems)
    return out


def _parse_phase(c, pp, phase, seen, earlier) -> dict | None:
    if not c.keys(pp, phase, ("key", "name", "description", "activities"), ("duration",)):
        return None
    p_out = {
        "key": c.key(f"{pp}.key", phase.get("key"), seen["phase"]),
        "name": c.text(f"{pp}.name", phase.get("name"), max_length=MAX_NAME),
        "description": c.text(f"{pp}.description", phase.get("description")),
        "duration": c.duration(f"{pp}.duration", phase.get("duration")),
        "activities": [],
    }
    if "share" in p_out["duration"] and any("after_move_in" in q["duration"] for q in earlier):
        c.fail(f"{pp}.duration", _("a phase before the move-in cannot follow a phase after it"))
    if earlier and ("days" in p_out["duration"]) != ("days" in earlier[0]["duration"]):
        c.fail(f"{pp}.duration", _("use { days = N } for every phase or for none"))
    for ai, activity in enumerate(c.items(f"{pp}.activities", phase.get("activities"))):
        a_out = _parse_activity(c, f"{pp}.activities[{ai}]", activity, seen)
        if a_out is not None:
            p_out["activities"].append(a_out)
    return p_out


def _parse_activity(c, ap, activity, seen) -> dict | None:
    required = ("key", "name", "owner_role", "due", "guidance", "items")
    optional = ("track", "work_product", "participation_steps")
    if not c.keys(ap, activity, required, optional):
        return None
    a_out = {
        "key": c.key(f"{ap}.key", activity.get("key"), seen["activity"]),
        "name": c.text(f"{ap}.name", activity.get("name"), max_length=MAX_NAME),
        "owner_role": c.choice(f"{ap}.owner_role", activity.get("owner_role"), ROLES),
        "track": c.choice(f"{ap}.track", activity.get("track", ""), TRACKS),
        "work_product": c.choice(f"{ap}.work_product", activity.get("work_product", ""), WORK_PRODUCTS),
        "due": c.due(f"{ap}.due", activity.get("due")),
        "guidance": c.text(f"{ap}.guidance", activity.get("guidance")),
        "items": [],
        "participation_steps": [],
    }
    item_keys = set()
    for ii, item in enumerate(c.items(f"{ap}.items", activity.get("items"))):
        i_out = _parse_item(c, f"{ap}.items[{ii}]", item, item_keys)
        if i_out is not None:
            a_out["items"].append(i_out)
    for si, step in enumerate(activity.get("participation_steps", [])):
        s_out = _parse_step(c, f"{ap}.participation_steps[{si}]", step, seen["step"])
        if s_out is not None:
            a_out["participation_steps"].append(s_out)
    return a_out


def _parse_item(c, ip, item, item_keys) -> dict | None:
    if not c.keys(ip, item, ("key", "text", "mandatory"), ("due",)):
        return None
    if not isinstance(item.get("mandatory"), bool):
        c.fail(f"{ip}.mandatory", _("must be true or false"))
    text_ = c.text(f"{ip}.text", item.get("text"), max_length=300)
    return {
        "key": c.key(f"{ip}.key", item.get("key"), item_keys),
        "text": text_,
        "mandatory": item.get("mandatory") is True,
        "due": c.due(f"{ip}.due", item.get("due")),
    }


def _parse_step(c, sp, step, step_keys) -> dict | None:
    if not c.keys(sp, step, ("key", "kind", "name", "required_roles", "description")):
        return None
    roles = step.get("required_roles")
    if not isinstance(roles, list) or not roles:
        c.fail(f"{sp}.required_roles", _("must list at least one role"))
        roles = []
    for ri, role in enumerate(roles):
        c.choice(f"{sp}.required_roles[{ri}]", role, PARTY_ROLE_KEYS)
    return {
        "key": c.key(f"{sp}.key", step.get("key"), step_keys),
        "kind": c.choice(f"{sp}.kind", step.get("kind"), STEP_KINDS),
        "name": c.text(f"{sp}.name", step.get("name"), max_length=MAX_NAME),
        "required_roles": list(roles),
        "description": c.text(f"{sp}.description", step.get("description")),
    }
