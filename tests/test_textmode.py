"""Text mode (``clean_text``): the article found in leaked text, its header read into the metadata,
comment threads and teaser lists cut as blocks, structural repeats kept (in both modes)."""

from __future__ import annotations

import time

import pytest

import newsclean
from newsclean import Options, Rules
from newsclean.article import Block
from newsclean.page import span
from newsclean.page.linefeatures import Calibration, calibrate, line_features
from newsclean.page.span import LineClass, best_span, extend_span, is_page, line_class
from newsclean.page.textrules import apply_text_rules


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.strip().split("\n\n") if p]


ARTICLE = [
    "A storm hit the coast on Monday night, cutting power to thousands of homes and closing the harbour.",
    "Officials said repairs would take weeks, and urged people to stay indoors until the wind had dropped.",
    "The council has opened two shelters in the town hall and the school, with beds for 300 people.",
    "Forecasters expect the storm to ease by Wednesday, although more rain is due at the weekend.",
]
COMMENT = "I was there and it was awful, the whole street lost power for the night and nobody came."
PAGE = "\n".join([
    "Storm hits the coast | Daily Example", "Skip to content", "Home", "News", "Sport", "Weather", "Business",
    "Contact", "Storm hits the coast", "Thousands are without power after the worst storm in a decade",
    "By Jane Roe | 18 November 2024", *ARTICLE[:2], "Waves at the pier on Monday", "Getty", *ARTICLE[2:],
    "Related", "Another storm story from last year", "Flooding closes the bypass again", "3 Comments", "Jo",
    COMMENT, "Reply", "Sam", "Stay safe everyone, and thanks to the crews who worked through the night.",
    "Reply", "We use cookies to give you the best experience. By using this site you agree to our policy.",
    "About us", "Jobs", "Privacy", "Terms", "© 2024 Daily Example. All rights reserved.",
])
STANDFIRST = "Thousands are without power after the worst storm in a decade"


# ---------------------------------------------------------------------------------- a whole page's text


def test_whole_page_keeps_only_the_article() -> None:
    article = newsclean.clean_text(PAGE)
    # the standfirst is the description and stays in the text, as a lead paragraph does on pages
    assert _paragraphs(article.text) == [STANDFIRST, *ARTICLE]
    assert article.title == "Storm hits the coast"
    assert article.description == STANDFIRST
    assert article.authors == ("Jane Roe",)
    assert article.site_name == "Daily Example"
    rules = {r.text: r.rule for r in article.removed}
    assert rules["Home"] == rules["Business"] == "text.outside"
    assert rules["Storm hits the coast"] == "text.title"
    assert rules["By Jane Roe | 18 November 2024"] == "textmode.byline.by"
    assert rules["Waves at the pier on Monday"] == "text.caption"
    assert rules["Getty"] == "generic.credit.agency"
    assert rules["Flooding closes the bypass again"] == "text.teasers"
    assert rules[COMMENT] == "text.comments"


def test_every_line_is_kept_or_recorded_in_line_order() -> None:
    article = newsclean.clean_text(PAGE)
    lines = [line for line in PAGE.splitlines() if line.strip()]
    kept = [b.text for b in article.blocks]
    assert len(kept) + len(article.removed) == len(lines)
    removed = [r.text for r in article.removed]
    assert removed == [line for line in lines if line not in kept]
    assert all(r.rule and r.kind for r in article.removed)


def test_the_header_is_metadata_not_text_in_an_extractors_output() -> None:
    text = "\n".join(["Storm hits the coast", "By Jane Roe", *ARTICLE])
    article = newsclean.clean_text(text)
    assert article.title == "Storm hits the coast" and article.authors == ("Jane Roe",)
    assert _paragraphs(article.text) == ARTICLE


