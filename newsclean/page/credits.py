"""Photo and video credits at the end of a caption or a line: the one place that knows them.

Three questions, three patterns built from one vocabulary (the words that introduce a
credit, and the agencies that end one): does a line *end in* a credit (so it reads like a
caption), does a caption *carry its own* credit (so it goes as a whole), and where does a
caption's credit *start* (so an image keeps caption and credit apart).

>>> ends_in_credit("Waves at the pier (Photo: Jo Roe)  ")
True
>>> carries_credit("Crowds gather in Belgrade on Sunday. Photo: Jane Roe/AFP")
True
>>> split_credit("Protesters in Belgrade (Photo by Jane Roe/Getty Images)")
('Protesters in Belgrade', 'Jane Roe/Getty Images')
"""

from __future__ import annotations

import re

from newsclean.anchors import gate

__all__ = ["CAPTION_CREDIT", "CAPTION_CREDIT_WIDTH", "CREDIT_TAIL", "CREDIT_TAIL_WIDTH", "carries_credit",
           "ends_in_credit", "split_credit", "tail_match"]

# The vocabulary: what introduces a credit, and the agencies a credit names alone.
_PICTURE = r"photo|image|picture"
_AGENCY_LINES = r"getty images|afp via getty images|reuters|pa wire|ap photo|shutterstock|alamy"
_AGENCY_NAMES = r"getty images|getty|reuters|afp|ap|pa(?: wire| media)?|epa|shutterstock|alamy|bloomberg"

CREDIT_TAIL = re.compile(
    rf"(?:\((?:{_PICTURE}|pictures|video|credit)s?\b[^()]{{0,100}}\)|"
    rf"(?:{_PICTURE}|credit)s?:\s?[^.!?]{{1,60}}|"
    rf"\b(?:{_AGENCY_LINES})\.?)\s*$",
    re.IGNORECASE,
)
"""A line that ends in a credit: "(Photo: Jo Roe)", "Photos: AP", "... Reuters"."""

CAPTION_CREDIT = re.compile(
    rf"(?:\b(?:{_PICTURE}|photograph|foto|bild|credit|fotocredit)s?\s?:\s?[^.!?:]{{2,60}}"
    rf"|©\s?[^.!?©]{{2,60}}|\((?:{_PICTURE}|foto)s?\b[^()]{{0,80}}\))\s*$",
    re.IGNORECASE,
)
"""A caption's own credit, stricter: "Photo: Jane Roe/AFP", "© Reuters", "(Foto dpa)"."""

# The longest match of each before its trailing whitespace: "(" + "pictures" + "s" + 100 + ")"
# and "(" + "picture" + "s" + 80 + ")" (tests/test_textrules.py checks them against the regexes).
CREDIT_TAIL_WIDTH = 111
CAPTION_CREDIT_WIDTH = 90

_SPLIT = re.compile(
    rf"(?:\((?:{_PICTURE})s?:?(?: by)?\s*([^()]{{1,80}})\)|"
    rf"(?:{_PICTURE}|credit)s?:\s*([^.]{{1,60}})|"
    rf"((?:[\w .-]{{1,40}}/)?(?:{_AGENCY_NAMES})))\.?\s*$",
    re.IGNORECASE,
)


def tail_match(pattern: re.Pattern[str], width: int, text: str) -> re.Match[str] | None:
    """``pattern.search(text)`` for a ``pattern`` anchored at the end (``...\\s*$``) whose
    matches are at most ``width`` characters before the trailing whitespace: the search
    starts where a match can start, not at every word of a long paragraph, and only when that
    stretch holds one of the words every match holds (:func:`~newsclean.anchors.gate`).

    >>> tail_match(CREDIT_TAIL, CREDIT_TAIL_WIDTH, "Waves at the pier (Photo: Jo Roe)  ").start()
    18
    """
    start = max(0, len(text.rstrip()) - width)
    # the module's two patterns have their gates at hand: looking one up hashes the pattern,
    # its compiled code included (~0.5 µs a call, a quarter of the call)
    if pattern is CREDIT_TAIL:
        found = _CREDIT_TAIL_GATE
    elif pattern is CAPTION_CREDIT:
        found = _CAPTION_CREDIT_GATE
    else:
        found = gate((pattern,))
    if not found.candidates(text[start:]):  # none of the words every match holds
        return None
    return pattern.search(text, start)


_CREDIT_TAIL_GATE = gate((CREDIT_TAIL,))
_CAPTION_CREDIT_GATE = gate((CAPTION_CREDIT,))


def ends_in_credit(text: str) -> bool:
    """Whether ``text`` ends in a credit (:data:`CREDIT_TAIL`)."""
    return tail_match(CREDIT_TAIL, CREDIT_TAIL_WIDTH, text) is not None


def carries_credit(text: str) -> bool:
    """Whether ``text`` is a caption followed by its own credit (:data:`CAPTION_CREDIT`, not at
    the start: a line that is only a credit is a credit, not a caption).

    >>> carries_credit("The agency said the photo: was fake, and withdrew it from sale.")
    False
    """
    match = tail_match(CAPTION_CREDIT, CAPTION_CREDIT_WIDTH, text)
    return match is not None and match.start() > 0


def split_credit(caption: str) -> tuple[str, str | None]:
    """A caption and its trailing credit, apart (the credit None when there is none).

    >>> split_credit("Putin in Moscow Reuters")
    ('Putin in Moscow', 'Reuters')
    """
    match = _SPLIT.search(caption)
    if not match or match.start() == 0:
        return caption.strip(), None
    credit = next(g for g in match.groups() if g)
    return caption[: match.start()].strip(), credit.strip()
