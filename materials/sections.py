"""The structure of a 对照检查材料 as [002] lists it, and what follows from it.

Content is a JSON document:

    {
      "discipline": "...",                                   遵守政治纪律、贯彻八项规定情况
      "winds": {"formalism": {"text": "...", "examples": [{"key": "...", "text": "..."}]}, ...},
      "interests": {"text": ..., "examples": [...]},          班子 only: 切身利益问题
      "last_mile": {"text": ..., "examples": [...]},          班子 only: “最后一公里”问题
      "causes": {"ideals": ..., "purpose": ..., "party_spirit": ..., "political_discipline": ...},
      "measures": {"text": "...", "items": [{"key": ..., "text": ..., "answers": [example keys]}]},
      "statements": {"three_public": ..., ...},               其他需要说明的问题
      "other": "..."
    }

Examples (具体事例) are the material's problems: each has a stable key so that
measures can say which problems they answer and rectification items can
answer them later ("四个回应").
"""

from __future__ import annotations

import difflib
import html
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import nh3
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WINDS = [
    ("formalism", gettext_lazy("形式主义")),
    ("bureaucratism", gettext_lazy("官僚主义")),
    ("hedonism", gettext_lazy("享乐主义")),
    ("extravagance", gettext_lazy("奢靡之风")),
]
BODY_PARTS = [
    ("interests", gettext_lazy("关系群众切身利益的问题")),
    ("last_mile", gettext_lazy("联系服务群众“最后一公里”问题")),
]
CAUSES = [
    ("ideals", gettext_lazy("理想信念")),
    ("purpose", gettext_lazy("宗旨意识")),
    ("party_spirit", gettext_lazy("党性修养")),
    ("political_discipline", gettext_lazy("政治纪律")),
]
STATEMENTS = [
    ("three_public", gettext_lazy("“三公”经费")),
    ("duty_consumption", gettext_lazy("职务消费")),
    ("favor_consumption", gettext_lazy("人情消费")),
    ("official_cars", gettext_lazy("公务用车")),
    ("office_housing", gettext_lazy("办公用房和住房")),
    ("family_business", gettext_lazy("家属子女从业")),
]
PROBLEM_PARTS = WINDS + BODY_PARTS
ALLOWED_TAGS = {"p", "br", "strong", "em", "u", "ol", "ul", "li"}
MAX_TEXT = 20000


def clean_text(value: Any) -> str:
    """Sanitised rich text: a few formatting tags survive, everything else is escaped away."""
    text = "" if value is None else str(value)
    return nh3.clean(text[:MAX_TEXT], tags=ALLOWED_TAGS, attributes={}).strip()


def plain(value: str) -> str:
    """Text without tags or entities, for display, diffs, hints and copy detection."""
    text = re.sub(r"<br\s*/?>|</p>|</li>", "\n", value or "")
    return html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ").strip()


def new_key() -> str:
    return uuid.uuid4().hex[:12]


def empty_content(with_body_parts: bool) -> dict[str, Any]:
    content: dict[str, Any] = {
        "discipline": "",
        "winds": {key: {"text": "", "examples": []} for key, _label in WINDS},
        "causes": {key: "" for key, _label in CAUSES},
        "measures": {"text": "", "items": []},
        "statements": {key: "" for key, _label in STATEMENTS},
        "other": "",
    }
    if with_body_parts:
        for key, _label in BODY_PARTS:
            content[key] = {"text": "", "examples": []}
    return content


def normalise(raw: Any, with_body_parts: bool) -> dict[str, Any]:
    """Any incoming content (form, API, .docx) → the canonical, sanitised structure."""
    raw = raw if isinstance(raw, dict) else {}
    content = empty_content(with_body_parts)
    content["discipline"] = clean_text(raw.get("discipline"))
    content["other"] = clean_text(raw.get("other"))

    def problem_part(value: Any) -> dict[str, Any]:
        value = value if isinstance(value, dict) else {}
        examples = []
        for example in value.get("examples") or []:
            if isinstance(example, dict):
                text, key = clean_text(example.get("text")), str(example.get("key") or "")[:20]
            else:
                text, key = clean_text(example), ""
            if text:
                examples.append({"key": key or new_key(), "text": text})
        return {"text": clean_text(value.get("text")), "examples": examples}

    winds = raw.get("winds") if isinstance(raw.get("winds"), dict) else {}
    for key, _label in WINDS:
        content["winds"][key] = problem_part(winds.get(key))
    if with_body_parts:
        for key, _label in BODY_PARTS:
            content[key] = problem_part(raw.get(key))
    causes = raw.get("causes") if isinstance(raw.get("causes"), dict) else {}
    statements = raw.get("statements") if isinstance(raw.get("statements"), dict) else {}
    for key, _label in CAUSES:
        content["causes"][key] = clean_text(causes.get(key))
    for key, _label in STATEMENTS:
        content["statements"][key] = clean_text(statements.get(key))
    measures = raw.get("measures") if isinstance(raw.get("measures"), dict) else {}
    known = {p.key for p in problems(content)}
    items = []
    for item in measures.get("items") or []:
        if not isinstance(item, dict):
            continue
        text = clean_text(item.get("text"))
        if text:
            answers = [str(a) for a in item.get("answers") or [] if str(a) in known]
            items.append(
                {"key": str(item.get("key") or "")[:20] or new_key(), "text": text, "answers": answers}
            )
    content["measures"] = {"text": clean_text(measures.get("text")), "items": items}
    return content


