"""雷同检测 on PostgreSQL: two workers checking one version at once, and the index lookups."""

import datetime
import threading

import pytest
from django.apps import apps
from django.db import connection, connections

from materials.copycheck import services
from materials.copycheck.choices import CopyStatus
from materials.models import CopyDocument, CopyFingerprint, CopyReport
from materials.standard_chains import install
from tests.factories import root_admin
from tests.materials.conftest import account
from tests.materials.copycheck_helpers import own_content, report_of, submit
from units import demo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_workers_checking_the_same_version_index_it_once(settings, monkeypatch):
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 10)
    install(apps)
    context = demo.seed(root_admin())
    account("P410922-SJ")
    story = (
        "去年全县开展城区供水管网改造，我作为分管领导只在开工仪式上露了一次面，"
        "施工期间三个小区停水累计十一天。"
    )
    submit(context.campaign, "P410922-ZZB", "410922", own_content(1, formalism=story * 2))
    monkeypatch.setattr(services, "_queue", lambda version_id: None)  # the two threads below are the workers
    copier = submit(context.campaign, "P410922-XCB", "410922", own_content(2, formalism=story * 2))
    version_id = report_of(copier).material_version_id
    assert not CopyDocument.objects.filter(material_version_id=version_id).exists()

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=20)
            services.copy_check_run(version_id=version_id)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = CopyReport.objects.get(material_version_id=version_id)
    assert report.status == CopyStatus.DONE and report.runs == 2 and report.passages
    document = CopyDocument.objects.get(material_version_id=version_id)
    assert CopyFingerprint.objects.filter(document=document).count() == document.fingerprint_count > 0


def test_fingerprint_lookups_are_index_only_scans_of_the_primary_key():
    sql, params = (
        CopyFingerprint.objects.filter(hash__in=[1, 2, 3])
        .values_list("hash", "document_id", "position")
        .query
    ).sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "materials_copyfingerprint_pkey" in plan, plan
