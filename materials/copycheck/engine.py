"""Normalise, fingerprint and match Chinese text. Pure functions: no database, no Django.

1. **Normalise**: NFKC per character (full-width → half-width, compatibility forms → plain),
   lower case, keep only letters and digits (Chinese characters are letters): punctuation
   and whitespace disappear. An offset map leads every normalised character back to the
   original one, so that passages can be highlighted in the text the reviewer reads.
2. **Shingles**: every run of ``K`` normalised characters, hashed with a rolling polynomial
   hash modulo 2**61-1 (fits a signed 64-bit column, stable across processes).
3. **Winnowing** (Schleimer, Wilkerson, Aiken 2003): in every window of ``W`` consecutive
   shingles the smallest hash is kept. About 2/(W+1) of the shingles are stored, and every
   run of at least ``K + W - 1`` characters shared by two texts yields at least one common
   fingerprint, wherever it sits in either text (reordered paragraphs are found too).
4. **Matching**: the hits (fingerprints of the checked text found in a source) are chained
   where they follow each other in both texts (a few characters inserted, deleted or
   changed between them are tolerated); chains are extended character by character against
   the source; chains of one source close to each other in the checked text form one passage
   (paragraphs copied in another order). Set phrases of the campaign (``stock``) and
   fingerprints found in many documents (common ground) never count as evidence: a passage
   needs ``MIN_CHARS`` characters that are neither.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

# Tuned on the evaluation set (see ``copycheck_eval`` and the README); changing K or W
# changes every stored fingerprint: run ``manage.py copycheck_reindex`` afterwards.
K = 10  # shingle length, in normalised characters
W = 24  # winnowing window: any shared run of K + W - 1 = 33 characters is always seen
MAX_GAP = 64  # hits further apart than this in the checked text are not chained
DRIFT = 6  # characters inserted or deleted between two chained hits
TOLERANCE = 4  # extension steps over a small edit when the next TOLERANCE characters agree
MERGE_GAP = 24  # chains of one source this close in the checked text are one passage
SOURCE_WINDOW = 600  # ... and this close in the source (paragraphs copied in another order)
MIN_BLOCK = 10  # matching blocks shorter than this inside a chain are chance, not evidence
CHAIN_MIN = 18  # characters a chain must share (outside common ground) to count at all
MIN_CHARS = 45  # characters a passage must share, outside common ground, to be reported
MAX_SOURCES = 30  # candidate sources aligned per check (those with the most hits)
ALGORITHM = f"k{K}w{W}"

_MOD = (1 << 61) - 1
_BASE = 1_000_003
_TOP = pow(_BASE, K - 1, _MOD)
_CHARS: dict[str, str] = {}


def _normal_char(ch: str) -> str:
    """The normalised form of one character ("" when it is punctuation or space); memoised."""
    found = _CHARS.get(ch)
    if found is None:
        found = "".join(c for c in unicodedata.normalize("NFKC", ch).lower() if c.isalnum())
        _CHARS[ch] = found
    return found


def normalise(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original one."""
    out: list[str] = []
    offsets: list[int] = []
    get = _CHARS.get
    for index, ch in enumerate(text):
        normal = get(ch)
        if normal is None:
            normal = _normal_char(ch)
        if normal:
            out.append(normal)
            if len(normal) == 1:
                offsets.append(index)
            else:
                offsets.extend([index] * len(normal))
    return "".join(out), offsets


_TABLE: dict[int, str | None] = {}  # str.translate table: characters that normalise differently
_SEEN: set[str] = set()


def normalise_only(text: str) -> str:
    """``normalise`` without the offset map (bulk indexing, source texts): one C-level
    ``str.translate`` once every character of the text has been seen."""
    for ch in set(text) - _SEEN:
        normal = _normal_char(ch)
        if normal != ch:
            _TABLE[ord(ch)] = normal or None
        _SEEN.add(ch)
    return text.translate(_TABLE)


def shingle_hashes(norm: str) -> list[int]:
    """The hash of every K-character shingle, by position."""
    if len(norm) < K:
        return []
    codes = [ord(c) for c in norm]
    value = 0
    for code in codes[:K]:
        value = (value * _BASE + code) % _MOD
    hashes = [value]
    append = hashes.append
    for i in range(K, len(codes)):
        value = ((value - codes[i - K] * _TOP) * _BASE + codes[i]) % _MOD
        append(value)
    return hashes


def winnow(hashes: Sequence[int], window: int | None = None) -> list[tuple[int, int]]:
    """(hash, position) of the rightmost smallest hash of every window, each position once."""
    window = window or W
    if not hashes:
        return []
    if len(hashes) <= window:
        low = min(hashes)
        position = max(i for i, h in enumerate(hashes) if h == low)
        return [(low, position)]
    chosen: list[tuple[int, int]] = []
    candidates: deque[int] = deque()
    last = -1
    for i, value in enumerate(hashes):
        while candidates and hashes[candidates[-1]] >= value:
            candidates.pop()
        candidates.append(i)
        if candidates[0] <= i - window:
            candidates.popleft()
        if i >= window - 1 and candidates[0] != last:
            last = candidates[0]
            chosen.append((hashes[last], last))
    return chosen


