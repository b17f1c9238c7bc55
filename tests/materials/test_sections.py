"""Structure, sanitising, completeness hints, .docx sources and version comparison."""

import io

from docx import Document

from materials import sections
from materials.demo import demo_content


def test_rich_text_is_sanitised_and_structure_enforced():
    content = sections.normalise(
        {
            "discipline": '<p onclick="x()">严格遵守<script>alert(1)</script><strong>纪律</strong></p>',
            "winds": {"formalism": {"examples": ["<img src=x onerror=alert(1)>文山会海", {"text": ""}]}},
            "measures": {"items": [{"text": "措施", "answers": ["not-a-problem"]}]},
            "unknown": "dropped",
        },
        with_body_parts=False,
    )
    assert "script" not in content["discipline"] and "onclick" not in content["discipline"]
    assert "<strong>纪律</strong>" in content["discipline"]
    examples = content["winds"]["formalism"]["examples"]
    assert len(examples) == 1 and "onerror" not in examples[0]["text"] and examples[0]["key"]
    assert content["measures"]["items"][0]["answers"] == []  # references to unknown problems dropped
    assert "unknown" not in content and "interests" not in content


def test_hints_name_what_is_missing_but_never_length():
    content = sections.empty_content(with_body_parts=True)
    hints = sections.hints(content, "body")
    text = "\n".join(hints)
    for word in (
        "形式主义",
        "官僚主义",
        "享乐主义",
        "奢靡之风",
        "切身利益",
        "最后一公里",
        "理想信念",
        "三公",
        "家属子女从业",
        "整改措施",
    ):
        assert word in text, word
    assert not any("字" in h and "少" in h for h in hints)
    full = demo_content(True)
    assert sections.hints(full, "body") == []
    full["measures"]["items"][0]["answers"] = []
    assert any("没有对应查摆出的任何问题" in h for h in sections.hints(full, "body"))


def test_brief_materials_do_not_need_the_six_statements():
    content = demo_content(False)
    content["statements"] = dict.fromkeys(content["statements"], "")
    assert not any("说明" in h for h in sections.hints(content, "brief"))
    assert any("说明" in h for h in sections.hints(content, "personal"))


def make_docx(paragraphs):
    document = Document()
    for style, text in paragraphs:
        if style:
            document.add_heading(text, level=2)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def test_docx_paragraphs_are_sorted_into_sections():
    stream = make_docx(
        [
            (True, "一、遵守党的政治纪律、贯彻中央八项规定精神情况"),
            (False, "本人能够严格遵守党的政治纪律。"),
            (True, "二、“四风”方面存在的突出问题"),
            (True, "（一）形式主义方面"),
            (False, "主要表现在调研不深入。"),
            (False, "1.下乡调研走马观花，全年蹲点调研仅3次。"),
            (False, "2.以会议落实会议。"),
            (True, "（四）奢靡之风方面"),
            (False, "一是公务接待超标准。"),
            (True, "三、产生问题的原因分析"),
            (True, "（一）理想信念"),
            (False, "理想信念有所松动。"),
            (True, "四、努力方向和改进措施"),
            (False, "1.建立基层联系点制度。"),
            (True, "五、其他需要说明的问题"),
            (False, "关于“三公”经费：2013年下降18%。"),
            (False, "家属子女均不经商办企业。"),
        ]
    )
    content, notes = sections.from_docx(stream, with_body_parts=False)
    assert "严格遵守" in content["discipline"]
    formalism = content["winds"]["formalism"]
    assert "调研不深入" in formalism["text"] and len(formalism["examples"]) == 2
    assert formalism["examples"][0]["text"].startswith("下乡调研")
    assert content["winds"]["extravagance"]["examples"][0]["text"] == "公务接待超标准。"
    assert "松动" in content["causes"]["ideals"]
    assert content["measures"]["items"][0]["text"] == "建立基层联系点制度。"
    assert "18%" in content["statements"]["three_public"]
    assert "经商" in content["statements"]["family_business"]
    assert notes == []


def test_a_non_docx_file_is_refused_clearly():
    import pytest

    with pytest.raises(ValueError) as exc:
        sections.from_docx(io.BytesIO(b"not a word file"), with_body_parts=False)
    assert "无法读取该 Word 文件" in str(exc.value)


def test_compare_marks_changes_section_by_section():
    old = demo_content(False)
    new = demo_content(False)
    new["winds"]["hedonism"]["examples"][0]["text"] = "工作中有“差不多”思想，对难点问题有畏难情绪"
    new["other"] = "新增说明"
    diffs = {d.title: d for d in sections.compare(old, new)}
    hedonism = next(d for title, d in diffs.items() if "享乐主义" in title)
    assert hedonism.changed and "<ins>" in hedonism.right_html and "<del>" in hedonism.left_html
    discipline = next(d for title, d in diffs.items() if title.startswith("一、"))
    assert not discipline.changed and "<ins>" not in discipline.right_html
    # What the author typed comes back as typed, escaped exactly once in the markup.
    new["discipline"] = "经费支出1<2的情况 & 说明"
    stored = sections.normalise(new, False)
    assert sections.plain(stored["discipline"]) == "经费支出1<2的情况 & 说明"
    right = sections.compare(old, stored)[0].right_html
    assert "&lt;" in right and "&amp; 说明" in right and "&amp;lt;" not in right and "<2" not in right
