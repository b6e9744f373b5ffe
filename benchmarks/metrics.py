r"""Scoring functions: pure, deterministic, standard library only.

Body (the shingle metric of article-extraction benchmarks): per document the
multisets of 4-token shingles (tokens are ``\w+`` runs) of prediction and truth
give TP/FP/FN, normalised to sum to 1. Precision is the mean over documents with
TP+FP > 0, recall the mean over documents with TP+FN > 0, F1 comes from the two
means; accuracy is the share of documents whose token sequence equals the truth.

>>> doc = shingle_counts("the cat sat on the mat", "the cat sat on the mat today")
>>> [round(x, 3) for x in doc]
[0.75, 0.25, 0.0]
>>> s = body_scores([doc, shingle_counts("a b c d e", "")])  # P 0.75 over 1 doc, R (1 + 0) / 2
>>> s.precision, s.recall, round(s.f1, 4)
(0.75, 0.5, 0.6)

Snippets: a found ``with`` snippet is a TP, a missing one a FN, a found
``without`` snippet a FP; counts are summed over the corpus.

>>> s = snippet_counts("Hello  wor\u00adld. Buy now!", ["Hello world"], ["Buy now", "Cookies"])
>>> s
SnippetCounts(tp=1, fn=0, fp=1)
>>> snippet_scores([s]).precision
0.5
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

__all__ = [
    "BOILERPLATE_PATTERNS",
    "BodyCounts",
    "BodyScores",
    "SnippetCounts",
    "SnippetScores",
    "author_f1",
    "body_scores",
    "boilerplate_lines",
    "bootstrap_se",
    "date_match",
    "leaked_lines",
    "normalize_snippet",
    "normalize_title",
    "percentile",
    "prf",
    "shingle_counts",
    "shingles",
    "snippet_counts",
    "snippet_scores",
    "title_match",
    "tokens",
]

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


# --- body: shingles -------------------------------------------------------------------


def tokens(text: str | None) -> list[str]:
    r"""The ``\w+`` runs of a text, case kept.

    >>> tokens("It's 9:30 — déjà vu!")
    ['It', 's', '9', '30', 'déjà', 'vu']
    """
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-token shingles; a text shorter than ``n`` tokens is one shingle.

    >>> sorted(shingles("a b c d e", n=4).items())
    [(('a', 'b', 'c', 'd'), 1), (('b', 'c', 'd', 'e'), 1)]
    >>> shingles("a b", n=4)
    Counter({('a', 'b'): 1})
    >>> shingles("")
    Counter()
    """
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


@dataclass(frozen=True)
class BodyCounts:
    """One document's TP/FP/FN shares (summing to 1, or all 0) and token-sequence equality."""

    tp: float
    fp: float
    fn: float
    exact: bool

    def __iter__(self) -> Iterable[float]:  # allows ``tp, fp, fn = counts``
        return iter((self.tp, self.fp, self.fn))


def shingle_counts(truth: str | None, prediction: str | None, n: int = 4) -> BodyCounts:
    """Compare one prediction with its truth.

    >>> shingle_counts("one two three four", "one two three four")
    BodyCounts(tp=1.0, fp=0.0, fn=0.0, exact=True)
    >>> shingle_counts("one two three four five", "")
    BodyCounts(tp=0.0, fp=0.0, fn=1.0, exact=False)
    >>> shingle_counts("", "")
    BodyCounts(tp=0.0, fp=0.0, fn=0.0, exact=True)
    """
    t, p = shingles(truth, n), shingles(prediction, n)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    return BodyCounts(tp, fp, fn, tokens(truth) == tokens(prediction))


