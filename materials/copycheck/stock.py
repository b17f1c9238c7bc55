"""The campaign's set phrases: common ground that never makes a copied passage.

Two sources, both kept in the repository so that no seed file is read at run time:
- ``stock.txt``, generated from the five seed documents by ``manage.py copycheck_stock``:
  every quoted set phrase (“照镜子、正衣冠、洗洗澡、治治病”, “三严三实” …) and every run of
  text that at least two of the official documents share (formulae the documents repeat);
- ``CURATED`` below: formulae every 对照检查材料 uses, written out by hand.

Shorter phrases than ``engine.K`` characters hold no shingle and need no listing: they can
never make a passage on their own anyway. Fingerprints common in the corpus itself are found
while checking (``index.common_threshold``).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from materials.copycheck import engine

STOCK_FILE = Path(__file__).with_name("stock.txt")

CURATED = [
    "认真贯彻“照镜子、正衣冠、洗洗澡、治治病”的总要求",
    "以为民务实清廉为主题",
    "坚决反对形式主义、官僚主义、享乐主义和奢靡之风",
    "形式主义、官僚主义、享乐主义和奢靡之风",
    "从理想信念、宗旨意识、党性修养、政治纪律等方面剖析根源",
    "在思想上政治上行动上同党中央保持高度一致",
    "严格落实中央八项规定精神",
    "以整风精神开展批评和自我批评",
    "既严以修身、严以用权、严以律己，又谋事要实、创业要实、做人要实",
    "对照“三严三实”要求",
    "开门见山、直奔主题",
    "门难进、脸难看、事难办",
    "自我净化、自我完善、自我革新、自我提高",
    "以理论理想、党章党纪、民心民声、先辈先进为镜",
    "群众提、自己找、上级点、互相帮、集体议",
    "学习弘扬焦裕禄精神",
    "关系群众切身利益的问题",
    "联系服务群众“最后一公里”问题",
    "做到整改有目标、推进有措施、落实有责任、完成有时限",
    "明确路线图、任务书、时间表和责任主体",
    "“三公”经费、职务消费、人情消费、公务用车、办公用房和住房、家属子女从业",
    "深入学习贯彻习近平总书记系列重要讲话精神",
    "以党的十八大和十八届三中全会精神为指导",
    "切实增强宗旨意识和群众观念",
    "密切党同人民群众的血肉联系",
]

_QUOTED = re.compile(r"[“\"]([^”\"]{2,80})[”\"]")


def phrases() -> list[str]:
    lines = [line.strip() for line in STOCK_FILE.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")] + CURATED


@functools.cache
def stock_hashes() -> frozenset[int]:
    """Every shingle hash of every set phrase."""
    return engine.phrase_hashes(phrases())


def from_seeds(texts: Iterable[str], min_documents: int = 2) -> list[str]:
    """Set phrases found in the seed documents: quoted phrases, and the maximal runs of
    normalised text shared by at least ``min_documents`` of them."""
    texts = list(texts)
    found: set[str] = set()
    for text in texts:
        for quoted in _QUOTED.findall(text):
            normal = engine.normalise_only(quoted)
            if len(normal) >= 4:
                found.add(normal)
    norms = [engine.normalise_only(text) for text in texts]
    seen: dict[str, set[int]] = defaultdict(set)
    for number, norm in enumerate(norms):
        for i in range(len(norm) - engine.K + 1):
            seen[norm[i : i + engine.K]].add(number)
    shared = {gram for gram, where in seen.items() if len(where) >= min_documents}
    for norm in norms:
        i = 0
        while i <= len(norm) - engine.K:
            if norm[i : i + engine.K] in shared:
                j = i
                while j <= len(norm) - engine.K and norm[j : j + engine.K] in shared:
                    j += 1
                found.add(norm[i : j + engine.K - 1])
                i = j
            else:
                i += 1
    # Drop phrases contained in a longer one: they add no shingle.
    ordered = sorted(found, key=lambda p: (-len(p), p))
    kept: list[str] = []
    for phrase in ordered:
        if not any(phrase in longer for longer in kept):
            kept.append(phrase)
    return sorted(kept)
