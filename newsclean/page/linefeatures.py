"""Text-only features of a line: how much it reads like prose, a label, a link, a date.

Language-light: word counts (CJK characters count as half a word), sentence punctuation, and the
density of function words from ``stopwords.toml`` (English, German, French, Spanish, Italian,
Portuguese, Dutch, Polish, Nordic, Czech/Slovak, Romanian, Turkish, Indonesian, Russian). A text whose
prose holds almost no listed function words (another language) is scored on length and punctuation
alone: see :class:`Calibration`.

>>> f = line_features("The council approved the new harbour budget on Tuesday after a long debate.")
>>> f.words, f.terminal, round(f.stop_density, 2)
(13, True, 0.38)
>>> line_features("Sport").label, line_features("12:05 p.m.").datey
(True, True)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

__all__ = ["Calibration", "LineFeatures", "calibrate", "line_features", "stopwords"]

_DATA = "stopwords.toml"  # beside this module
_TOKEN = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u0e00-\u0e7f]")
_LETTER = re.compile(r"[^\W\d_]")
_TERMINAL = tuple('.!?…"“”’\'»«)。！？」』:;')
_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"”’'»)]*)(?:\s|$)")
_URLISH = re.compile(r"https?://|www\.|(?<=\w)\.(?:com|org|net|de|fr|es|it|pl|nl|uk|io|html?|php)\b(?:/|$)"
                     r"|@\w+\.\w|\[email\s*protected\]", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_MONTHS = (r"jan(?:uary|uar|vier|eiro|uari)?|feb(?:ruary|ruar)?|f[ée]v(?:rier)?|fevereiro|mar(?:ch|s|zo|ço)?|"
           r"märz|apr(?:il|ile|il)?|avr(?:il)?|abr(?:il)?|may|mai|mayo|maggio|maio|mei|jun(?:e|i|io|ho)?|juin|"
           r"giugno|jul(?:y|i|io|ho)?|juil(?:let)?|luglio|aug(?:ust|ustus)?|ago(?:sto)?|ao[uû]t|sep(?:t|tember|tiembre|"
           r"tembre)?|set(?:tembre|embro)?|oct(?:ober|obre|ubre)?|okt(?:ober)?|ott(?:obre)?|out(?:ubro)?|nov(?:ember|"
           r"embre|iembre)?|dec(?:ember)?|dez(?:ember|embro)?|d[ée]c(?:embre)?|dic(?:iembre|embre)?")
_DATEY = re.compile(
    rf"(?:(?:\w+,? )?(?:\d{{1,2}}(?:st|nd|rd|th)?\.? (?:{_MONTHS})\.?,? \d{{2,4}}|(?:{_MONTHS})\.? \d{{4}}|"
    rf"(?:{_MONTHS})\.? \d{{1,2}}(?:st|nd|"
    rf"rd|th)?,? \d{{2,4}}|\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}|"
    rf"\d{{1,2}}[:.]\d{{2}}(?: ?(?:[ap]\.?m\.?|uhr|h))?|"
    rf"(?:vor |hace |il y a |há )?\d+ (?:\w+ )?(?:ago|h|min|std\.?|stunden?|minuten?|tagen?|horas?|heures?|"
    rf"minutes?|hours?|days?|weeks?|months?|years?|días?|jours?|giorni|ore|dagen|uur)(?: ago| fa| geleden)?)"
    rf"(?:[\s,|•·-]+|$))+",
    re.IGNORECASE,
)
# Dates and "key: value" are looked for on lines of at most this many words, capitals on lines of at most
# this many (``span.JUNK_CAPS_WORDS`` looks no further).
_SHORT_WORDS = 12
_SAMPLE_CHARS = 20_000
_CAPS_WORDS = 8
_KEYED = re.compile(r"\w[^:]{0,40}: \S")
# Decoration a label may carry: "» Sport", "NEWS |", "1.", "→".
_DECOR = " \t:|>»›<«‹-–—•·*#→←▶►▸+/\\()[]{}"


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The union of every language's function words in ``stopwords.toml``."""
    data = tomllib.loads((resources.files("newsclean.page") / _DATA).read_text(encoding="utf-8"))["stopwords"]
    return frozenset(w for words in data.values() for w in words)


