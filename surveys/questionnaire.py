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

from phases.definition import FileChecker

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


def _decode(text, source) -> dict:
    """The file's TOML as a dict, or QuestionnaireError for a file too large, not UTF-8 or not TOML."""
    too_large = _("The file is larger than %(n)s kB.") % {"n": MAX_SOURCE_BYTES // 1024}
    if isinstance(text, bytes):
        if len(text) > MAX_SOURCE_BYTES:
            raise QuestionnaireError(source, [too_large])
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise QuestionnaireError(source, [_("The file is not UTF-8 text.")]) from None
    if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise QuestionnaireError(source, [too_large])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionnaireError(source, [_("Not valid TOML: %(error)s") % {"error": exc}]) from None


class _Checker(FileChecker):
    """Collects every problem of a file, each named by its path in the file (`fail` and `keys` are the process
    templates' own)."""

    def __init__(self):
        super().__init__([])

    def text(self, path, item, max_length):
        if not isinstance(item, str) or not item.strip():
            self.fail(path, _("must be a non-empty text"))
            return ""
        if "\x00" in item or len(item.strip()) > max_length:
            self.fail(path, _("is longer than %(n)s characters") % {"n": max_length})
            return ""
        return " ".join(item.split())

    def texts(self, path, value, max_length=MAX_TEXT):
        if not isinstance(value, dict) or set(value) != set(LANGS):
            self.fail(path, _('expected { nb = "…", nn = "…", en = "…" } with all three languages'))
            return dict.fromkeys(LANGS, "")
        return {lang: self.text(f"{path}.{lang}", value[lang], max_length) for lang in LANGS}

    def key(self, path, value):
        if not isinstance(value, str) or not KEY_RE.match(value) or len(value) > MAX_KEY:
            message = _("%(value)s is not a key (lowercase letters, digits and hyphens)") % {"value": repr(value)}
            self.fail(path, message)
            return False
        return True

    def version(self, value):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_VERSION:
            self.fail("version", _("must be a whole number from 1 to %(n)s") % {"n": MAX_VERSION})

    def question_key(self, path, qkey, seen):
        if not self.key(path, qkey):
            return
        if qkey in seen:
            self.fail(path, _("%(value)s is used twice") % {"value": repr(qkey)})
        elif qkey.startswith(GOAL_PREFIX):
            self.fail(
                path, _("keys starting with %(prefix)s are kept for the goal questions") % {"prefix": repr(GOAL_PREFIX)}
            )

    def questions(self, questions) -> list[dict]:
        if not isinstance(questions, list) or not questions:
            self.fail("questions", _("give at least one question"))
            questions = []
        elif len(questions) > MAX_QUESTIONS:
            self.fail("questions", _("at most %(n)s questions") % {"n": MAX_QUESTIONS})
        out, seen = [], set()
        for i, question in enumerate(questions, 1):
            path = f"questions[{i}]"
            if not self.keys(path, question, ("key", "text")):
                continue
            qkey = question.get("key")
            self.question_key(f"{path}.key", qkey, seen)
            seen.add(qkey)
            out.append({"key": qkey, "text": self.texts(f"{path}.text", question.get("text"))})
        return out

    def goal_question(self, table) -> dict | None:
        if not self.keys("goal_question", table, ("text",)):
            return None
        goal = self.texts("goal_question.text", table.get("text"))
        for lang in LANGS:
            if goal[lang] and goal[lang].count("{goal}") != 1:
                self.fail(f"goal_question.text.{lang}", _("must hold {goal} once, where the goal's text goes"))
        return {"text": goal}

    def free_text(self, table) -> dict | None:
        if not self.keys("free_text", table, ("text",)):
            return None
        return {"text": self.texts("free_text.text", table.get("text"))}


def parse_questionnaire(text, *, source: str = "questionnaire") -> dict:
    data = _decode(text, source)
    check = _Checker()
    check.keys("", data, ("key", "version", "name", "questions"), ("intro", "goal_question", "free_text"))
    key, version = data.get("key"), data.get("version")
    check.key("key", key)
    check.version(version)
    out = {
        "key": key,
        "version": version,
        "name": check.texts("name", data.get("name"), MAX_NAME),
        "intro": check.texts("intro", data["intro"]) if "intro" in data else None,
        "questions": check.questions(data.get("questions")),
        "goal_question": check.goal_question(data["goal_question"]) if "goal_question" in data else None,
        "free_text": check.free_text(data["free_text"]) if "free_text" in data else None,
    }
    if check.problems:
        raise QuestionnaireError(source, check.problems)
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
