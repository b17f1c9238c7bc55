"""Background work for materials: the copy check (雷同检测) after each submission."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="materials.copy_check",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def copy_check_task(version_id: int) -> None:
    """Check one submitted version. Safe to run twice: the report is recomputed in place."""
    from materials.copycheck.services import copy_check_run

    copy_check_run(version_id=version_id)


@shared_task(
    name="materials.copy_index_reference",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def copy_index_reference_task(reference_id: int) -> None:
    """Fingerprint an uploaded reference text. Safe to run twice."""
    from materials.copycheck.services import reference_text_index

    reference_text_index(reference_id=reference_id)
