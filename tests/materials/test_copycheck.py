"""雷同检测: copies found (exact, edited, reordered), stock phrases left alone, private sources kept
private, re-run on a new version, the task safe to run twice, the reviewer's pages."""

import pytest

from materials import sections
from materials.choices import ActionKind
from materials.copycheck.choices import CopyStatus
from materials.models import CopyDocument, CopyFingerprint, CopyReport
from materials.tasks import copy_check_task
from tests.factories import UserFactory
from tests.materials.conftest import account, members_of
from tests.materials.copycheck_helpers import marked, own_content, report_of, submit
from tests.materials.helpers import act

pytestmark = pytest.mark.django_db

# What the 组织部长 wrote himself (his source text), sentence by sentence.
STORY = (
    "去年全县开展城区供水管网改造，我作为分管领导只在开工仪式上露了一次面，施工期间三个小区停水累计十一天，"
    "群众打了四十多个电话到县长热线，我都是批给水务局处理，没有一次到现场了解情况，直到媒体报道后才召开协调会。"
)
STEPS = [
    "一是建立分管领域重点工作周调度制度，每周一上午召开碰头会，把群众反映的问题逐项列入台账。",
    "二是每月至少两天到联系的马庄桥镇蹲点，吃住在村，和群众一起算清楚产业发展的细账。",
    "三是对供水、供暖、垃圾清运这三件群众最操心的事，实行县级干部包案，限期三十天办结并公开结果。",
    "四是把节约下来的会议经费全部用于农村饮水安全工程，年底前向县人大常委会专题报告使用情况。",
]
# Set phrases of the campaign: everyone writes them, nobody copies them.
STOCK = (
    "认真贯彻“照镜子、正衣冠、洗洗澡、治治病”的总要求，以为民务实清廉为主题，"
    "坚决反对形式主义、官僚主义、享乐主义和奢靡之风，对照“三严三实”要求，以整风精神开展批评和自我批评，"
    "从理想信念、宗旨意识、党性修养、政治纪律等方面剖析根源，明确努力方向和整改措施。"
)


@pytest.fixture
def source(province, django_capture_on_commit_callbacks):
    """The 组织部长's own material, checked (nothing copied in it)."""
    account("P410922-SJ")  # the first reviewer of 清丰县's members
    with django_capture_on_commit_callbacks(execute=True):
        material = submit(
            province.campaign,
            "P410922-ZZB",
            "410922",
            own_content(1, formalism=STORY, measures="".join(STEPS), discipline=STOCK),
        )
    assert report_of(material).status == CopyStatus.DONE and report_of(material).passages == []
    return material


def check(province, capture, person, content, unit="410922"):
    with capture(execute=True):
        material = submit(province.campaign, person, unit, content)
    report = report_of(material)
    assert report.status == CopyStatus.DONE
    return material, report


def test_an_exact_copy_is_found_with_its_source_and_share(
    province, source, django_capture_on_commit_callbacks
):
    _copier, report = check(
        province, django_capture_on_commit_callbacks, "P410922-XCB", own_content(2, hedonism=STORY)
    )
    assert len(report.passages) == 1
    passage = report.passages[0]
    assert passage["source"] == {"kind": "material", "material": source.pk, "version": 1}
    text = marked(report)[0]
    assert STORY[5:-5] in text and len(text) <= len(STORY) + 4
    total = len("".join(body for _t, body in sections.sections_text(report.material_version.content)))
    assert 0.5 * len(STORY) / total < report.share < 1.5 * len(STORY) / total
    # The author's own text around it is not marked.
    assert report.source_count == 1


def test_an_edited_copy_is_found(province, source, django_capture_on_commit_callbacks):
    edited = (
        "去年全县开展城区供水管网改造,我作为分管领导只在开工仪式上露了1次面，"
        "施工期间三个小区停水累计１１天 ，群众打了四十多个电话到县长热线，"
        "我都是批给水务局办理, 没有一次到现场了解情况，直到媒体报道以后才召开协调会."
    )
    _copier, report = check(
        province, django_capture_on_commit_callbacks, "P410922-XCB", own_content(3, bureaucratism=edited)
    )
    assert [p["source"]["material"] for p in report.passages] == [source.pk]
    assert "水务局办理" in marked(report)[0] and "１１天" in marked(report)[0]