def fingerprints(norm: str, stock: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """The winnowed fingerprints of a normalised text, without the set phrases' ones."""
    return [(h, p) for h, p in winnow(shingle_hashes(norm)) if h not in stock]


def phrase_hashes(phrases: Iterable[str]) -> frozenset[int]:
    """Every shingle hash of every phrase (phrases shorter than K have none)."""
    found: set[int] = set()
    for phrase in phrases:
        found.update(shingle_hashes(normalise_only(phrase)))
    return frozenset(found)


@dataclass
class Prepared:
    """A text ready to be checked: normalised, hashed, with its set phrases marked."""

    text: str
    norm: str
    offsets: list[int]
    fingerprints: list[tuple[int, int]]
    common_mask: bytearray  # 1 for characters inside a set phrase (more are marked while checking)

    def original_range(self, start: int, end: int) -> tuple[int, int]:
        """Normalised [start, end) → the range of the original text it came from."""
        return self.offsets[start], self.offsets[end - 1] + 1


def prepare(text: str, stock: frozenset[int] = frozenset()) -> Prepared:
    norm, offsets = normalise(text)
    hashes = shingle_hashes(norm)
    mask = bytearray(len(norm))
    for position, value in enumerate(hashes):
        if value in stock:
            mask[position : position + K] = b"\x01" * K
    chosen = [(h, p) for h, p in winnow(hashes) if h not in stock]
    return Prepared(text=text, norm=norm, offsets=offsets, fingerprints=chosen, common_mask=mask)


# --- matching -------------------------------------------------------------------------


@dataclass
class Chain:
    """Hits that follow each other in both texts: [q_start, q_end) here, [s_start, s_end) there."""

    q_start: int
    q_end: int
    s_start: int
    s_end: int
    hits: int
    shared: list[tuple[int, int]] = field(default_factory=list)  # ranges here equal to the source


@dataclass
class Passage:
    """A stretch of the checked text (normalised positions) shared with one source document."""

    source: int
    start: int
    end: int
    hits: int
    chars: int  # characters of its chains outside common ground: the evidence
    chains: list[Chain] = field(default_factory=list)
    also: list[int] = field(default_factory=list)  # other documents holding the same passage

    @property
    def length(self) -> int:
        return self.end - self.start


def hits_by_source(
    prepared: Prepared, rows: Iterable[tuple[int, int, int]]
) -> dict[int, list[tuple[int, int]]]:
    """Index rows (hash, document, position) → per document, the (here, there) position pairs."""
    where: dict[int, list[int]] = defaultdict(list)
    for value, position in prepared.fingerprints:
        where[value].append(position)
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for value, document, position in rows:
        for here in where.get(value, ()):
            pairs[document].append((here, position))
    return pairs


def rank_sources(pairs: Mapping[int, list[tuple[int, int]]]) -> list[int]:
    """The documents with the most hits first."""
    return sorted(pairs, key=lambda d: (-len(pairs[d]), d))


def chain(pairs: list[tuple[int, int]]) -> list[Chain]:
    """Greedy chaining of hits that keep (almost) the same offset between the two texts."""
    active: list[list[int]] = []  # [q_first, s_first, q_last, s_last, hits, s_low, s_high]
    done: list[list[int]] = []
    for q, s in sorted(set(pairs)):
        still: list[list[int]] = []
        for c in active:
            (still if q - c[2] <= MAX_GAP else done).append(c)
        active = still
        best, best_drift = None, DRIFT + 1
        for c in active:
            dq = q - c[2]
            if dq <= 0:
                continue
            drift = abs((s - c[3]) - dq)
            if drift < best_drift:
                best, best_drift = c, drift
        if best is None:
            active.append([q, s, q, s, 1, s, s])
        else:
            best[2], best[3], best[4] = q, s, best[4] + 1
            best[5], best[6] = min(best[5], s), max(best[6], s)
    return [Chain(c[0], c[2] + K, c[5], c[6] + K, c[4]) for c in done + active]


def _agree(a: str, i: int, b: str, j: int, n: int) -> bool:
    return i >= 0 and j >= 0 and i + n <= len(a) and j + n <= len(b) and a[i : i + n] == b[j : j + n]


# At a difference, what extension may step over: one or two characters changed, inserted or
# deleted — provided the next TOLERANCE characters agree again.
_SKIPS = [(1, 1), (2, 2), (1, 0), (0, 1), (2, 0), (0, 2), (3, 3)]


def extend(q: str, s: str, c: Chain) -> Chain:
    """Grow a chain outwards while both texts agree, stepping over small edits."""
    qa, sa = c.q_start, c.s_start
    while qa > 0 and sa > 0:
        if q[qa - 1] == s[sa - 1]:
            qa, sa = qa - 1, sa - 1
            continue
        for dq, ds in _SKIPS:
            i, j = qa - dq - TOLERANCE, sa - ds - TOLERANCE
            if _agree(q, i, s, j, TOLERANCE):
                qa, sa = i, j
                break
        else:
            break
    qb, sb = c.q_end, c.s_end
    while qb < len(q) and sb < len(s):
        if q[qb] == s[sb]:
            qb, sb = qb + 1, sb + 1
            continue
        for dq, ds in _SKIPS:
            i, j = qb + dq, sb + ds
            if _agree(q, i, s, j, TOLERANCE):
                qb, sb = i + TOLERANCE, j + TOLERANCE
                break
        else:
            break
    return Chain(qa, qb, sa, sb, c.hits)


def align(q: str, s: str, c: Chain) -> None:
    """Which characters of the chain are really the source's: the matching blocks of an
    alignment of the two stretches (changed characters and chance letters are left out)."""
    matcher = SequenceMatcher(None, q[c.q_start : c.q_end], s[c.s_start : c.s_end], autojunk=False)
    c.shared = [
        (c.q_start + a, c.q_start + a + size)
        for a, _b, size in matcher.get_matching_blocks()
        if size >= MIN_BLOCK
    ]


def _evidence(mask: bytearray, chains: list[Chain]) -> int:
    """Characters shared with the source inside the chains that are not common ground."""
    start = min(c.q_start for c in chains)
    covered = bytearray(max(c.q_end for c in chains) - start)
    for c in chains:
        for a, b in c.shared or [(c.q_start, c.q_end)]:
            covered[a - start : b - start] = b"\x01" * (b - a)
    return sum(1 for i, flag in enumerate(covered, start) if flag and not mask[i])


def _near_in_source(c: Chain, others: list[Chain]) -> bool:
    return any(c.s_start - o.s_end <= SOURCE_WINDOW and o.s_start - c.s_end <= SOURCE_WINDOW for o in others)


def passages_of(
    prepared: Prepared, document: int, pairs: list[tuple[int, int]], source_norm: str | None
) -> list[Passage]:
    """The passages the checked text shares with one source document."""
    chains = chain(pairs)
    if source_norm is not None:
        chains = [extend(prepared.norm, source_norm, c) for c in chains]
        for c in chains:
            align(prepared.norm, source_norm, c)
    chains = [c for c in chains if _evidence(prepared.common_mask, [c]) >= CHAIN_MIN]
    chains.sort(key=lambda c: (c.q_start, c.q_end))
    found: list[Passage] = []
    for c in chains:
        current = found[-1] if found else None
        if (
            current is not None
            and c.q_start <= current.end + MERGE_GAP
            and _near_in_source(c, current.chains)
        ):
            current.end = max(current.end, c.q_end)
            current.hits += c.hits
            current.chains.append(c)
        else:
            found.append(Passage(document, c.q_start, c.q_end, c.hits, 0, [c]))
    for passage in found:
        passage.chars = _evidence(prepared.common_mask, passage.chains)
    return [p for p in found if p.chars >= MIN_CHARS]


def mark_common(prepared: Prepared, common: Iterable[int]) -> None:
    """Mark the characters of fingerprints that are common ground in the corpus."""
    common = set(common)
    for value, position in prepared.fingerprints:
        if value in common:
            prepared.common_mask[position : position + K] = b"\x01" * K


def resolve(candidates: list[Passage], priority: Callable[[int], tuple] = lambda d: (d,)) -> list[Passage]:
    """One passage per stretch of text: the best-supported source wins, the others that hold
    (most of) the same stretch are listed with it."""
    ordered = sorted(candidates, key=lambda p: (-p.chars, priority(p.source), p.start))
    chosen: list[Passage] = []
    for passage in ordered:
        best, best_overlap = None, 0
        for kept in chosen:
            overlap = min(kept.end, passage.end) - max(kept.start, passage.start)
            if overlap > best_overlap:
                best, best_overlap = kept, overlap
        if best is not None and best_overlap * 2 >= passage.length:
            if passage.source != best.source and passage.source not in best.also:
                best.also.append(passage.source)
        else:
            chosen.append(passage)
    return sorted(chosen, key=lambda p: p.start)


def covered(passages: Iterable[Passage]) -> int:
    """Normalised characters inside at least one passage."""
    total, reach = 0, -1
    for p in sorted(passages, key=lambda p: p.start):
        start = max(p.start, reach)
        if p.end > start:
            total += p.end - start
        reach = max(reach, p.end)
    return total


def match(
    prepared: Prepared,
    pairs: Mapping[int, list[tuple[int, int]]],
    source_norms: Mapping[int, str],
    priority: Callable[[int], tuple] = lambda d: (d,),
) -> list[Passage]:
    """All passages of ``prepared`` found in the candidate documents of ``pairs`` (hits by
    document, from ``hits_by_source``; common ground already left out), extended against
    their normalised texts in ``source_norms``."""
    candidates: list[Passage] = []
    for document, found in pairs.items():
        candidates.extend(passages_of(prepared, document, found, source_norms.get(document)))
    return resolve(candidates, priority)