@dataclass(frozen=True)
class BodyScores:
    """Corpus-level body scores; ``None`` where no document qualifies."""

    precision: float | None
    recall: float | None
    f1: float | None
    accuracy: float | None
    n: int


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def body_scores(docs: Sequence[BodyCounts]) -> BodyScores:
    """Precision and recall as means over qualifying documents, F1 from the means.

    >>> perfect = BodyCounts(1.0, 0.0, 0.0, True)
    >>> empty = BodyCounts(0.0, 0.0, 1.0, False)   # nothing predicted: no precision term
    >>> s = body_scores([perfect, empty])
    >>> s.precision, s.recall, round(s.f1, 4), s.accuracy
    (1.0, 0.5, 0.6667, 0.5)
    >>> body_scores([]).f1 is None
    True
    """
    p = _mean([d.tp / (d.tp + d.fp) for d in docs if d.tp + d.fp > 0])
    r = _mean([d.tp / (d.tp + d.fn) for d in docs if d.tp + d.fn > 0])
    acc = _mean([1.0 if d.exact else 0.0 for d in docs])
    return BodyScores(p, r, _f1(p, r), acc, len(docs))


# --- snippets -------------------------------------------------------------------------


def normalize_snippet(text: str | None) -> str:
    """NFC, soft hyphens dropped, whitespace collapsed.

    >>> normalize_snippet("  Stra\u00adße\\n  und\\tmehr ")
    'Straße und mehr'
    >>> normalize_snippet("e\u0301") == "\u00e9"
    True
    """
    text = unicodedata.normalize("NFC", (text or "").replace("\u00ad", ""))
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class SnippetCounts:
    """One document's snippet tallies."""

    tp: int
    fn: int
    fp: int


def snippet_counts(text: str | None, with_: Iterable[str], without: Iterable[str]) -> SnippetCounts:
    """Count found ``with`` (TP), missing ``with`` (FN) and found ``without`` (FP) snippets.

    >>> snippet_counts("", ["a"], ["b"])
    SnippetCounts(tp=0, fn=1, fp=0)
    """
    hay = normalize_snippet(text)
    found = [normalize_snippet(s) in hay for s in with_ if normalize_snippet(s)]
    leaked = sum(1 for s in without if normalize_snippet(s) and normalize_snippet(s) in hay)
    return SnippetCounts(sum(found), len(found) - sum(found), leaked)


@dataclass(frozen=True)
class SnippetScores:
    """Corpus-level snippet precision, recall and F1 from summed counts."""

    precision: float | None
    recall: float | None
    f1: float | None
    tp: int
    fn: int
    fp: int


def prf(tp: float, fp: float, fn: float) -> tuple[float | None, float | None, float | None]:
    """Precision, recall, F1 from counts (``None`` when a denominator is 0).

    >>> prf(3, 1, 0)
    (0.75, 1.0, 0.8571428571428571)
    >>> prf(0, 0, 2)
    (None, 0.0, None)
    """
    p = tp / (tp + fp) if tp + fp > 0 else None
    r = tp / (tp + fn) if tp + fn > 0 else None
    return p, r, _f1(p, r)


def snippet_scores(docs: Sequence[SnippetCounts]) -> SnippetScores:
    """Sum the counts over the corpus, then precision, recall, F1.

    >>> snippet_scores([SnippetCounts(2, 1, 0), SnippetCounts(1, 0, 1)]).f1
    0.75
    """
    tp, fn, fp = (sum(getattr(d, k) for d in docs) for k in ("tp", "fn", "fp"))
    p, r, f = prf(tp, fp, fn)
    return SnippetScores(p, r, f, tp, fn, fp)


# --- bootstrap ------------------------------------------------------------------------


def bootstrap_se(
    items: Sequence[T],
    stat: Callable[[list[T]], float | None],
    *,
    rounds: int = 200,
    seed: int = 1,
) -> float | None:
    """Standard error of ``stat`` over ``rounds`` resamples of ``items`` (documents) with replacement.

    Deterministic for a given seed; ``None`` if the statistic is undefined on too many resamples.

    >>> bootstrap_se([1.0] * 10, lambda xs: sum(xs) / len(xs))  # no spread
    0.0
    >>> se = bootstrap_se([0.0, 1.0] * 50, lambda xs: sum(xs) / len(xs), rounds=400)
    >>> 0.035 < se < 0.065  # sqrt(0.25 / 100) = 0.05
    True
    """
    if not items or rounds < 2:
        return None
    rng = random.Random(seed)
    n = len(items)
    values = []
    for _ in range(rounds):
        sample = [items[rng.randrange(n)] for _ in range(n)]
        value = stat(sample)
        if value is not None:
            values.append(value)
    if len(values) < rounds // 2:
        return None
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0


