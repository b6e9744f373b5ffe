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


# ------------------------------------------------------------------ learned packs are rule packs

def test_learned_packs_are_marked_and_unknown_pack_keys_are_errors() -> None:
    from newsclean.rules import Pack

    learned = Pack.from_toml('[pack]\nid = "x"\nlearned = true\n')
    assert learned.learned and not Pack.from_toml('[pack]\nid = "x"\n').learned
    with pytest.raises(newsclean.RuleError, match=r"unknown \[pack\] keys \['domain'\]"):
        Pack.from_toml('[pack]\nid = "x"\ndomain = ["typo.example"]\n')
    with pytest.raises(newsclean.RuleError, match="'learned' must be true or false"):
        Pack.from_toml('[pack]\nid = "x"\nlearned = "yes"\n')


def test_a_learned_selector_never_takes_prose() -> None:
    """The prose guard of token rules holds for learned selectors: 500+ characters of prose in a
    box the template had short stays; the same selector in a hand-written pack takes it."""
    from newsclean.rules import Pack, Rules

    prose = " ".join(MORE)  # over 500 characters of sentences, no links
    assert len(prose) > 500
    html, url = page(5, STORIES[0], f'<div class="rel-box"><p>{prose}</p></div>')

    def pack(learned: bool) -> Rules:
        text = (f'[pack]\nid = "p"\ndomains = ["gazette.example"]\nlearned = {str(learned).lower()}\n'
                '[[rule]]\nid = "p.node.rel"\nkind = "selector"\npatterns = ["div.rel-box"]\n')
        return Rules.default() + Rules((Pack.from_toml(text),))

    by_hand = newsclean.clean(html, url, rules=pack(False))
    learned = newsclean.clean(html, url, rules=pack(True))
    assert "p.node.rel" in [r.rule for r in by_hand.removed] and MORE[1] not in by_hand.text
    assert "p.node.rel" not in [r.rule for r in learned.removed] and MORE[1] in learned.text


def test_public_learn_takes_bare_pages_and_loads_with_the_defaults(tmp_path: Path) -> None:
    box = '<p class="hg-tipline">Got a story about the harbour? Seen something we should know about?</p>'
    pages = [page(n, s, box, url=False)[0] for n, s in enumerate(STORIES[:3], 1)]
    learned = newsclean.learn(pages)
    assert isinstance(learned, newsclean.Rules) and learned.packs[0].learned
    assert [r.id for r in learned.packs[0].rules] == ["learned.gazette.example.1"]
    assert learned.packs[0].rules[0].why.startswith("on 3 of 3 pages: box 'Got a story")
    path = tmp_path / "pack.toml"
    path.write_text(learned.to_toml(), encoding="utf-8")
    loaded = newsclean.Rules.load(path)
    assert loaded.packs[0].id == "generic" and loaded.packs[-1].learned
    assert loaded.packs[-1].rules == learned.packs[0].rules
    new_page = page(7, STORIES[3], box, url=False)[0]
    report = newsclean.explain_html(new_page, rules=loaded)
    assert "class='rid learned'" in report and "learned.gazette.example.1" in report  # outlined
    assert "class='rid learned'" not in newsclean.explain_html(new_page)


# ------------------------------------------------------------------ batches that learn

TIPLINE = '<p class="hg-tipline">Got a story about the harbour? Seen something we should know about?</p>'


