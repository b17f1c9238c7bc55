"""Bad input on the main create forms: over-long text, impossible dates, an end before the start,
empty required fields. Each gets the form back (200, or 400 on the public page) with a Chinese
message, and no row is saved.
HTML/JS typed into a text field is stored as typed and shown escaped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model

from materials.standard_chains import install as install_material_chains
from rectification.models import RectificationItem
from rectification.review_chains import install as install_plan_chains
from stages.models import Opinion, StudySession, Survey
from units.models import Unit

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class FormCase:
    name: str
    role: str
    day: datetime.date
    url: str
    model: type[Model]
    valid: dict[str, Any]
    text_field: str  # shown on the detail page
    long_field: str  # has a length limit
    date_field: str
    required_field: str


CASES = [
    FormCase(
        "rectification item",
        "office",
        datetime.date(2014, 6, 20),
        "/rectification/units/A00/items/add/",
        RectificationItem,
        {
            "kind": "team",
            "problem": "文山会海",
            "measure": "精简会议",
            "target": "会议减少三分之一",
            "responsible_unit": "县委办公室",
            "handling": "deadline",
            "deadline": "2014-07-20",
            "priority": "normal",
        },
        "problem",
        "responsible_unit",
        "deadline",
        "measure",
    ),
    FormCase(
        "study session",
        "office",
        datetime.date(2014, 4, 15),
        "/study/units/A00/add/",
        StudySession,
        {"kind": "concentrated", "held_on": "2014-04-12", "hours": "2.0", "topic": "学习党章"},
        "topic",
        "topic",
        "held_on",
        "topic",
    ),
    FormCase(
        "opinion",
        "office",
        datetime.date(2014, 4, 15),
        "/opinions/units/A00/add/",
        Opinion,
        {
            "channel": "symposium",
            "category": "bureaucratism",
            "received_on": "2014-04-12",
            "text": "办事跑了好几趟",
            "is_anonymous": "on",
        },
        "text",
        "text",
        "received_on",
        "text",
    ),
    FormCase(
        "public opinion",
        "anonymous",
        datetime.date(2014, 4, 15),
        "/public/units/A00/opinions/",
        Opinion,
        {"category": "bureaucratism", "text": "办事跑了好几趟", "identity": "anonymous"},
        "text",
        "text",
        "",
        "text",
    ),
]
IDS = [c.name for c in CASES]


def bad_inputs(case: FormCase) -> list[tuple[str, dict[str, Any]]]:
    bad = [
        ("over-long text", {case.long_field: "长" * 10_000}),
        ("empty required field", {case.required_field: "  "}),
    ]
    if case.date_field:
        bad.append(("impossible date", {case.date_field: "2014-13-45"}))
    return bad


@pytest.fixture
def form_world(world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    install_material_chains(apps)
    install_plan_chains(apps)
    return world


def post(as_user, settings, case: FormCase, data: dict[str, Any]) -> Any:
    settings.CAMPAIGN_CLOCK_DATE = case.day
    return as_user(case.role).post(case.url, data)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_valid_input_saves_one_row(form_world, as_user, settings, case):
    before = case.model.objects.count()
    response = post(as_user, settings, case, case.valid)
    assert response.status_code in (200, 302), response.status_code
    assert case.model.objects.count() == before + 1, response.content.decode()[:3000]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_saved(form_world, as_user, settings, case):
    for what, change in bad_inputs(case):
        before = case.model.objects.count()
        response = post(as_user, settings, case, {**case.valid, **change})
        page = response.content.decode()
        errors = re.findall(
            r'<(?:p|div) class="(?:field-error|form-errors)"[^>]*>(.*?)</(?:p|div)>', page, re.S
        )
        assert response.status_code in (200, 400), (what, response.status_code)
        assert errors and CHINESE.search(" ".join(errors)), (what, page[:2000])
        assert case.model.objects.count() == before, what


def test_an_end_before_the_start_is_refused(form_world, as_user, settings):
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 4, 15)
    response = as_user("office").post(
        "/surveys/units/A00/add/",
        {
            "title": "群众评议",
            "purpose": "stage_one",
            "mode": "respondents",
            "opens_at": "2014-04-20T09:00",
            "closes_at": "2014-04-18T18:00",
            "targets": "A00",
            "threshold": "2/3",
            "options": "满意、基本满意、不满意",
        },
    )
    assert response.status_code == 200 and CHINESE.search(response.content.decode())
    assert not Survey.objects.exists()


@pytest.mark.parametrize("case", [c for c in CASES if c.role != "anonymous"], ids=lambda c: c.name)
def test_html_typed_in_a_text_field_is_shown_escaped(form_world, as_user, settings, case):
    text = f"会议多{SCRIPT}"
    post(as_user, settings, case, {**case.valid, case.text_field: text})
    record = case.model.objects.latest("pk")
    assert getattr(record, case.text_field) == text  # kept as typed ...
    page = as_user(case.role).get(record.get_absolute_url()).content.decode()
    assert "会议多&lt;script&gt;alert(1)&lt;/script&gt;" in page  # ... and shown as text
    assert SCRIPT not in page


def test_no_unit_is_saved_from_a_half_valid_form(form_world, as_user):
    before = Unit.objects.count()
    response = as_user("office").post(
        "/units/A00/add-child/", {"name": "长" * 10_000, "code": "A09", "kind": "township"}
    )
    assert response.status_code == 200 and CHINESE.search(response.content.decode())
    assert Unit.objects.count() == before
