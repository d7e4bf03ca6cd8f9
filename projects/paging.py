"""Pages of a long list whose total is counted only up to a cap.

Counting every row of a list costs as much as the list is long: a representative in 20 000 projects has some
90 000 decisions, and counting them (each checked against the person's memberships and waiting steps) took
longer than the page itself. Up to `cap` rows the page is Django's own, with its exact total; beyond it the
total reads "more than <cap>", and the page knows only whether a next one exists (it reads one row more than it
shows). A page number past the end (typed, or an old link) gives the last page, as `Paginator.get_page` does,
and only then is everything counted.
"""

from django.core.paginator import Paginator


class OpenEndedPage:
    """A page of a list longer than the cap: what `includes/_pagination.html` needs, without a page count."""

    open_ended = True

    def __init__(self, rows, number, per_page, cap):
        self.object_list = rows[:per_page]
        self.number = number
        self._next = len(rows) > per_page
        self.paginator = _OpenEndedPaginator(per_page, cap)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self._next or self.number > 1

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


class _OpenEndedPaginator:
    def __init__(self, per_page, cap):
        self.per_page = per_page
        self.cap = cap
        self.count = cap + 1  # "more than cap": true, and what a template's `if count` needs
        self.num_pages = None


def _number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def capped_page(queryset, number, *, per_page: int, cap: int):
    """Page `number` of `queryset`: Django's page with the exact total when there are at most `cap` rows (two
    queries: a count that stops at cap + 1, and the page), otherwise an `OpenEndedPage` (the same two)."""
    counted = queryset[: cap + 1].count()
    if counted <= cap:
        paginator = Paginator(queryset, per_page)
        paginator.count = counted  # already counted: Paginator would count again
        return paginator.get_page(number)
    number = _number(number)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:  # past the end: the last page, as Paginator gives it
        return Paginator(queryset, per_page).get_page(number)
    return OpenEndedPage(rows, number, per_page, cap)
