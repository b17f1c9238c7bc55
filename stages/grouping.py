"""梳辫子: propose groups of near-duplicate opinions, on Chinese text.

Chinese has no spaces between words, so word-based methods (and English
stemming or stop lists) do not apply. We compare opinions by their character
n-grams instead:

1. normalise — NFKC folds full-width letters, digits and punctuation into
   their half-width forms, case is folded, and everything that is not a letter,
   digit or CJK character (punctuation, spaces, emoji) is dropped; a short list
   of filler phrases that every opinion uses ("希望", "建议", "群众", "问题" …)
   is removed so that two opinions are not "similar" merely for being polite;
2. features — single characters and character bigrams, weighted by TF-IDF
   over the batch being sorted, so that a gram shared by half the opinions
   ("干部", "政务") weighs little and a rare one ("执照", "低保", "公车") weighs a
   lot. Bigrams carry the words; single characters catch paraphrases that
   reorder or abbreviate them (公车/公务车/公家的车, 政务服务中心/政务中心).
   Adding trigrams was tried and lowered recall at every precision;
3. similarity — cosine of the weighted vectors, computed only for pairs that
   share a gram (an inverted index);
4. clustering — average linkage: two groups join only when the mean
   similarity over all their pairs reaches the threshold, which stops the
   chaining that a plain union-find shows on Chinese text (A≈B, B≈C, but A and C
   are about different things).

The threshold was tuned on ``CORPUS`` in ``tests/stages/grouping_corpus.py`` and
checked on the ``HELD_OUT`` set written afterwards (see the README for the
precision and recall on both).
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

# Phrases that carry no content in an opinion; removed before n-grams are taken.
FILLER = (
    "希望",
    "建议",
    "请求",
    "要求",
    "反映",
    "群众",
    "老百姓",
    "问题",
    "现象",
    "情况",
    "有关部门",
    "相关部门",
    "领导",
    "能不能",
    "能否",
    "我们",
    "他们",
    "一些",
    "有的",
    "个别",
    "非常",
    "特别",
    "严重",
    "存在",
    "仍然",
    "还是",
    "一直",
    "经常",
    "总是",
    "真正",
    "认真",
    "加强",
    "改进",
    "解决",
)
_FILLER_RE = re.compile("|".join(sorted(FILLER, key=len, reverse=True)))
# Keep letters, digits and CJK ideographs; drop punctuation, spaces, symbols.
_DROP_RE = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

DEFAULT_THRESHOLD = 0.20
# Above this many opinions, pairs sharing only common grams are not compared.
LARGE_BATCH = 300


def normalise(text: str) -> str:
    """Fold widths and case, drop punctuation, spaces and filler phrases."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    folded = _DROP_RE.sub("", folded)
    return _FILLER_RE.sub("", folded)


def grams(text: str) -> Counter[str]:
    """Single characters (prefixed "1:") and character bigrams of the normalised text."""
    norm = normalise(text)
    counts: Counter[str] = Counter(norm[i : i + 2] for i in range(len(norm) - 1))
    counts.update("1:" + char for char in norm)
    return counts


