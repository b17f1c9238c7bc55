"""Writes for the campaign itself, and the small helpers every service uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from campaign.audit import acting_as
from campaign.files import save_private
from campaign.models import Campaign, Job
from units.access import require, scope_for
from units.models import Unit


def check_version(obj: models.Model, version: int | None) -> None:
    """Refuse a write based on a page that was loaded before the last change."""
    if version is not None and version != obj.version:  # type: ignore[attr-defined]
        raise ValidationError(_("该记录已被他人修改，请刷新页面后重试。"), code="stale")


def save_validated(obj: models.Model, *, actor: Any, update_fields: Iterable[str] | None = None) -> None:
    """full_clean() then save(), attributing the history row to ``actor``.

    With ``update_fields`` only those fields are validated (a status change does
    not re-check every foreign key with a query each).
    """
    fields = list(update_fields) if update_fields is not None else None
    if fields is not None and hasattr(obj, "version") and "version" not in fields:
        obj.version += 1
        fields.append("version")
    if fields is None:
        obj.full_clean()
    else:
        # Field checks only for what changes; constraints always (they span fields).
        obj.clean_fields(exclude=[f.name for f in obj._meta.concrete_fields if f.name not in fields])
        obj.clean()
        obj.validate_constraints()
    with acting_as(actor):
        obj.save(update_fields=fields)


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    name: str,
    root_unit: Unit,
    start_date: Any,
    end_date: Any,
    batch: int = 2,
    min_unit_months: int = 3,
) -> Campaign:
    require(scope_for(actor).can_manage(root_unit.path), _("只有本级活动办可以发起教育实践活动。"))
    campaign = Campaign(
        name=name,
        root_unit=root_unit,
        start_date=start_date,
        end_date=end_date,
        batch=batch,
        min_unit_months=min_unit_months,
    )
    save_validated(campaign, actor=actor)
    return campaign


def job_create(*, actor: Any, kind: str, upload: Any = None, params: dict | None = None) -> Job:
    """Record a background job; the caller queues its task after commit."""
    job = Job(kind=kind, user=actor, params=params or {})
    if upload is not None:
        job.input_name = upload.name[:200]
        job.input_file = save_private(upload, "jobs")
    job.save()
    return job