@dataclass(frozen=True)
class Problem:
    key: str
    part: str
    part_label: str
    number: int
    text: str

    @property
    def label(self) -> str:
        return f"{self.part_label}{self.number}"


def problems(content: dict[str, Any]) -> list[Problem]:
    """The concrete examples listed under each 风 (and, for a 班子, the two extra parts)."""
    found = []
    for key, label in PROBLEM_PARTS:
        part = content.get("winds", {}).get(key) if key in dict(WINDS) else content.get(key)
        if not isinstance(part, dict):
            continue
        for number, example in enumerate(part.get("examples", []), start=1):
            found.append(Problem(example["key"], key, str(label), number, plain(example["text"])))
    return found


def hints(content: dict[str, Any], kind: str) -> list[str]:
    """What a reviewer would send back for, said before submission. Never about length:
    "不能以文字多少定优劣" [002]."""
    found: list[str] = []
    for key, label in WINDS:
        if not content["winds"][key]["examples"]:
            found.append(
                _("“%(wind)s”方面没有列出具体事例（每一“风”都要列出具体事例，不“假”）。") % {"wind": label}
            )
    for key, label in BODY_PARTS:
        if key in content and not content[key]["examples"]:
            found.append(_("班子材料还要查摆“%(part)s”，目前没有列出具体问题。") % {"part": label})
    for key, label in CAUSES:
        if not plain(content["causes"][key]):
            found.append(_("原因分析缺少“%(cause)s”方面的剖析（不“浅”）。") % {"cause": label})
    if kind != "brief":
        for key, label in STATEMENTS:
            if not plain(content["statements"][key]):
                found.append(_("没有对%(item)s情况作出说明。") % {"item": label})
    items = content["measures"]["items"]
    if not items:
        found.append(_("没有提出整改措施（不“虚”）。"))
    answered = set()
    for number, item in enumerate(items, start=1):
        if not item["answers"]:
            found.append(_("第%(n)d条措施没有对应查摆出的任何问题。") % {"n": number})
        answered.update(item["answers"])
    for problem in problems(content):
        if problem.key not in answered:
            found.append(
                _("问题“%(label)s：%(text)s”没有对应的整改措施。")
                % {"label": problem.label, "text": problem.text[:30]}
            )
    return found