def _site_records(n: int, host: str = "gazette.example") -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for i in range(1, n + 1):
        html, _ = page(i, STORIES[i % 4] + f" Case {i} was heard today.", TIPLINE)
        records.append({"id": f"{host}-{i}", "url": f"https://www.{host}/news/{i}", "html": html})
    return records


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_learns_sites_and_keeps_one_record_per_input(workers: int, tmp_path: Path) -> None:
    from newsclean.bulk.sitewise import SiteLearning

    records = [*_site_records(7), {"id": "broken", "url": None, "error": "unreadable"},
               {"id": "nohtml", "url": "https://www.gazette.example/x"},
               {"id": "alone", "url": "https://solo.example/a", "html": page(1, STORIES[0])[0]}]
    options = newsclean.Options(timeout=None if workers == 1 else 30)
    out = list(newsclean.batch(records, workers=workers, options=options,
                               learn_sites=SiteLearning(sample=4, folder=tmp_path / "packs")))
    assert sorted(str(r["id"]) for r in out) == sorted(str(r["id"]) for r in records)
    by_id = {r["id"]: r for r in out}
    assert by_id["broken"]["error"] == "unreadable" and "error" in by_id["nohtml"]
    site = [by_id[f"gazette.example-{i}"] for i in range(1, 8)]
    assert all("learned.gazette.example.1" in [x["rule"] for x in r["removed"]] for r in site)
    assert not any("Got a story" in r["text"] for r in site)
    assert all(STORIES[i % 4] in r["text"] for i, r in enumerate(site, 1))
    assert [p.name for p in (tmp_path / "packs").iterdir()] == ["gazette.example.toml"]
    assert newsclean.Rules.load(tmp_path / "packs" / "gazette.example.toml").packs[-1].learned


def test_batch_reuses_packs_learned_before_and_falls_back_when_learning_fails(tmp_path: Path) -> None:
    from newsclean.bulk import sitewise

    folder = tmp_path / "packs"
    sitewise.write_learned(folder, "gazette.example", newsclean.learn(
        [(r["html"], r["url"]) for r in _site_records(3)]).to_toml())  # type: ignore[misc]
    learning = sitewise.SiteLearning(sample=50, folder=folder)
    out = list(sitewise.learn_sites(_site_records(2), learning, workers=1,
                                    options=newsclean.Options(timeout=None)))
    assert all("learned.gazette.example.1" in [x["rule"] for x in r["removed"]] for r in out)

    sites = sitewise._Sites(sitewise.SiteLearning(sample=2))
    tasks = list(sites.feed(_site_records(3)))  # two pages make a task, the third waits
    assert [t["id"] for t in tasks if "_pages" not in t] == []
    learn_task = next(t for t in tasks if "_pages" in t)
    failed = {"id": learn_task["id"], "url": None, "error": "worker died"}
    assert list(sites.receive(failed)) == []
    assert sorted(r["id"] for r in sites.drain()) == [f"gazette.example-{i}" for i in (1, 2, 3)]


def test_batch_command_learns_sites_and_resumes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from newsclean.cli.batch import main as batch_main

    source = tmp_path / "pages.jsonl"
    records = _site_records(6) + _site_records(3, host="other.example")
    source.write_text("".join(json.dumps(r) + "\n" for r in records) + "not json\n", encoding="utf-8")
    out, packs = tmp_path / "out.jsonl", tmp_path / "packs"
    argv = [str(source), "-o", str(out), "--learn-sites", "--learned-rules", str(packs),
            "--learn-sample", "3", "--workers", "2"]
    assert batch_main(argv) == 0
    first = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(first) == 10 and len({r["id"] for r in first}) == 10
    assert sorted(p.name for p in packs.iterdir()) == ["gazette.example.toml", "other.example.toml"]
    # an interrupted run: the output holds only the first four records
    out.unlink()
    partial = tmp_path / "out.jsonl.partial"
    partial.write_text("".join(json.dumps(r) + "\n" for r in first[:4]), encoding="utf-8")
    assert batch_main([*argv, "--resume"]) == 0
    again = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in again) == sorted(r["id"] for r in first)
    assert "4 skipped" in capsys.readouterr().err
    learned = [r for r in again if str(r["id"]).startswith("gazette")]
    assert all("learned.gazette.example.1" in [x["rule"] for x in r["removed"]] for r in learned)
    assert batch_main([str(source), "-o", str(tmp_path / "x.jsonl"), "--learned-rules", str(packs)]) == 2


# ------------------------------------------------------------------ the commands

