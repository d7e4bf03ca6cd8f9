"""Questionnaires as data: reading and validating a TOML file (surveys/questionnaires/*.toml or an upload).

    key = "workplace"                     # lowercase letters, digits and hyphens
    version = 1
    name = { nb = "…", nn = "…", en = "…" }
    intro = { nb = "…", nn = "…", en = "…" }          # optional

    [[questions]]                         # 1 to 40, each answered 1–5 or "not relevant"
    key = "concentration"
    text = { nb = "…", nn = "…", en = "…" }

    [goal_question]                       # optional: one question per project goal; {goal} is the goal's text
    text = { nb = "I hvilken grad er målet «{goal}» nådd?", nn = "…", en = "…" }

    [free_text]                           # optional, never required of the respondent
    text = { nb = "…", nn = "…", en = "…" }

`parse_questionnaire(text, source=...)` returns the normalised definition or raises QuestionnaireError listing
every problem with the file, so a file is taken whole or not at all.
"""

import re
import tomllib

from django.utils.translation import gettext as _

LANGS = ("nb", "nn", "en")
KEY_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_KEY = 80
MAX_NAME = 200
MAX_TEXT = 500
MAX_QUESTIONS = 40
MAX_VERSION = 100000
MAX_SOURCE_BYTES = 128 * 1024
MAX_GOALS = 12
GOAL_PREFIX = "goal-"


class QuestionnaireError(ValueError):
    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def parse_questionnaire(text, *, source: str = "questionnaire") -> dict:
    if isinstance(text, bytes):
        if len(text) > MAX_SOURCE_BYTES:
            raise QuestionnaireError(source, [_("The file is larger than %(n)s kB.") % {"n": MAX_SOURCE_BYTES // 1024}])
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise QuestionnaireError(source, [_("The file is not UTF-8 text.")]) from None
    if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise QuestionnaireError(source, [_("The file is larger than %(n)s kB.") % {"n": MAX_SOURCE_BYTES // 1024}])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionnaireError(source, [_("Not valid TOML: %(error)s") % {"error": exc}]) from None
    problems: list[str] = []

    def fail(path, message):
        problems.append(f"{path}: {message}")

    def texts(path, value, max_length=MAX_TEXT):
        if not isinstance(value, dict) or set(value) != set(LANGS):
            fail(path, _('expected { nb = "…", nn = "…", en = "…" } with all three languages'))
            return dict.fromkeys(LANGS, "")
        out = {}
        for lang in LANGS:
            item = value[lang]
            if not isinstance(item, str) or not item.strip():
                fail(f"{path}.{lang}", _("must be a non-empty text"))
                item = ""
            elif "\x00" in item or len(item.strip()) > max_length:
                fail(f"{path}.{lang}", _("is longer than %(n)s characters") % {"n": max_length})
                item = ""
            out[lang] = " ".join(item.split())
        return out

    def known(path, table, required, optional=()):
        if not isinstance(table, dict):
            fail(path, _("expected a table"))
            return False
        for name in required:
            if name not in table:
                fail(f"{path}.{name}" if path else name, _("is missing"))
        for name in table:
            if name not in required and name not in optional:
                fail(f"{path}.{name}" if path else name, _("is not a known key"))
        return True

    known("", data, ("key", "version", "name", "questions"), ("intro", "goal_question", "free_text"))
    key = data.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key) or len(key) > MAX_KEY:
        fail("key", _("%(value)s is not a key (lowercase letters, digits and hyphens)") % {"value": repr(key)})
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= MAX_VERSION:
        fail("version", _("must be a whole number from 1 to %(n)s") % {"n": MAX_VERSION})
    out = {
        "key": key,
        "version": version,
        "name": texts("name", data.get("name"), MAX_NAME),
        "intro": texts("intro", data["intro"]) if "intro" in data else None,
        "questions": [],
        "goal_question": None,
        "free_text": None,
    }
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        fail("questions", _("give at least one question"))
        questions = []
    elif len(questions) > MAX_QUESTIONS:
        fail("questions", _("at most %(n)s questions") % {"n": MAX_QUESTIONS})
    seen = set()
    for i, question in enumerate(questions, 1):
        path = f"questions[{i}]"
        if not known(path, question, ("key", "text")):
            continue
        qkey = question.get("key")
        if not isinstance(qkey, str) or not KEY_RE.match(qkey) or len(qkey) > MAX_KEY:
            fail(
                f"{path}.key",
                _("%(value)s is not a key (lowercase letters, digits and hyphens)") % {"value": repr(qkey)},
            )
        elif qkey in seen:
            fail(f"{path}.key", _("%(value)s is used twice") % {"value": repr(qkey)})
        elif qkey.startswith(GOAL_PREFIX):
            fail(
                f"{path}.key",
                _("keys starting with %(prefix)s are kept for the goal questions") % {"prefix": repr(GOAL_PREFIX)},
            )
        seen.add(qkey)
        out["questions"].append({"key": qkey, "text": texts(f"{path}.text", question.get("text"))})
    if "goal_question" in data and known("goal_question", data["goal_question"], ("text",)):
        goal = texts("goal_question.text", data["goal_question"].get("text"))
        for lang in LANGS:
            if goal[lang] and goal[lang].count("{goal}") != 1:
                fail(f"goal_question.text.{lang}", _("must hold {goal} once, where the goal's text goes"))
        out["goal_question"] = {"text": goal}
    if "free_text" in data and known("free_text", data["free_text"], ("text",)):
        out["free_text"] = {"text": texts("free_text.text", data["free_text"].get("text"))}
    if problems:
        raise QuestionnaireError(source, problems)
    return out


def questions_for(definition: dict, goals: list[str]) -> dict:
    """The questions a survey asks (stored on the survey when it starts): the questionnaire's, then one per
    project goal, and the free-text question if there is one."""
    questions = [dict(q) for q in definition["questions"]]
    template = definition.get("goal_question")
    if template:
        for i, goal in enumerate(goals[:MAX_GOALS], 1):
            goal = " ".join(goal.split())[:200]
            questions.append(
                {
                    "key": f"{GOAL_PREFIX}{i}",
                    "goal": goal,
                    "text": {lang: template["text"][lang].replace("{goal}", goal) for lang in LANGS},
                }
            )
    return {"questions": questions, "free_text": definition.get("free_text"), "intro": definition.get("intro")}