# --- metadata -------------------------------------------------------------------------

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                         "–": "-", "—": "-", "\u00a0": " "})  # fmt: skip


def normalize_title(text: str | None) -> str:
    """NFKC, case-folded, quotes and dashes unified, whitespace collapsed, edge punctuation dropped.

    >>> normalize_title("  “Only One”  Lyrics — PJ\u00a0Morton. ")
    '"only one" lyrics - pj morton'
    """
    text = unicodedata.normalize("NFKC", (text or "").replace("\u00ad", "")).translate(_QUOTES)
    return _SPACE.sub(" ", text).casefold().strip().rstrip(".:;,!|-").strip()


def title_match(truth: str | None, prediction: str | None) -> bool | None:
    """Normalised exact match; ``None`` when the truth has no title.

    >>> title_match("Bohren, bis es heiß wird", "Bohren, bis es heiß wird | ZEIT ONLINE")
    False
    >>> title_match("Bohren, bis es heiß wird", "Bohren,  bis es heiß wird ")
    True
    >>> title_match(None, "x") is None
    True
    """
    if not truth:
        return None
    return normalize_title(truth) == normalize_title(prediction)


def author_f1(truth: Sequence[str], prediction: Sequence[str]) -> float | None:
    """F1 of the normalised author-name sets; ``None`` when the truth has none.

    >>> author_f1(["Jane Roe", "John Doe"], ["jane roe"])
    0.6666666666666666
    >>> author_f1(["Jane Roe"], []), author_f1([], ["x"])
    (0.0, None)
    """
    t = {normalize_title(a) for a in truth if a.strip()}
    if not t:
        return None
    p = {normalize_title(a) for a in prediction if a.strip()}
    tp = len(t & p)
    return 2 * tp / (len(t) + len(p)) if tp else 0.0


def date_match(truth: str | None, prediction: str | None) -> bool | None:
    """Same calendar day (``YYYY-MM-DD``); ``None`` when the truth has no date.

    >>> date_match("2019-10-16", "2019-10-16"), date_match("2019-10-16", None)
    (True, False)
    """
    if not truth:
        return None
    return bool(prediction) and truth[:10] == (prediction or "")[:10]


# --- boilerplate leakage --------------------------------------------------------------

_AGENCIES = (
    r"getty(?:\s*images)?|reuters|afp|ap(?:\s*photo)?|associated press|pa(?:\s*(?:wire|media|images))?"
    r"|epa(?:-efe)?|efe|dpa|imago(?:\s*images)?|shutterstock|alamy|anadolu(?:\s*agency)?|xinhua|ansa"
    r"|sipa(?:\s*usa)?|bloomberg|keystone|picture[- ]alliance|abaca(?:press)?|belga|tass|istock(?:photo)?"
)
_WIDGETS = (
    # English
    r"most read|most popular|most viewed|most shared|related"
    r"|related (?:articles?|stories|content|news|posts|topics)"
    r"|read more|read next|read also|more from .{1,40}|more on this(?: story)?|more stories|recommended"
    r"|recommended (?:for you|stories|articles)|you (?:may|might) also like|don'?t miss"
    r"|advertisement|advert|sponsored|sponsored content|trending|trending now|trending on .{1,40}"
    r"|top stories|latest news|editor'?s picks|watch"
    r"|sign up|subscribe|newsletter|skip advert|continue reading|comments|view comments|load more"
    # German
    r"|meistgelesen|meist gelesen|am meisten gelesen|mehr zum thema|weitere artikel"
    r"|das könnte sie auch interessieren|lesen sie auch|auch interessant|anzeige|werbung|empfehlungen"
    r"|newsletter abonnieren|zum thema"
    # French
    r"|publicité|à lire aussi|a lire aussi|lire aussi|les plus lus|sur le même sujet|articles similaires"
    r"|à voir aussi|dans la même rubrique"
    # Spanish / Portuguese / Italian / Dutch
    r"|publicidad|lo más leído|te puede interesar|leer más|noticias relacionadas|más noticias"
    r"|publicidade|leia também|mais lidas|veja também"
    r"|pubblicità|leggi anche|i più letti|potrebbe interessarti"
    r"|advertentie|lees ook|meest gelezen|gerelateerd"
)
_SHARE = (
    r"share(?: this(?: article| story| page)?)?"
    r"|share on (?:facebook|twitter|x|linkedin|whatsapp|reddit|email)"
    r"|tweet|email|print|copy link|facebook|twitter|whatsapp|linkedin|pinterest|reddit"
    r"|teilen|auf facebook teilen|artikel teilen|partager|partager sur facebook"
    r"|compartir|compartilhar|condividi|delen"
)