def test_a_copy_with_its_sentences_reordered_is_found(province, source, django_capture_on_commit_callbacks):
    shuffled = STEPS[2] + STEPS[0] + STEPS[3] + STEPS[1]
    _copier, report = check(
        province, django_capture_on_commit_callbacks, "P410922-XCB", own_content(4, measures=shuffled)
    )
    assert {p["source"]["material"] for p in report.passages} == {source.pk}
    found = "".join(marked(report))
    for step in STEPS:
        assert step[3:-3] in found


def test_stock_phrases_shared_by_independent_materials_are_not_flagged(
    province, source, django_capture_on_commit_callbacks
):
    # The same set phrases as the source, twice, in an otherwise independent material.
    _other, report = check(
        province,
        django_capture_on_commit_callbacks,
        "P410922-XCB",
        own_content(5, discipline=STOCK, purpose=STOCK),
    )
    assert report.passages == [] and report.share == 0


def test_independent_materials_on_the_same_topics_are_not_flagged(
    province, source, django_capture_on_commit_callbacks
):
    for number, person in enumerate(["P410922-XCB", "P410922-JW", "P410922-FSJ"], start=10):
        _material, report = check(province, django_capture_on_commit_callbacks, person, own_content(number))
        assert report.passages == [], marked(report)


def test_what_the_author_wrote_before_is_not_copying(province, source, django_capture_on_commit_callbacks):
    """A new version of the same material, and the author's other texts, are his own words."""
    act(source, ActionKind.RETURN_REVISE, "请修改。")
    _same, report = check(
        province, django_capture_on_commit_callbacks, "P410922-ZZB", own_content(1, formalism=STORY)
    )
    assert report.number == 2 and report.passages == []


def test_a_private_source_is_not_revealed(province, client, django_capture_on_commit_callbacks):
    secret = "南乐县委组织部今年为乡镇干部周转房添置了六十台空调，这件事我至今没有在班子会上说明。"
    with django_capture_on_commit_callbacks(execute=True):
        hidden = submit(
            province.campaign, "P410923-ZZB", "410923", own_content(20, formalism=STORY, hedonism=secret)
        )
    account("P410922-SJ")
    copier, report = check(
        province, django_capture_on_commit_callbacks, "P410922-XCB", own_content(21, formalism=STORY)
    )
    assert report.passages[0]["source"]["material"] == hidden.pk

    # 清丰县委书记 reviews it: he may not see 南乐县's materials.
    client.force_login(account("P410922-SJ"))
    page = client.get(f"/materials/{copier.pk}/").content.decode()
    assert "雷同检测" in page and "其他单位的材料" in page
    assert "南乐" not in page and hidden.author.name not in page and hidden.title not in page
    assert secret[:12] not in page and f"/materials/{hidden.pk}/" not in page
    body = client.get(f"/api/copy-reports/{copier.pk}/").json()
    source = body["passages"][0]["source"]
    assert source == {"kind": "material", "label": "其他单位的材料", "detail": "", "url": "", "hidden": True}
    assert "南乐" not in str(body) and secret[:12] not in str(body)

    # The 市委活动办 sees both counties: the source is named and linked.
    client.force_login(account(members_of("濮阳市委教育实践活动领导小组办公室")[0].code))
    page = client.get(f"/materials/{copier.pk}/").content.decode()
    assert "南乐县" in page and hidden.author.name in page and f"/materials/{hidden.pk}/versions/1/" in page
    assert secret[:12] not in page  # only the checked material's own passage is ever shown


