"""Every law reference the product shows is in docs/law-references.md with its source, and nothing else is."""

import re
from pathlib import Path

from participation.roles import AML_ROLES
from phases.definition import parse_template

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "law-references.md"
TEMPLATES = sorted((ROOT / "phases" / "process_templates").glob("*.toml"))
REF = re.compile(
    r"§ \d+-\d+(?: \(\d+\))?(?: [a-z]\b)?|Hovedavtalen KS(?: del [A-Z]\b)?"
    r"|forskrift om organisering, ledelse og medvirkning",
    re.IGNORECASE,
)
ROW = re.compile(r"^\| `(?P<where>[^`]+)` \| `(?P<ref>[^`]+)` \| (?P<source>.+) \|$")


def refs_in(text):
    found = REF.findall(text)
    # A "§" written in another form (no space, "§§", a missing paragraph number) would slip past the table.
    assert text.count("§") == sum(r.startswith("§") for r in found), text
    return {r[0].lower() + r[1:] if r.lower().startswith("forskrift") else r for r in found}


def shown():
    """{(where, reference)} for everything the participation plan and the templates show."""
    out = set()
    for aml in AML_ROLES:
        for law in aml.laws:
            refs = refs_in(law)
            assert len(refs) == 1 and law.removeprefix("aml. ") in refs, law
            out |= {(f"plan: {aml.key}", r) for r in refs}
    for path in TEMPLATES:
        definition = parse_template(path.read_text(encoding="utf-8"), source=str(path))
        for phase in definition["phases"]:
            refs = refs_in(phase["description"]["nb"] + phase["description"]["en"])
            assert not refs, f"{definition['key']}: {phase['key']} cites {refs} in its description"
            for activity in phase["activities"]:
                by_lang = {}
                for lang in ("nb", "en"):
                    texts = [activity["guidance"][lang], activity["name"][lang]]
                    texts += [i["text"][lang] for i in activity["items"]]
                    texts += [s["description"][lang] + " " + s["name"][lang] for s in activity["participation_steps"]]
                    by_lang[lang] = refs_in("\n".join(texts))
                assert by_lang["nb"] == by_lang["en"], f"{activity['key']}: the languages cite different references"
                out |= {(f"{definition['key']}: {activity['key']}", r) for r in by_lang["nb"]}
    return out | privacy_chapters()


def privacy_chapters():
    """The chapters of the Working Environment Act the privacy page rests on, in every language it is shown in."""
    import polib

    page = ROOT.joinpath("templates", "pages", "privacy.html").read_text(encoding="utf-8")
    msgid = re.search(r"\{% translate \"([^\"]*Working Environment Act chapters[^\"]*)\" %\}", page)[1]
    found = {"en": msgid}
    for lang in ("nb", "nn"):
        found[lang] = polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po")).find(msgid).msgstr
    chapters = {}
    for lang, text in found.items():
        words = re.search(r"(?:chapters|kapittel) ([\d, ]+(?:and|og) \d+)", text)[1]
        chapters[lang] = set(re.findall(r"\d+", words))
    assert chapters["nb"] == chapters["nn"] == chapters["en"], chapters
    return {("privacy", f"kapittel {n}") for n in chapters["en"]}


def table():
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            assert (m["where"], m["ref"]) not in rows, f"twice in the table: {m['where']} {m['ref']}"
            rows[(m["where"], m["ref"])] = m["source"]
    return rows


def test_every_reference_shown_is_in_the_table_and_every_row_is_shown():
    product, documented = shown(), table()
    assert product, "no references found: the reader is broken"
    assert sorted(product - set(documented)) == [], "shown but not in docs/law-references.md"
    assert sorted(set(documented) - product) == [], "in docs/law-references.md but no longer shown"


def test_every_row_cites_a_seed_or_the_design():
    for (where, ref), source in table().items():
        assert re.search(r"Seed 00\d|DESIGN §2", source), f"{where} {ref}: no source named"
        assert "«" in source or "as above" in source, f"{where} {ref}: no passage quoted"


def test_the_participation_plan_shows_what_the_sources_name():
    laws = {aml.key: set(aml.laws) for aml in AML_ROLES}
    assert laws["safety_rep"] == {"aml. § 6-2", "aml. § 6-2 (4)", "aml. § 6-5"}
    assert {"aml. § 3-1 (1)", "aml. § 4-2 (3)", "aml. § 8-1", "aml. § 8-2", "Hovedavtalen KS del B"} == laws[
        "union_rep"
    ]
    assert "aml. § 4-2 (2)" not in laws["employees"] and "aml. § 4-2 (3)" in laws["employees"]
    assert "forskrift om organisering, ledelse og medvirkning" in laws["oh_service"]
    assert all(law != "aml. § 4-2" for law in laws["leader"])


def test_the_privacy_page_names_every_chapter_the_plan_rests_on():
    """Chapters 3 (systematic HMS work, the occupational health service) and 7 (AMU) were missing (issue 28)."""
    assert {ref for _, ref in privacy_chapters()} == {f"kapittel {n}" for n in (2, 3, 4, 6, 7, 8)}


def test_no_other_page_or_translation_carries_a_law_reference():
    """References live in the two places the table is checked against, not in page templates or messages."""
    for path in [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("locale").rglob("*.po")]:
        # Except the archive's screening examples: a screening's legal basis is the archive's own notation
        # ("Offl. § 13"), which the coordinator types; the examples show that notation, not a duty of ours.
        lines = [
            line for line in path.read_text(encoding="utf-8").splitlines() if "Offl." not in line and "fvl." not in line
        ]
        assert not [line for line in lines if "§" in line], path
