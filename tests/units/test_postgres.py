"""Behaviour that only a real PostgreSQL shows: concurrent writers and index use."""

import threading

import pytest
from django.db import connection, connections

from tests.conftest import build_world
from tests.factories import root_admin
from units import services
from units.choices import UnitKind
from units.models import Unit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_offices_adding_children_at_once_get_distinct_paths():
    world = build_world()
    barrier = threading.Barrier(8)
    errors = []

    def add(i):
        try:
            barrier.wait(timeout=10)
            services.unit_create(
                actor=root_admin(),
                parent=world.town_a,
                name=f"并发村{i}",
                code=f"CC{i}",
                kind=UnitKind.VILLAGE,
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    paths = list(Unit.objects.filter(code__startswith="CC").values_list("path", flat=True))
    assert len(set(paths)) == 8
    world.town_a.refresh_from_db()
    assert world.town_a.numchild == 9
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_subtree_filter_can_use_the_path_pattern_index():
    build_world()
    from units.selectors import units_visible_to

    user = type(root_admin()).objects.get(username="office")
    queryset = units_visible_to(user)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "units_unit_path" in plan and "_like" in plan, plan