def _vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    features = [grams(t) for t in texts]
    df: Counter[str] = Counter()
    for feature in features:
        df.update(feature.keys())
    n = len(texts)
    vectors = []
    for feature in features:
        weights = {
            gram: (1 + math.log(count)) * (math.log((1 + n) / (1 + df[gram])) + 1)
            for gram, count in feature.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({gram: w / norm for gram, w in weights.items()})
    return vectors


def similarities(texts: Sequence[str]) -> dict[tuple[int, int], float]:
    """Cosine similarity of the pairs (i < j) worth comparing.

    Small batches compare every pair that shares a gram. In large batches a
    pair is a candidate only when it shares a gram that is not common (in at
    most 5% of the batch, and never fewer than 50 opinions): pairs that share
    nothing but common characters score far below any useful threshold, and
    skipping them keeps a county's thousands of opinions to seconds. Candidate
    pairs get their exact cosine.
    """
    vectors = _vectors(texts)
    limit = len(texts) if len(texts) <= LARGE_BATCH else max(50, len(texts) // 20)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, vector in enumerate(vectors):
        for gram in vector:
            postings[gram].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        if 2 <= len(members) <= limit:
            candidates.update((a, b) for pos, a in enumerate(members) for b in members[pos + 1 :])
    scores = {}
    for a, b in candidates:
        small, large = (
            (vectors[a], vectors[b]) if len(vectors[a]) <= len(vectors[b]) else (vectors[b], vectors[a])
        )
        scores[(a, b)] = sum(weight * large.get(gram, 0.0) for gram, weight in small.items())
    return scores


def cluster(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Indices of ``texts`` grouped by average-linkage clustering; singletons included."""
    return _cluster(len(texts), similarities(texts), threshold)


@dataclass(frozen=True)
class Proposal:
    members: list[int]  # indices into the texts
    similarity: float  # mean similarity of the pairs inside the group


def propose(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> list[Proposal]:
    """Groups of two or more texts that say the same thing, most cohesive first."""
    pair = similarities(texts)
    proposals = []
    for members in _cluster(len(texts), pair, threshold):
        if len(members) < 2:
            continue
        pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
        mean = sum(pair.get(key, 0.0) for key in pairs) / len(pairs)
        proposals.append(Proposal(members=members, similarity=round(mean, 4)))
    return sorted(proposals, key=lambda p: (-p.similarity, p.members[0]))


def _cluster(count: int, pair: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average-linkage clustering of ``count`` items from their pair similarities.

    Clusters are merged most-similar first; the similarity of two clusters is
    the mean of the similarities of all their cross pairs (0 for pairs sharing
    no gram). A heap with lazy invalidation keeps this near O(L log L) for L
    linked pairs.
    """
    clusters: dict[int, list[int]] = {i: [i] for i in range(count)}
    # Sum of pair similarities between live clusters.
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), value in pair.items():
        if value > 0:
            links[a][b] = value
            links[b][a] = value
    generation = dict.fromkeys(clusters, 0)
    heap: list[tuple[float, int, int, int, int]] = []

    def push(a: int, b: int) -> None:
        score = links[a][b] / (len(clusters[a]) * len(clusters[b]))
        if score >= threshold:
            heapq.heappush(heap, (-score, a, b, generation[a], generation[b]))

    for a, others in links.items():
        for b in others:
            if a < b:
                push(a, b)
    while heap:
        _score, a, b, gen_a, gen_b = heapq.heappop(heap)
        if a not in clusters or b not in clusters or generation[a] != gen_a or generation[b] != gen_b:
            continue  # stale: one side has grown or gone since this entry was pushed
        keep, gone = (a, b) if len(clusters[a]) >= len(clusters[b]) else (b, a)
        for other, value in links.pop(gone).items():
            del links[other][gone]
            if other != keep:
                links[keep][other] = links[keep].get(other, 0.0) + value
                links[other][keep] = links[keep][other]
        clusters[keep].extend(clusters.pop(gone))
        generation[keep] += 1
        for other in links[keep]:
            push(keep, other) if keep < other else push(other, keep)
    return sorted((sorted(members) for members in clusters.values()), key=lambda m: m[0])


@dataclass(frozen=True)
class PairScore:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int


def pairwise_score(truth: Sequence[Hashable], clusters: Sequence[Sequence[int]]) -> PairScore:
    """Pairwise precision and recall of ``clusters`` against the true labels of each index."""
    predicted = {(a, b) for members in clusters for i, a in enumerate(members) for b in members[i + 1 :]}
    predicted = {(min(a, b), max(a, b)) for a, b in predicted}
    actual = {(a, b) for a in range(len(truth)) for b in range(a + 1, len(truth)) if truth[a] == truth[b]}
    hits = len(predicted & actual)
    return PairScore(
        precision=hits / len(predicted) if predicted else 1.0,
        recall=hits / len(actual) if actual else 1.0,
        true_pairs=len(actual),
        predicted_pairs=len(predicted),
    )