def test_a_line_of_content_before_it_is_no_headline() -> None:
    # a list item or a key before the first title-like line: the header is not there to be read
    text = "\n".join(["Where and when:", "Minutes of the last meeting approved", *ARTICLE])
    article = newsclean.clean_text(text)
    assert article.title is None and "Minutes of the last meeting approved" in article.text


# --------------------------------------------------------------------------- an extractor's output


def test_extractor_output_keeps_content_lines_beside_the_article() -> None:
    text = "\n".join([*ARTICLE[:2], "Shelters:", "Town hall, Market Street 4", "School, Church Road 12",
                      "Share", "Next article"])
    article = newsclean.clean_text(text)
    assert "Town hall, Market Street 4" in article.text and "School, Church Road 12" in article.text
    assert "Next article" not in article.text


def test_a_teaser_list_after_the_article_goes_as_a_block() -> None:
    text = "\n".join([*ARTICLE, "Related", "Flooding closes the bypass again", "Mayor opens the new library",
                      "School wins the county chess cup"])
    article = newsclean.clean_text(text)
    assert _paragraphs(article.text) == ARTICLE
    assert [r.rule for r in article.removed] == ["generic.heading.related"] + ["text.teasers"] * 3


def test_a_closing_paragraph_under_a_heading_stays() -> None:
    text = "\n".join([*ARTICLE, "More on this story",
                      "A full list of the shelters and their opening hours is on the council's website."])
    assert "A full list of the shelters" in newsclean.clean_text(text).text


def test_prose_after_a_teaser_box_stays_a_bio_under_its_heading_goes() -> None:
    box = ["Related", "Flooding closes the bypass again", "Mayor opens the new library"]
    closing = "The harbour will reopen on Thursday if the wind drops, the harbour master said on Monday."
    assert closing in newsclean.clean_text("\n".join([*ARTICLE, *box, closing])).text
    bio = "Jane Roe writes about the coast and its people, and sails when the weather lets her."
    article = newsclean.clean_text("\n".join([*ARTICLE, *box, "About the author", bio]))
    assert bio not in article.text and _paragraphs(article.text) == ARTICLE


def test_comment_thread_after_the_article_goes_as_a_block() -> None:
    text = "\n".join([*ARTICLE, "2 Comments",
                      "Jo says:", "I was there and it was awful, nobody came to help.", "Reply",
                      "Sam says:", "Stay safe everyone, and thanks to the crews who worked all night.",
                      "Reply"])
    article = newsclean.clean_text(text)
    assert _paragraphs(article.text) == ARTICLE
    rules = {r.text: r.rule for r in article.removed}
    assert rules["Jo says:"] == rules["Sam says:"] == "textmode.comments.item"  # a comment's own furniture
    assert rules["I was there and it was awful, nobody came to help."] == "text.comments"
    assert {r.kind for r in article.removed if r.rule != "generic.line.labels"} <= {"comments", "line"}


def test_comment_thread_needs_an_article_before_it() -> None:
    text = "Comments\nA storm hit the coast on Monday night, cutting power to thousands of homes, they said."
    assert "A storm hit the coast" in newsclean.clean_text(text).text


# ------------------------------------------------------------------ the line classifier and the span


def test_line_classes_at_their_thresholds() -> None:
    cal = Calibration(use_stopwords=True)
    ten = "Storm cut power to the town on Monday, officials said."
    assert len(ten.split()) == span.PROSE_MIN_WORDS
    assert line_class(line_features(ten), cal) is LineClass.PROSE
    short = "Storm cut power to the town Monday, officials said."
    assert len(short.split()) < span.PROSE_MIN_WORDS
    assert line_class(line_features(short), cal) is LineClass.SHORT
    assert line_class(line_features("Home"), cal) is LineClass.JUNK  # a label
    assert line_class(line_features("200 g Zucker"), cal) is LineClass.DATA
    assert line_class(line_features("Zutaten:"), cal) is LineClass.SHORT  # a lead-in, never junk
    assert line_class(line_features("18 November 2024, 12:05"), cal) is LineClass.JUNK  # a date
    assert line_class(line_features("www.example.com/news/storm"), cal) is LineClass.JUNK
    unpunctuated = "The " + " ".join(["word"] * (span.PROSE_UNPUNCTUATED_WORDS - 2))  # one word short
    assert line_class(line_features(unpunctuated), Calibration(use_stopwords=False)) is LineClass.SHORT
    no_stops = Calibration(use_stopwords=False)
    assert line_class(line_features(unpunctuated + " word"), no_stops) is LineClass.PROSE


