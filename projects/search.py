"""Text search: the one piece every search box of the product uses (the overview, the member picker, the inbox).

A search matches when the searched text contains every word of the query, whatever the case and the accents:
"okonomi" finds "Økonomi", "forde" finds "Førde", "cafe" finds "Café". Both sides are *folded*: the Norwegian
and a few other accented letters become plain ones (æ → ae, ø → o, å → a, é → e …) and A–Z lower case. The
database folds with nested REPLACE and LOWER, the same on PostgreSQL and SQLite; Python folds the query with
the same table (`fold`).

A big table keeps its folded text in a stored generated column (`Project.search_text`, built by
`folded(...)`), which PostgreSQL indexes with a trigram GIN index (`gin_trgm_ops`): a contains-search
(`LIKE '%okonomi%'`) then reads the index instead of every row. Small tables (people, units) fold at query time.

    from projects import search
    Project.objects.filter(search.contains(query, column="search_text"))
    User.objects.filter(search.contains(query, "full_name", "email"))

The Django admin's lists of people, units, projects and members search the same way (`FoldedAdminSearch`).
"""

from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Coalesce, Lower, Replace
from django.db.models.lookups import Contains

# Letter -> its plain form. Upper and lower case both: SQLite's LOWER changes A–Z only. Kept short: SQLite's
# parser stops at some 30 nested functions, and these are the letters of Norwegian names and words.
FOLDS = {
    "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "å": "a", "Å": "a",
    "ä": "a", "Ä": "a", "ö": "o", "Ö": "o", "ü": "u", "Ü": "u", "é": "e", "É": "e", "è": "e", "ô": "o",
}  # fmt: skip
_TABLE = str.maketrans({**FOLDS, **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)}})


def fold(text: str) -> str:
    """`text` as the database folds it: accents off, A–Z in lower case."""
    return str(text).translate(_TABLE)


def words(query: str) -> list[str]:
    return [fold(word) for word in str(query or "").split()]


def folded(*fields):
    """The folded text of `fields` (paths such as "name" or "user__full_name"), joined by spaces: a database
    expression, immutable on PostgreSQL, so that a generated column can store it."""
    parts = []
    text = TextField()
    for field in fields:
        if parts:
            parts.append(Value(" ", output_field=text))
        parts.append(Coalesce(F(field), Value("", output_field=text), output_field=text))
    # a || b || c, flat (Concat nests a function per pair, and SQLite's parser has little depth to spare)
    expression = Func(*parts, template="(%(expressions)s)", arg_joiner=" || ", output_field=text)
    for letter, plain in FOLDS.items():
        letter, plain = Value(letter, output_field=text), Value(plain, output_field=text)
        expression = Replace(expression, letter, plain, output_field=text)
    return Lower(expression, output_field=text)


def contains(query: str, *fields, column: str | None = None) -> Q:
    """A condition: every word of `query` is in the folded text of `fields`, or in the stored folded `column`
    (a path to a column built with `folded`). An empty query matches everything."""
    text = F(column) if column else folded(*fields)
    condition = Q()
    for word in words(query):
        condition &= Q(Contains(text, word))
    return condition


def any_field(query: str, fields, columns=None) -> Q:
    """A condition: every word of `query` is in the folded text of at least one of `fields` (as the Django admin
    matches its search fields). `columns` maps a field to the stored folded column read instead (a project's name
    -> its indexed `search_text`)."""
    columns = columns or {}
    condition = Q()
    for word in words(query):
        either = Q()
        for field in fields:
            text = F(columns[field]) if field in columns else folded(field)
            either |= Q(Contains(text, word))
        condition &= either
    return condition


class FoldedAdminSearch:
    """A ModelAdmin mixin: the admin's search box through this module, accent- and case-insensitive ("ostbo"
    finds "Østbø"), over `search_fields` (prefixes such as "^" are read as a plain contains-search), a project's
    name from its indexed folded column."""

    def get_search_results(self, request, queryset, search_term):
        fields = [f.lstrip("^=@") for f in self.get_search_fields(request)]
        if not fields or not words(search_term):
            return super().get_search_results(request, queryset, search_term)
        # a project's name: its stored folded text (name, case number, address, building), indexed
        names = {"project__name"} | ({"name"} if queryset.model._meta.label == "projects.Project" else set())
        columns = {f: f.removesuffix("name") + "search_text" for f in fields if f in names}
        return queryset.filter(any_field(search_term, fields, columns)), False
