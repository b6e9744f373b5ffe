"""Learned site rules and the report of a cleaning (pages built here, no corpus pages)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

import newsclean
from newsclean.report import explain_html, layout
from newsclean.sites.learning import is_prose, learn, selector_for

STORIES = [
    "The council approved the harbour budget after a long debate about the cost of dredging the channel.",
    "Ferry crews voted to accept the new pay offer after three weeks of talks with the operator.",
    "The lighthouse reopened to visitors on Saturday after a year of repairs to its lantern room.",
    "A rare seabird was spotted on the breakwater, drawing dozens of birdwatchers to the quay.",
]
MORE = [
    "Opponents warned that the loans would burden the town for decades and asked for an audit first.",
    "The union said members had accepted the deal reluctantly, citing rising costs of living on the coast.",
    "Volunteers guided the first visitors up the 132 steps, and the gift shop sold out of postcards by noon.",
    "Experts said the bird had probably been blown off course by last week's storms in the North Atlantic.",
    "Shopkeepers on the quay reported their busiest weekend since the summer festival ended in August.",
]
BIO = ("Jo Roe has covered the harbour for the Gazette since 2009. She previously reported on "
       "shipping for a trade weekly and lives in Port Ellis with two cats.")


WORDS = (
    "harbour", "council", "ferry", "storm", "quay", "budget", "vote", "crew", "tide", "lantern",
    "gull", "pier", "dredging", "loan", "audit", "island", "berth", "channel", "skipper", "market",
    "festival", "mayor", "school", "bridge", "road", "rain", "wind", "boat", "net",
)


def filler(n: int, paragraphs: int = 4) -> str:
    """Paragraphs of this page's own words (no two pages share an 8-word run)."""
    rng = random.Random(n)
    return "".join("<p>" + " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + ".</p>"
                   for _ in range(paragraphs))


def page(n: int, story: str, extra: str = "", *, url: bool = True) -> tuple[str, str | None]:
    canonical = f'<link rel="canonical" href="https://www.gazette.example/news/{n}">'
    html = f"""<html><head><title>Story {n}</title>{canonical}</head><body>
    <article><h1>Story {n}</h1><p>{story}</p><p>{MORE[n % len(MORE)]}</p>{filler(n)}
    {extra}</article></body></html>"""
    return html, (f"https://www.gazette.example/news/{n}" if url else None)


def rules_of(learned: newsclean.Rules) -> list[tuple[str, str]]:
    return [(r.kind, r.patterns[0]) for pack in learned.packs for r in pack.rules]


def test_recurring_box_is_learned_and_round_trips(tmp_path: Path) -> None:
    box = ('<p class="hg-tipline">Got a story about the harbour? Seen something we should know about? '
           "Email tips@gazette.example</p>")
    learned = learn([page(n, s, box) for n, s in enumerate(STORIES[:3], 1)])
    assert rules_of(learned) == [("selector", "p.hg-tipline")]
    assert learned.pack.id == "learned.gazette.example" and learned.pack.domains == ("gazette.example",)
    path = tmp_path / "learned.toml"
    path.write_text(learned.to_toml(), encoding="utf-8")
    loaded = newsclean.Rules.load(path)
    assert loaded.packs[0].id == "generic" and loaded.packs[-1].rules == learned.pack.rules
    html, url = page(9, STORIES[3], box)
    assert "Got a story" in newsclean.clean(html, url).text
    assert "Got a story" not in newsclean.clean(html, url, rules=loaded).text
    assert STORIES[3] in newsclean.clean(html, url, rules=loaded).text


def test_host_from_canonical_link_and_too_few_pages() -> None:
    learned = learn([page(n, s, url=False) for n, s in enumerate(STORIES[:2], 1)])
    assert learned.host == "gazette.example"
    with pytest.raises(ValueError, match="at least 2 pages"):
        learn([page(1, STORIES[0])])


def test_same_story_twice_counts_once() -> None:
    """Two copies of one story are one page of evidence: its text is never learned."""
    html, _ = page(1, STORIES[0])
    pages = [(html, "https://gazette.example/a"), (html, "https://gazette.example/b"), page(3, STORIES[1])]
    learned = learn(pages, "gazette.example")
    assert learned.distinct == 2 and learned.pages == 3
    assert not learned.pack.rules


def test_recurring_prose_without_a_box_is_not_a_line() -> None:
    disclaimer = ("<p>This article was produced with support from a regional fund. The fund had no say "
                  "over what we wrote, and our editors decided what to cover and how to cover it.</p>")
    learned = learn([page(n, s, disclaimer) for n, s in enumerate(STORIES[:3], 1)], "gazette.example")
    assert not [r for r in learned.pack.rules if r.kind == "line"]


def test_short_disclaimer_line_is_learned_escaped() -> None:
    line = "<p>Prices correct at the time of writing (£5+).</p>"
    learned = learn([page(n, s, line) for n, s in enumerate(STORIES[:3], 1)], "gazette.example")
    lines = [r for r in learned.pack.rules if r.kind == "line"]
    assert [r.patterns[0] for r in lines] == [re.escape("Prices correct at the time of writing (£5+).")]
    assert lines[0].why.startswith("on 3 of 3 pages: line ")


def test_author_bio_box_is_furniture() -> None:
    box = f'<div class="writer-card"><h3>About the author</h3><p>{BIO}</p></div>'
    learned = learn([page(n, s, box) for n, s in enumerate(STORIES[:3], 1)], "gazette.example")
    assert ("selector", "div.writer-card") in rules_of(learned)


def test_labels_and_generated_names_are_not_learned() -> None:
    label = '<div class="meta-label">Filed under:</div>'
    hashed = '<div class="css-1q2w3e">Read more in our archive of harbour stories and council news</div>'
    learned = learn([page(n, s, label + hashed) for n, s in enumerate(STORIES[:3], 1)], "gazette.example")
    assert not [r for r in learned.pack.rules if r.kind == "selector"]
    tree = LexborHTMLParser('<div class="css-1q2w3e sc-bdVaJa"></div><div id="post-48213"></div>')
    assert [selector_for(n) for n in tree.css("div")] == [None, None]


def test_is_prose() -> None:
    assert not is_prose("SKIP ADVERTISEMENT")
    assert is_prose(BIO)


def test_report_is_self_contained_and_in_page_order() -> None:
    box = '<div class="share-bar">Share on Facebook</div>'
    html, url = page(1, STORIES[0], box)
    out = explain_html(html, url)
    head = out.split("<body>")[0]
    assert "<script" not in out and "<link" not in out and "src=" not in out and "http" not in head
    assert "generic.token.share" in out and "<del" in out
    runs = [(run.status, run.rule) for row in layout(html, url).rows for run in row]
    assert runs[0] == ("removed", "text.title")
    assert runs.index(("removed", "generic.token.share")) > runs.index(("kept", None))


def test_report_of_an_article_alone() -> None:
    html, url = page(1, STORIES[0])
    article = newsclean.clean(html, url)
    out = explain_html(article)
    assert "in the order the rules ran" in out and STORIES[0] in out
