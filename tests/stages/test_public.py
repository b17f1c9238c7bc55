"""The public page: submit an opinion without an account, get a receipt code, see the answer later.

Rate-limited per address and per unit; bad input gets a clear Chinese message and never a 500.
"""

import pytest
from django.test import Client

from stages import services
from stages.choices import ClaimKind, OpinionChannel, OpinionSource
from stages.models import Opinion
from tests.factories import root_admin

pytestmark = pytest.mark.django_db

FORM = {"category": "bureaucratism", "text": "政务服务中心办事要跑好几趟。", "identity": "anonymous"}


def submit(client, unit, data=None, ip="10.0.0.1", **extra):
    return client.post(
        f"/public/units/{unit.code}/opinions/", FORM if data is None else data, REMOTE_ADDR=ip, **extra
    )


def test_round_trip_with_receipt_code(world, client):
    unit = world.county_a
    page = client.get(f"/public/units/{unit.code}/")
    assert page.status_code == 200 and "提意见建议" in page.content.decode()

    response = submit(client, unit)
    assert response.status_code == 200
    opinion = Opinion.objects.get()
    page = response.content.decode()
    assert opinion.receipt_display in page and "回执码" in page
    assert (opinion.unit, opinion.channel, opinion.source) == (
        unit,
        OpinionChannel.ONLINE,
        OpinionSource.PUBLIC,
    )
    assert opinion.is_anonymous and opinion.entered_by is None

    # Before the answer: the status, not an answer. The code can be typed any way.
    typed = opinion.receipt_display.lower().replace("-", " ")
    lookup = client.get("/public/opinions/receipt/", {"code": typed}).content.decode()
    assert "正在办理中" in lookup and "政务服务中心办事要跑好几趟" in lookup

    group = services.group_create(actor=root_admin(), unit=unit, opinions=[opinion], title="办事跑腿")
    group = services.group_claim(actor=root_admin(), group=group, kind=ClaimKind.BODY)
    group = services.group_answer(actor=root_admin(), group=group, answer="已推行一次性告知制度。")
    lookup = client.get("/public/opinions/receipt/", {"code": opinion.receipt_code}).content.decode()
    assert "一次性告知制度" not in lookup  # a draft is not public
    services.group_publish(actor=root_admin(), group=group)
    lookup = client.get("/public/opinions/receipt/", {"code": opinion.receipt_code}).content.decode()
    assert "已推行一次性告知制度。" in lookup and "已反馈" in lookup
    # The public page of the unit lists the published answer under its summary.
    public = client.get(f"/public/units/{unit.code}/").content.decode()
    assert "办事跑腿" in public and "已推行一次性告知制度。" in public


def test_unknown_or_malformed_receipt_codes(world, client):
    for code in ("ABCD-EFGH-JKLM", "abc", "<script>", "Ａ" * 40, "0000-0000-0000"):
        response = client.get("/public/opinions/receipt/", {"code": code})
        assert response.status_code == 200
        assert (
            "没有找到该回执码" in response.content.decode() or "不超过 32 字符" in response.content.decode()
        )


def test_named_submission_needs_a_name(world, client):
    response = submit(client, world.county_a, {**FORM, "identity": "named"})
    assert response.status_code == 400
    assert "实名提交请填写姓名" in response.content.decode()
    response = submit(client, world.county_a, {**FORM, "identity": "named", "submitter_name": "王五"})
    assert response.status_code == 200
    assert Opinion.objects.get().submitter_name == "王五"


def test_anonymous_submission_drops_any_name_typed(world, client):
    submit(client, world.county_a, {**FORM, "submitter_name": "王五", "submitter_contact": "139"})
    opinion = Opinion.objects.get()
    assert (opinion.is_anonymous, opinion.submitter_name, opinion.submitter_contact) == (True, "", "")


def test_rate_limit_per_address(world, client, settings):
    settings.STAGES_RATE_LIMITS = {"opinion_ip": (3, 600)}
    for _ in range(3):
        assert submit(client, world.county_a, ip="10.0.0.9").status_code == 200
    refused = submit(client, world.county_a, ip="10.0.0.9")
    assert refused.status_code == 429
    assert "提交过于频繁" in refused.content.decode() and refused["Retry-After"]
    assert Opinion.objects.count() == 3
    # Another address is not held back.
    assert submit(client, world.county_a, ip="10.0.0.10").status_code == 200


def test_rate_limit_per_unit(world, client, settings):
    settings.STAGES_RATE_LIMITS = {"opinion_unit": (2, 3600)}
    assert submit(client, world.county_a, ip="10.0.1.1").status_code == 200
    assert submit(client, world.county_a, ip="10.0.1.2").status_code == 200
    assert submit(client, world.county_a, ip="10.0.1.3").status_code == 429
    assert submit(client, world.county_b, ip="10.0.1.3").status_code == 200