def test_learn_command_writes_a_pack_that_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsclean.cli import main as cli

    files = []
    for n, story in enumerate(STORIES[:3], 1):
        path = tmp_path / f"p{n}.html"
        path.write_text(page(n, story, TIPLINE, url=False)[0], encoding="utf-8")
        files.append(str(path))
    out = tmp_path / "gazette.toml"
    assert cli(["learn", *files, "-o", str(out)]) == 0
    assert "1 rules for gazette.example from 3 pages" in capsys.readouterr().err
    rules = newsclean.Rules.load(out)
    assert rules.packs[-1].domains == ("gazette.example",) and rules.packs[-1].learned
    assert cli(["learn", files[0], "-o", str(out)]) == 2
    assert "at least 2 pages" in capsys.readouterr().err
    bare = tmp_path / "bare.html"
    bare.write_text("<html><body><p>No canonical link here at all.</p></body></html>", encoding="utf-8")
    assert cli(["learn", str(bare), str(bare), "-o", str(out)]) == 2
    assert "give --host" in capsys.readouterr().err
    assert cli(["learn", *files, "-o", files[0]]) == 2


def test_explain_command_writes_the_report(tmp_path: Path) -> None:
    from newsclean.cli import main as cli

    fixture = Path(__file__).parent / "fixtures" / "gbnews-serbia.html"
    out = tmp_path / "report.html"
    url = "https://www.gbnews.com/news/world/putin-serbia-ukraine-arms"
    assert cli(["explain", str(fixture), "-o", str(out), "--url", url]) == 0
    report = out.read_text(encoding="utf-8")
    article = newsclean.clean(fixture.read_bytes(), url=url)
    assert all(removal.rule in report for removal in article.removed)
    assert report.count("<del") >= len({r.rule for r in article.removed})
    assert "<script" not in report and "src=" not in report and "<link" not in report
    assert cli(["explain", str(tmp_path / "missing.html"), "-o", str(out)]) == 2
    assert cli(["explain", "https://www.gbnews.com/news/x", "-o", str(out)]) == 2


def test_rules_new_scaffolds_a_pack_a_page_and_a_passing_test(tmp_path: Path) -> None:
    import importlib.util

    from newsclean.cli import main as cli

    assert cli(["rules", "new", "www.Harbour-News.example", "-o", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    test = "test_pack_harbour_news_example.py"
    assert names == ["harbour-news.example.html", "harbour-news.example.toml", test]
    pack = newsclean.Rules.load(tmp_path / "harbour-news.example.toml", include_defaults=False).packs[0]
    assert pack.id == "harbour-news" and pack.domains == ("harbour-news.example",) and not pack.rules
    assert "# [[rule]]" in (tmp_path / "harbour-news.example.toml").read_text(encoding="utf-8")
    spec = importlib.util.spec_from_file_location("scaffolded", tmp_path / test)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.test_harbour_news_pack_keeps_the_story()
    assert cli(["rules", "new", "harbour-news.example", "-o", str(tmp_path)]) == 2  # never overwrites
    checkout = tmp_path / "checkout"
    (checkout / "newsclean").mkdir(parents=True)
    (checkout / "newsclean" / "__init__.py").write_text("")
    assert cli(["rules", "new", "gazette.example", "-o", str(checkout)]) == 0
    assert (checkout / "newsclean" / "packs" / "gazette.example.toml").is_file()
    assert (checkout / "tests" / "fixtures" / "gazette.example.html").is_file()
    assert (checkout / "tests" / "test_pack_gazette_example.py").is_file()


def test_the_report_renders_in_a_real_browser(tmp_path: Path) -> None:
    """Headless Chromium draws the report of the fixture page (docs/img/explain-gbnews.png is
    made the same way, by docs/gen_report_image.py)."""
    import importlib.util
    import struct

    spec = importlib.util.spec_from_file_location(
        "gen_report_image", Path(__file__).resolve().parents[1] / "docs" / "gen_report_image.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    if gen.chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium): the report is not rendered")
    png = tmp_path / "report.png"
    gen.screenshot(gen.report(tmp_path), png, size=(1000, 800))
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1000, 800)
    assert len(data) > 20_000  # text, colours and badges, not a blank page


def test_the_guide_shows_what_learn_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """docs/learned-rules.md's TOML is the output of its first Python example, to the letter."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "learned-rules.md").read_text(encoding="utf-8")
    example = re.findall(r"```python\n(.*?)```", guide, re.DOTALL)[0]
    shown = re.findall(r"```toml\n(.*?)```", guide, re.DOTALL)[0]
    exec(example, {})
    assert capsys.readouterr().out.strip() == shown.strip()