def test_function_words_count_only_in_a_listed_language() -> None:
    greek = ["Αυτή είναι μια πρόταση σε μια γλώσσα που δεν είναι στη λίστα, και είναι αρκετά μεγάλη."] * 3
    assert calibrate([line_features(t) for t in greek]) == Calibration(use_stopwords=False)
    assert line_class(line_features(greek[0]), calibrate([line_features(greek[0])])) is LineClass.PROSE


def test_a_lone_sentence_in_the_footer_is_not_worth_the_menu_before_it() -> None:
    lines = [*ARTICLE, "Home", "News", "Sport", "Weather", "Contact",
                       "Sign up to our newsletter for the news every morning."]
    feats = [line_features(t) for t in lines]
    classes = [line_class(f, calibrate(feats)) for f in feats]
    assert best_span(feats, classes) == (0, 3)


def test_the_span_widens_to_a_hard_edge_within_reach() -> None:
    J, S, P = LineClass.JUNK, LineClass.SHORT, LineClass.PROSE
    classes = [P, P, J, S, J, J, J, J]
    hard = [False] * 7 + [True]
    assert extend_span(classes, 0, 1, hard) == (0, 3)  # three junk lines in a row: a menu, no further
    assert extend_span([P, P, J, S, J, J], 0, 1, [False] * 5 + [True]) == (0, 4)
    assert span.EDGE_MAX_JUNK_RUN == 3 and span.EDGE_MAX_LINES == 8


def test_a_page_has_menus_an_extractors_output_at_most_one() -> None:
    J, P = LineClass.JUNK, LineClass.PROSE
    run = [J] * span.NAV_RUN_LINES
    assert is_page(run + [P] * 3 + run) and not is_page(run + [P] * 3)


# ------------------------------------------------------------------ structural repeats, both modes

QUESTION = "What is the one book you would take to a desert island?"
ANSWERS = ["Jane: Ulysses, because it would last me the whole stay on the island.",
           "Tom: A field guide to the birds, so that I would know who my neighbours were.",
           "Ann: The complete works of Shakespeare, which everyone says but which is true."]


def test_structural_repeats_stay_in_text_mode() -> None:
    text = "\n".join([QUESTION, ANSWERS[0], QUESTION, ANSWERS[1], QUESTION, ANSWERS[2]])
    article = newsclean.clean_text(text)
    assert [b.text for b in article.blocks].count(QUESTION) == 3
    assert "text.duplicate" not in {r.rule for r in article.removed}


def test_structural_repeats_stay_on_pages() -> None:
    body = "".join(f"<h3>{QUESTION}</h3><p>{a} {a}</p>" for a in ANSWERS)
    html = ("<html><head><title>Desert island books</title></head><body><article>"
            f"<h1>Desert island books</h1>"
            f"<p>{ARTICLE[0]}</p>{body}<p>{ARTICLE[1]}</p></article></body></html>")
    article = newsclean.clean(html, url="https://news.example/books")
    assert article.text.count(QUESTION) == 3
    assert "text.duplicate" not in {r.rule for r in article.removed}


