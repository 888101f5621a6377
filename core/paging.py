"""Fixed-size pages for long lists (a province's queue holds 1,500 schools): the page number
read from the query string and clamped, the slice bounds, and the links' query string that
keeps the filters. The total comes from the caller (often an aggregate it already ran), so a
page costs no extra COUNT query."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    number: int
    num_pages: int
    total: int
    size: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        return min(self.start + self.size, self.total)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_of(raw: str | None, total: int, size: int = PAGE_SIZE) -> Page:
    """The page asked for; anything that is not a page number gives the nearest real page
    (no input gives a 404 or a 500)."""
    num_pages = max(1, -(-total // size))
    try:
        number = int(raw or 1)
    except ValueError:
        number = 1
    return Page(min(max(number, 1), num_pages), num_pages, total, size)


def query_without_page(query: QueryDict) -> str:
    """The current filters as a query string, the page left out (the pager adds its own)."""
    kept = query.copy()
    kept.pop("page", None)
    return kept.urlencode()
