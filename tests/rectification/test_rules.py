"""建章立制: the rules inventory (保留/废止/修订/新立) with owners, deadlines, issue date and 文号."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rectification import services
from rectification.choices import RuleStatus
from rectification.models import Rule
from tests.rectification.conftest import TODAY

pytestmark = pytest.mark.django_db


def create(
    rect, world, judgement, title="公务接待管理办法", deadline=datetime.date(2014, 7, 31), actor="office"
):
    return services.rule_create(
        actor=rect.user(actor),
        unit=world.county_a,
        title=title,
        judgement=judgement,
        owner="县委办",
        deadline=deadline,
    )


def test_inventory_lifecycle(rect, world):
    kept = create(rect, world, "keep", title="常委会议事规则", deadline=None)
    assert kept.status == RuleStatus.DONE and kept.events.count() == 1
    with pytest.raises(ValidationError, match="完成时限"):
        create(rect, world, "new", deadline=None)
    new = create(rect, world, "new", title="直接联系群众制度")
    with pytest.raises(ValidationError, match="文号"):
        services.rule_finish(actor=rect.user("principal"), rule=new, version=new.version, issued_on=TODAY)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.rule_finish(
            actor=rect.user("principal"),
            rule=new,
            version=new.version,
            issued_on=TODAY + datetime.timedelta(days=1),
            doc_number="甲发〔2014〕1号",
        )
    services.rule_finish(
        actor=rect.user("principal"),
        rule=new,
        version=new.version,
        issued_on=TODAY,
        doc_number="甲发〔2014〕1号",
    )
    new.refresh_from_db()
    assert (new.status, new.doc_number, new.issued_on) == (RuleStatus.DONE, "甲发〔2014〕1号", TODAY)
    with pytest.raises(ValidationError, match="已经完成"):
        services.rule_finish(
            actor=rect.user("office"), rule=new, version=new.version, issued_on=TODAY, doc_number="x"
        )
    with pytest.raises(ValidationError, match="不能再修改"):
        services.rule_update(
            actor=rect.user("office"), rule=new, version=new.version, title="改", owner="x", deadline=None
        )
    abolished = create(rect, world, "abolish", title="检查评比办法")
    services.rule_finish(
        actor=rect.user("office"), rule=abolished, version=abolished.version, issued_on=TODAY
    )
    abolished.refresh_from_db()
    assert abolished.status == RuleStatus.DONE and abolished.doc_number == ""


def test_rights(rect, world):
    for role in ("supervisor", "office_b", "village", "outsider"):
        with pytest.raises(PermissionDenied):
            create(rect, world, "new", actor=role)
    rule = create(rect, world, "revise", actor="member")
    with pytest.raises(PermissionDenied):
        services.rule_finish(
            actor=rect.user("supervisor"), rule=rule, version=rule.version, issued_on=TODAY, doc_number="x"
        )
    assert Rule.objects.count() == 1


def test_rules_page(rect, world, as_user):
    create(rect, world, "new", title="会议费管理办法", deadline=datetime.date(2014, 6, 18))
    page = as_user("supervisor").get(f"/rectification/units/{world.county_a.code}/rules/").content.decode()
    assert "会议费管理办法" in page and "逾期" in page and "登记完成" not in page
    client = as_user("office")
    rule = Rule.objects.get()
    response = client.post(
        f"/rectification/rules/{rule.pk}/finish/",
        {"version": rule.version, "issued_on": "2014-06-19", "doc_number": ""},
    )
    assert "必须登记文号" in response.content.decode()
    response = client.post(
        f"/rectification/rules/{rule.pk}/finish/",
        {"version": rule.version, "issued_on": "2014-06-19", "doc_number": "甲办〔2014〕9号"},
    )
    assert response.status_code == 302
    assert (
        "甲办〔2014〕9号" in client.get(f"/rectification/units/{world.county_a.code}/rules/").content.decode()
    )
    assert client.get(f"/rectification/rules/{rule.pk}/finish/").status_code == 404