def test_repeated_sequences_and_teasers_are_furniture() -> None:
    interview = [QUESTION, ANSWERS[0], QUESTION, ANSWERS[1], QUESTION, ANSWERS[2]]
    blocks = [Block("paragraph", t) for t in interview]
    kept, removed = apply_text_rules(blocks, Rules.default())
    assert [b.text for b in kept].count(QUESTION) == 3 and not removed
    # a repeated sequence (a menu, a teaser list in two boxes, a copied block) is furniture
    menu = [Block("paragraph", t) for t in ["Local news from the whole county today",
                                            "Sport results and fixtures for the weekend"]]
    kept, removed = apply_text_rules([*menu, blocks[1], *menu], Rules.default())
    assert [r.rule for r in removed] == ["text.duplicate", "text.duplicate"]
    # a teaser headline in two lists of other stories is furniture, even between other teasers
    teaser = "Flooding closes the bypass again after a night of rain"
    lists = [teaser, "Mayor opens the new library in the old town hall", "School wins the county chess cup",
             "A storm hit the coast on Monday night, cutting power to thousands of homes, officials said.",
             "Council votes to keep the weekly market in the square", teaser,
             "Bus fares rise by ten pence in May"]
    kept, removed = apply_text_rules([Block("paragraph", t) for t in lists], Rules.default())
    assert [r.text for r in removed] == [teaser]


def test_long_repeats_are_copies() -> None:
    para = ("The council approved the new harbour budget on Tuesday after a debate that ran late into "
            "the night, with members split over the cost of dredging the channel.")
    article = newsclean.clean_text("\n".join([para, "Officials said repairs would take weeks.", para]))
    assert article.text.count(para) == 1 and [r.rule for r in article.removed] == ["text.duplicate"]


def test_a_sub_head_the_paragraph_restates_stays_in_text_mode() -> None:
    text = "\n".join([*ARTICLE[:2], "How the harbour came to close",
                      "Nobody remembers how the harbour came to close so early this season, said the mayor.",
                      *ARTICLE[2:]])
    assert "How the harbour came to close\n" in newsclean.clean_text(text).text


# --------------------------------------------------------------------------------- hostile input


def test_hostile_inputs() -> None:
    assert newsclean.clean_text("  \n\n\t ").reason == "empty input"
    with pytest.raises(TypeError, match="takes str"):
        newsclean.clean_text(b"x")  # type: ignore[arg-type]
    text = newsclean.clean_text("Storm\ud83d hits\x00 the coast on Monday night, officials said.")
    assert text.to_json() and "\x00" not in text.text
    assert len(newsclean.clean_text("word " * 1000, options=Options(max_bytes=100)).text) <= 100


def test_huge_line_and_many_repeats_finish() -> None:
    started = time.monotonic()
    assert newsclean.clean_text("word " * 2_000_000).text.startswith("word word")
    lines = "".join(f"Line {i} of a long list with several words in it.\n" for i in range(30_000))
    twice = newsclean.clean_text(lines + lines, options=Options(max_nodes=100_000))
    assert twice.text.count("Line 29999 of") == 1
    assert time.monotonic() - started < 120


class _CountedFlags(list[bool]):
    """Flags that count how often they are read."""

    reads = 0

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        type(self).reads += 1
        return super().__getitem__(index)


def test_a_run_of_widget_headings_is_cut_in_one_pass() -> None:
    # 2,000 "More from ..." headings in a row, then a paragraph: each heading's teasers run to the
    # same paragraph; walking them once per heading was quadratic (100,000 such lines took 163 s)
    from newsclean.article import Removal
    from newsclean.page.textmode import _cut_teasers

    n = 2_000
    lines = [f"More from site {i}" for i in range(n)] + ["A paragraph of the article itself."]
    prose = _CountedFlags([False] * n + [True])
    gone: list[Removal | None] = [Removal("widget", "heading", line) for line in lines[:-1]] + [None]
    gone[1] = None  # one teaser among them
    _cut_teasers(lines, prose, gone, 0, n)
    assert gone[1] is not None and gone[1].rule == "text.teasers" and gone[-1] is None
    assert _CountedFlags.reads <= 2 * len(lines)
