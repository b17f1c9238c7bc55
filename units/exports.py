"""Exports of a subtree's units, people and posts, in the layout the importers read back.

Each export starts from the user's scope: a 班子 member who sees only his own
unit exports only that unit, whatever root he names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from units.imports import PEOPLE_COLUMNS, POST_COLUMNS, UNIT_COLUMNS
from units.models import Person, Unit
from units.selectors import posts_visible_to, units_visible_to, with_parent_code


def unit_rows(user: Any, root: Unit) -> tuple[list[str], Iterator[list[Any]]]:
    units = with_parent_code(units_visible_to(user).filter(path__startswith=root.path)).order_by("path")

    def rows() -> Iterator[list[Any]]:
        for unit in units.iterator(chunk_size=2000):
            yield [unit.code, unit.name, unit.get_kind_display(), unit.parent_code or ""]

    return [c.header for c in UNIT_COLUMNS], rows()


def people_rows(user: Any, root: Unit) -> tuple[list[str], Iterator[list[Any]]]:
    holds_post = posts_visible_to(user).filter(person=OuterRef("pk"), unit__path__startswith=root.path)
    people = Person.objects.filter(Exists(holds_post)).order_by("code")

    def rows() -> Iterator[list[Any]]:
        for person in people.iterator(chunk_size=2000):
            yield [person.code, person.name, person.get_rank_display(), person.phone]

    return [c.header for c in PEOPLE_COLUMNS], rows()


def post_rows(user: Any, root: Unit) -> tuple[list[str], Iterator[list[Any]]]:
    posts = (
        posts_visible_to(user)
        .filter(unit__path__startswith=root.path)
        .select_related("person", "unit")
        .prefetch_related("oversees")
        .order_by("unit__path", "sort_order", "start_date")
    )

    def rows() -> Iterator[list[Any]]:
        for post in posts.iterator(chunk_size=2000):
            yield [
                post.person.code,
                post.unit.code,
                post.title,
                post.get_role_display(),
                post.sort_order,
                post.start_date.isoformat(),
                post.end_date.isoformat() if post.end_date else "",
                "、".join(u.code for u in post.oversees.all()),
            ]

    return [c.header for c in POST_COLUMNS], rows()


EXPORTS = {
    "units": (_("单位"), unit_rows),
    "people": (_("人员"), people_rows),
    "posts": (_("职务"), post_rows),
}
