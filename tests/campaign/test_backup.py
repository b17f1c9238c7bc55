"""Backup and restore as the README documents it: a pg_dump restored into an empty database has every
record and every history row."""

import shutil
import subprocess
import uuid

import psycopg2
import pytest
from django.db import connection

from tests.conftest import build_world
from units import services
from units.models import Unit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def query(dsn: dict, sql: str) -> list[tuple]:
    conn = psycopg2.connect(**dsn)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        conn.close()


def table_counts(dsn: dict) -> dict[str, int]:
    tables = [row[0] for row in query(dsn, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    return {table: query(dsn, f'SELECT count(*) FROM "{table}"')[0][0] for table in tables}


def test_a_dump_restores_every_record_and_its_history(tmp_path):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    world = build_world()
    services.unit_update(
        actor=world.user("office"), unit=world.town_a, version=1, name="甲镇（更名）", code="A01"
    )
    settings = connection.settings_dict
    source = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
    }
    dump = tmp_path / "campaign.dump"
    env = {
        "PGHOST": source["host"],
        "PGUSER": source["user"],
        "PGPORT": str(source["port"]),
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), source["dbname"]], check=True, env=env)
    target = f"restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", target], check=True, env=env)
    try:
        subprocess.run(["pg_restore", "--no-owner", "-d", target, str(dump)], check=True, env=env)
        before, after = table_counts(source), table_counts({**source, "dbname": target})
        assert after == before
        assert after["units_historicalunit"] >= Unit.objects.count() + 1  # the rename is there too
        names = query(
            {**source, "dbname": target},
            "SELECT name FROM units_historicalunit WHERE code = 'A01' ORDER BY history_date",
        )
        assert [row[0] for row in names] == ["甲镇", "甲镇（更名）"]
    finally:
        subprocess.run(["dropdb", "--if-exists", "--force", target], check=True, env=env)