def test_receipt_lookups_are_rate_limited(world, client, settings):
    settings.STAGES_RATE_LIMITS = {"receipt_ip": (2, 600)}
    for _ in range(2):
        assert client.get("/public/opinions/receipt/", {"code": "ABCD"}).status_code == 200
    assert client.get("/public/opinions/receipt/", {"code": "ABCD"}).status_code == 429


def test_forwarded_address_is_used_only_behind_a_trusted_proxy(world, client, settings):
    settings.STAGES_RATE_LIMITS = {"opinion_ip": (1, 600)}
    headers = {"HTTP_X_FORWARDED_FOR": "1.1.1.1"}
    assert submit(client, world.county_a, ip="10.9.9.9", **headers).status_code == 200
    # Without trusting the header, a forged X-Forwarded-For does not buy a new allowance.
    assert submit(client, world.county_a, ip="10.9.9.9", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429
    settings.STAGES_TRUST_X_FORWARDED_FOR = True
    assert submit(client, world.county_a, ip="10.9.9.9", HTTP_X_FORWARDED_FOR="3.3.3.3").status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "该字段是必填项"),
        ({**FORM, "text": ""}, "该字段是必填项"),
        ({**FORM, "text": "   \n\t "}, "该字段是必填项"),
        ({**FORM, "text": "长" * 2001}, "不超过 2000 字符"),
        ({**FORM, "category": "nonsense"}, "选择一个有效的选项"),
        ({**FORM, "identity": "spy"}, "选择一个有效的选项"),
        ({**FORM, "text": "含有\x00空字符"}, "空字符"),
        ({**FORM, "submitter_name": "名" * 51, "identity": "named"}, "不超过 50 字符"),
        ({**FORM, "website": "http://spam.example"}, "提交未成功"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(world, client, data, message):
    response = submit(client, world.county_a, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Opinion.objects.exists()


def test_html_and_script_are_stored_as_typed_and_escaped_on_every_page(world, client, as_user):
    text = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = submit(client, world.county_a, {**FORM, "text": text})
    opinion = Opinion.objects.get()
    assert opinion.text == text
    assert "<script>alert" not in response.content.decode()
    lookup = client.get("/public/opinions/receipt/", {"code": opinion.receipt_code}).content.decode()
    assert "<script>alert" not in lookup and "&lt;script&gt;" in lookup
    office = as_user("office")
    for url in (f"/opinions/{opinion.pk}/", f"/opinions/units/{world.county_a.code}/"):
        page = office.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page


def test_wrong_encodings_and_odd_characters_never_break_the_page(world, client):
    unit = world.county_a
    # Invalid UTF-8 in a urlencoded body.
    body = b"category=bureaucratism&identity=anonymous&text=%FF%FE%E4%B8"
    response = client.post(
        f"/public/units/{unit.code}/opinions/",
        body,
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR="10.3.0.1",
    )
    assert response.status_code in (200, 400)
    # GBK bytes sent as if they were UTF-8.
    body = b"category=bureaucratism&identity=anonymous&text=" + "意见".encode("gbk")
    response = client.post(
        f"/public/units/{unit.code}/opinions/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 400)
    # Emoji, right-to-left marks, zero-width characters and lone control characters.
    text = "办事难😡\u202e反转\u200b零宽\x07响铃\r\n换行"
    response = submit(client, unit, {**FORM, "text": text}, ip="10.3.0.2")
    assert response.status_code == 200
    saved = Opinion.objects.order_by("-pk").first()
    assert "\u202e" not in saved.text and "\x07" not in saved.text and "😡" in saved.text
    assert "\r" not in saved.text
    # Malformed multipart.
    response = client.post(
        f"/public/units/{unit.code}/opinions/",
        b"--x\r\nnot really multipart",
        content_type="multipart/form-data; boundary=x",
        REMOTE_ADDR="10.3.0.3",
    )
    assert response.status_code in (400, 200)


def test_unknown_or_closed_unit_is_404(world, client):
    assert client.get("/public/units/NOPE/opinions/").status_code == 404
    assert submit(client, type("U", (), {"code": "x" * 300})).status_code == 404


def test_forms_are_csrf_protected(world):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/public/units/{world.county_a.code}/opinions/", FORM)
    assert response.status_code == 403
    assert not Opinion.objects.exists()
    page = strict.get(f"/public/units/{world.county_a.code}/opinions/").content.decode()
    assert "csrfmiddlewaretoken" in page


def test_a_unit_outside_every_campaign_does_not_accept_opinions(world, client):
    from tests.factories import make_unit
    from units.choices import UnitKind

    lonely = make_unit(None, UnitKind.PROVINCE, "另一省", "Q00")
    page = client.get(f"/public/units/{lonely.code}/").content.decode()
    assert "本单位目前不接收网上意见" in page
    response = submit(client, lonely)
    assert response.status_code == 400 and "不在任何教育实践活动的范围内" in response.content.decode()