class LineFeatures(NamedTuple):
    """What one line looks like. ``words`` counts CJK characters as half a word each."""

    chars: int
    words: int
    tokens: int
    stops: int
    terminal: bool  # ends with sentence punctuation (or a closing quote/bracket)
    sentences: int  # sentence ends inside or at the end of the line
    commas: int
    upper: float  # share of letters in upper case (0 on lines over ``_CAPS_WORDS`` words)
    digits: float  # share of characters that are digits
    urlish: bool  # holds a URL, a domain or an e-mail address
    datey: bool  # nothing but dates, times, "3 hours ago" (short lines only)
    cjk: bool  # mostly CJK or Thai script
    label: bool  # a short label: a menu item, a section name, a tag
    keyed: bool  # "key: value"
    has_digit: bool
    lead_in: bool = False  # ends with a colon: "MEANING:", "Zutaten:" introduce what follows

    @property
    def stop_density(self) -> float:
        """Share of tokens that are function words."""
        return self.stops / self.tokens if self.tokens else 0.0


def line_features(text: str) -> LineFeatures:
    """The features of one line (whitespace already collapsed). Regexes that only short lines need
    (dates, capitals) run on short lines only; a very long line is measured on its first
    ``_SAMPLE_CHARS`` characters, but for its words."""
    if len(text) > _SAMPLE_CHARS:
        sample = line_features(text[:_SAMPLE_CHARS])
        return sample._replace(chars=len(text), words=max(sample.words, len(text.split())))
    toks = _TOKEN.findall(text.lower())
    stops = stopwords()
    cjk_chars = len(_CJK.findall(text)) if _CJK.search(text) else 0
    cjk = cjk_chars * 2 > len(text.replace(" ", "")) > 0
    plain_words = len(text.split())
    words = plain_words + cjk_chars // 2 if cjk_chars else plain_words
    short = words <= _SHORT_WORDS
    letters = _LETTER.findall(text) if words <= _CAPS_WORDS else []
    upper = sum(map(str.isupper, letters)) / len(letters) if letters else 0.0
    digits = len(_DIGIT.findall(text)) / len(text) if text else 0.0
    stripped = text.strip(_DECOR)
    terminal = stripped.endswith(_TERMINAL) or text.rstrip().endswith(_TERMINAL)
    datey = short and bool(stripped) and _DATEY.fullmatch(stripped) is not None
    label = (words <= 4 and not terminal and not cjk) or (cjk and len(stripped) <= 8)
    return LineFeatures(
        chars=len(text),
        words=words,
        tokens=len(toks),
        stops=sum(map(stops.__contains__, toks)),
        terminal=terminal,
        sentences=len(_SENTENCE_END.findall(text)),
        commas=text.count(",") + text.count("，") + text.count("、"),
        upper=upper,
        digits=digits,
        urlish=_URLISH.search(text) is not None,
        datey=datey,
        cjk=cjk,
        label=label,
        keyed=short and _KEYED.search(stripped) is not None,
        has_digit=digits > 0,
        lead_in=text.rstrip().endswith((":", "：")),
    )


@dataclass(frozen=True, slots=True)
class Calibration:
    """Document-level norms: whether function words can be counted on (the text's language is
    one ``stopwords.toml`` lists)."""

    use_stopwords: bool


# Prose in a listed language has ~30-50% function words; below this share over the long lines of
# the whole text, the language is not listed and function words are not used.
MIN_DOC_STOP_DENSITY = 0.08
# Lines of at least this many words are the ones the document's function-word share is taken on.
CALIBRATION_MIN_WORDS = 8


def calibrate(features: list[LineFeatures]) -> Calibration:
    """Decide from the text's longer lines whether function words are informative.

    >>> calibrate([line_features("Dies ist ein Satz, der in einem Artikel stehen könnte, und mehr.")])
    Calibration(use_stopwords=True)
    >>> calibrate([line_features("Αυτή είναι μια πρόταση σε μια γλώσσα που δεν είναι στη λίστα")])
    Calibration(use_stopwords=False)
    """
    toks = sum(f.tokens for f in features if f.words >= CALIBRATION_MIN_WORDS and not f.cjk)
    stops = sum(f.stops for f in features if f.words >= CALIBRATION_MIN_WORDS and not f.cjk)
    return Calibration(use_stopwords=toks > 0 and stops / toks >= MIN_DOC_STOP_DENSITY)