BOILERPLATE_PATTERNS: dict[str, re.Pattern[str]] = {
    # a caption credit: "Photo: Jane Roe", "Credit: Reuters", "(Getty Images)", "REUTERS/Jane Roe", "© AFP"
    "credit": re.compile(
        r"^(?:photo(?:graph)?s?|pictures?|images?|foto(?:s|grafía)?|bild(?:er)?|credits?|crédit|crédito"
        r"|source|quelle|photo credit|image credit|image source)\s*[:|]"
        r"|©\s*\S|^(?:\(c\)|copyright\b)"
        rf"|(?:^|[/|(\[:,;]|\b(?:photo|foto|image|credit|bild)\b.{{0,60}}?)\s*(?:{_AGENCIES})\s*[)\]]?\s*\.?$"
        rf"|^(?:{_AGENCIES})\s*/",
        re.IGNORECASE,
    ),
    # a widget heading, the whole line: "Most Read", "Related stories", "Lesen Sie auch:"
    "widget": re.compile(rf"^(?:{_WIDGETS})\s*[:.!»>›→\-]*$", re.IGNORECASE),
    # share bar text, the whole line: "Share this article", "Share on Facebook", "Teilen"
    "share": re.compile(rf"^(?:{_SHARE})(?:\s*[|/·•,]\s*(?:{_SHARE}))*\s*[:.!]*$", re.IGNORECASE),
}
_MAX_LINE = 160  # longer lines are prose, not furniture


def boilerplate_lines(text: str | None) -> list[tuple[str, str]]:
    """``(kind, line)`` for each short line of ``text`` matching a boilerplate pattern.

    >>> boilerplate_lines("Storm hits coast\\nPhoto: Jane Roe/Getty Images\\nMost Read\\nShare on Facebook")
    [('credit', 'Photo: Jane Roe/Getty Images'), ('widget', 'Most Read'), ('share', 'Share on Facebook')]
    >>> boilerplate_lines("LONDON (Reuters) - Shares fell on Monday as investors weighed the data.")
    []
    >>> boilerplate_lines("Lesen Sie auch:\\nBild: dpa\\nPublicité")
    [('widget', 'Lesen Sie auch:'), ('credit', 'Bild: dpa'), ('widget', 'Publicité')]
    """
    found = []
    for raw in (text or "").splitlines():
        line = normalize_snippet(raw)
        if not line or len(line) > _MAX_LINE:
            continue
        for kind, pattern in BOILERPLATE_PATTERNS.items():
            if pattern.search(line):
                found.append((kind, line))
                break
    return found


def leaked_lines(prediction: str | None, truth: str | None) -> list[tuple[str, str]]:
    """Boilerplate lines of ``prediction`` that do not occur in ``truth``.

    >>> leaked_lines("Text.\\nAdvertisement\\nPhoto: AP", "Text.\\nPhoto: AP")
    [('widget', 'Advertisement')]
    """
    hay = normalize_snippet(truth).casefold()
    return [(k, line) for k, line in boilerplate_lines(prediction) if line.casefold() not in hay]


# --- speed ----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation, as numpy's default.

    >>> percentile([1, 2, 3, 4], 50), percentile([1, 2, 3, 4], 95), percentile([], 50)
    (2.5, 3.85, None)
    """
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