def sections_text(content: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(section title, plain text) pairs in reading order: the basis of diffs and exports."""
    yield _("一、遵守党的政治纪律、贯彻中央八项规定精神情况"), plain(content.get("discipline", ""))
    for key, label in WINDS:
        part = content["winds"][key]
        lines = [plain(part["text"])] + [
            f"{n}. {plain(e['text'])}" for n, e in enumerate(part["examples"], 1)
        ]
        yield _("二、“四风”方面存在的突出问题 · %(wind)s") % {"wind": label}, "\n".join(x for x in lines if x)
    for key, label in BODY_PARTS:
        if key in content:
            part = content[key]
            lines = [plain(part["text"])] + [
                f"{n}. {plain(e['text'])}" for n, e in enumerate(part["examples"], 1)
            ]
            yield str(label), "\n".join(x for x in lines if x)
    for key, label in CAUSES:
        yield _("三、产生问题的原因分析 · %(cause)s") % {"cause": label}, plain(content["causes"][key])
    measures = content["measures"]
    lines = [plain(measures["text"])] + [
        f"{n}. {plain(i['text'])}" for n, i in enumerate(measures["items"], 1)
    ]
    yield _("四、努力方向和改进措施"), "\n".join(x for x in lines if x)
    for key, label in STATEMENTS:
        yield _("五、其他需要说明的问题 · %(item)s") % {"item": label}, plain(content["statements"][key])
    yield _("五、其他需要说明的问题 · 其他"), plain(content.get("other", ""))


def full_text(content: dict[str, Any]) -> str:
    return "\n\n".join(f"{title}\n{text}" for title, text in sections_text(content) if text)


@dataclass(frozen=True)
class SectionDiff:
    title: str
    left_html: str
    right_html: str
    changed: bool


def _marked(text: str, ops: list[tuple[Any, int, int]], tag: str) -> str:
    out = []
    for op, start, end in ops:
        piece = escape(text[start:end]).replace("\n", "<br>")
        out.append(f"<{tag}>{piece}</{tag}>" if op != "equal" and piece else piece)
    return "".join(out)


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[SectionDiff]:
    """Section-by-section, character-level comparison (characters suit Chinese text)."""
    old_sections = dict(sections_text(old))
    result = []
    for title, right in sections_text(new):
        left = old_sections.get(title, "")
        matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
        left_ops: list[tuple[Any, int, int]] = []
        right_ops: list[tuple[Any, int, int]] = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            left_ops.append((op, i1, i2))
            right_ops.append((op, j1, j2))
        result.append(
            SectionDiff(
                title=title,
                left_html=_marked(left, left_ops, "del"),
                right_html=_marked(right, right_ops, "ins"),
                changed=left != right,
            )
        )
    return result


# --- .docx source ------------------------------------------------------------

_ENUMERATED = re.compile(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]+[)）.、．]|[①-⑩]|[一二三四五六七八九十]是)")
_HEADINGS: list[tuple[str, tuple[str, ...]]] = [
    ("discipline", ("政治纪律", "八项规定")),
    ("formalism", ("形式主义",)),
    ("bureaucratism", ("官僚主义",)),
    ("hedonism", ("享乐主义",)),
    ("extravagance", ("奢靡之风",)),
    ("interests", ("切身利益",)),
    ("last_mile", ("最后一公里",)),
    ("causes", ("原因",)),
    ("measures", ("努力方向", "整改措施", "改进措施")),
    ("statements", ("需要说明",)),
]
_CAUSE_WORDS = [
    ("ideals", "理想信念"),
    ("purpose", "宗旨"),
    ("party_spirit", "党性"),
    ("political_discipline", "纪律"),
]
_STATEMENT_WORDS = [
    ("three_public", "三公"),
    ("duty_consumption", "职务消费"),
    ("favor_consumption", "人情"),
    ("official_cars", "公务用车"),
    ("office_housing", "办公用房"),
    ("office_housing", "住房"),
    ("family_business", "家属"),
    ("family_business", "子女"),
]


def _is_heading(paragraph: Any, text: str) -> bool:
    style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    return (
        style.startswith("heading")
        or style.startswith("标题")
        or (len(text) <= 40 and not text.endswith("。"))
    )


def from_docx(stream: IO[bytes], with_body_parts: bool) -> tuple[dict[str, Any], list[str]]:
    """Sort a .docx's paragraphs into the sections by their headings.

    Returns the content and notes for the author (what could not be placed).
    Enumerated paragraphs under a 风 become examples, under 措施 become measures.
    """
    from docx import Document  # imported here: only uploads need it

    try:
        document = Document(stream)
    except Exception as exc:  # not a zip, not a Word document
        raise ValueError(_("无法读取该 Word 文件，请确认是 .docx 格式。")) from exc
    raw: dict[str, Any] = {"winds": {}, "causes": {}, "statements": {}, "measures": {"items": []}}
    section, cause = "", ""
    unplaced: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        heading = _is_heading(paragraph, text)
        if heading:
            matched = next((key for key, words in _HEADINGS if any(w in text for w in words)), None)
            if matched:
                section = matched
                continue
            if section == "causes":
                cause = next((key for key, word in _CAUSE_WORDS if word in text), cause)
                if cause and any(word in text for _k, word in _CAUSE_WORDS):
                    continue
        _place(raw, section, cause, text, unplaced)
    notes = []
    if unplaced:
        raw["other"] = "\n".join(unplaced)
        notes.append(
            _("有 %(n)d 段文字无法判断所属部分，已放入“其他需要说明的问题”，请核对。") % {"n": len(unplaced)}
        )
    return normalise(raw, with_body_parts), notes


def _append(value: str, text: str) -> str:
    return f"{value}\n{text}" if value else text


def _place(raw: dict[str, Any], section: str, cause: str, text: str, unplaced: list[str]) -> None:
    if section in dict(WINDS) or section in dict(BODY_PARTS):
        part = raw["winds"].setdefault(section, {}) if section in dict(WINDS) else raw.setdefault(section, {})
        if _ENUMERATED.match(text):
            part.setdefault("examples", []).append({"text": _ENUMERATED.sub("", text, count=1).strip()})
        else:
            part["text"] = _append(part.get("text", ""), text)
    elif section == "discipline":
        raw["discipline"] = _append(raw.get("discipline", ""), text)
    elif section == "causes":
        key = cause or next((k for k, word in _CAUSE_WORDS if word in text), "ideals")
        raw["causes"][key] = _append(raw["causes"].get(key, ""), text)
    elif section == "measures":
        if _ENUMERATED.match(text):
            raw["measures"]["items"].append({"text": _ENUMERATED.sub("", text, count=1).strip()})
        else:
            raw["measures"]["text"] = _append(raw["measures"].get("text", ""), text)
    elif section == "statements":
        key = next((k for k, word in _STATEMENT_WORDS if word in text), "")
        if key:
            raw["statements"][key] = _append(raw["statements"].get(key, ""), text)
        else:
            raw["other"] = _append(raw.get("other", ""), text)
    else:
        unplaced.append(text)