def test_a_new_version_is_checked_again(
    province, source, client, settings, django_capture_on_commit_callbacks
):
    settings.COPYCHECK_BADGE_SHARE = 0.03  # the inbox badge from 3% copied
    copier, first = check(
        province, django_capture_on_commit_callbacks, "P410922-XCB", own_content(6, formalism=STORY)
    )
    assert first.passages and first.share > 0
    reviewer = account("P410922-SJ")
    client.force_login(reviewer)
    assert "雷同" in client.get("/reviews/inbox/").content.decode()

    act(copier, ActionKind.RETURN_REVISE, "第一部分与他人材料雷同，请自己动手重写。")
    _again, second = check(province, django_capture_on_commit_callbacks, "P410922-XCB", own_content(6))
    assert second.number == 2 and second.passages == [] and second.share == 0
    first.refresh_from_db()
    assert first.passages  # the first version's report is kept
    page = client.get("/reviews/inbox/").content.decode()
    assert copier.title in page and "雷同 " not in page


def test_the_check_task_is_safe_to_run_twice(province, source, django_capture_on_commit_callbacks):
    copier, report = check(
        province, django_capture_on_commit_callbacks, "P410922-XCB", own_content(7, formalism=STORY)
    )
    version = report.material_version
    document = CopyDocument.objects.get(material_version=version)
    stored = CopyFingerprint.objects.filter(document=document).count()
    copy_check_task.delay(version.pk)
    copy_check_task(version.pk)
    again = CopyReport.objects.get(material_version=version)
    assert again.runs == report.runs + 2 and again.status == CopyStatus.DONE
    assert again.passages == report.passages and again.share == report.share
    assert CopyDocument.objects.filter(material_version=version).count() == 1
    assert CopyFingerprint.objects.filter(document=document).count() == stored
    assert CopyReport.objects.filter(material=copier).count() == 1


def test_the_report_is_for_reviewers_not_for_the_author(
    province, source, client, django_capture_on_commit_callbacks
):
    copier, _report = check(
        province, django_capture_on_commit_callbacks, "P410922-XCB", own_content(8, formalism=STORY)
    )
    expectations = {
        "P410922-XCB": False,  # the author
        "P410922-SJ": True,  # the reviewer at the open step (and principal)
        members_of("濮阳市委第二督导组")[0].code: True,  # 督导组
        "S410922-BGS1": True,  # 县委活动办
    }
    for code, sees in expectations.items():
        client.force_login(account(code))
        page = client.get(f"/materials/{copier.pk}/").content.decode()
        assert ("雷同检测" in page) is sees, code
        assert client.get(f"/api/copy-reports/{copier.pk}/").status_code == (200 if sees else 404), code
    client.force_login(UserFactory(username="stranger"))
    assert client.get(f"/api/copy-reports/{copier.pk}/").status_code == 404


def test_a_failed_check_is_reported_and_retried_by_the_next_run(
    province, source, monkeypatch, django_capture_on_commit_callbacks
):
    from materials.copycheck import services as copycheck

    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(copycheck, "check", broken)
    with django_capture_on_commit_callbacks(execute=True):
        copier = submit(province.campaign, "P410922-XCB", "410922", own_content(9, formalism=STORY))
    report = report_of(copier)
    assert report.status == CopyStatus.FAILED and "index unavailable" in report.error
    assert not CopyDocument.objects.filter(material_version=report.material_version).exists()
    monkeypatch.undo()
    copy_check_task(report.material_version_id)
    report.refresh_from_db()
    assert report.status == CopyStatus.DONE and report.passages


def test_the_inbox_badge_costs_no_query(
    province, source, client, settings, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    settings.COPYCHECK_BADGE_SHARE = 0.03
    copier, report = check(
        province, django_capture_on_commit_callbacks, "P410922-XCB", own_content(12, formalism=STORY)
    )
    client.force_login(account("P410922-SJ"))
    # session, user, count, the page (the share is a subquery of the page's query)
    with django_assert_max_num_queries(4):
        page = client.get("/reviews/inbox/").content.decode()
    assert f"雷同 {round(report.share * 100)}%" in page and copier.title in page
