"""The method section of ``docs/benchmarks.md`` (kept here so the page can be regenerated)."""

METHOD = """\
## The corpora

The corpora behind the tables above (`trafilatura`, `readability`, `goose`, and `wcxb-dev` when a run
names it) are not in the repository: their pages are copies of third-party web pages, which other
extractors and benchmarks ship as test data. Each is converted to one format, and any folder in that
format works with `python -m benchmarks run`, your own pages included:

```
<corpus>/pages/<id>.html.gz   the page's original bytes, gzip-compressed, not decoded
<corpus>/truth.jsonl          one JSON object per line, sorted by id
```

| key | meaning |
| --- | --- |
| `id` | filesystem-safe and unique; the page is `pages/<id>.html.gz` |
| `url` | the page's URL, or null |
| `body` | the whole article as plain text, paragraphs separated by a blank line; null if unknown |
| `with` / `without` | snippets that must / must not appear in the article text (`[]` if none) |
| `title`, `authors`, `date`, `lang`, `site_name` | metadata (`date` as `YYYY-MM-DD`), null or `[]` |
| `synthetic` | optional: true for hand-written unit cases, left out of the headline numbers |

How each was made, from the upstream repository at the commit named:

- `trafilatura`: [adbar/trafilatura](https://github.com/adbar/trafilatura) at `e90b0ef5`, Apache-2.0:
  the 990 entries of `tests/evaldata.json`, each page from `tests/cache/` or `tests/eval/`; `with` and
  `without` are its snippets, `title`, `authors` (split on `;`), `date` and `site_name` its annotations;
  `body` is null.
- `readability`: [mozilla/readability](https://github.com/mozilla/readability) at `ab4027a8`,
  Apache-2.0: the 130 folders of `test/test-pages/`; the page is `source.html`, `body` is
  `expected.html` (Readability.js's own output) as plain text, one paragraph per block element;
  title, byline, date and site name from `expected-metadata.json`; 37 hand-written cases are
  `synthetic`.
- `goose`: [goose3/goose3](https://github.com/goose3/goose3) at `c5a8902e`, Apache-2.0: the 46 pages of
  `tests/data/content/` (five near-duplicates left out); upstream only checks that the output starts
  with its expected text, so that text is a `with` snippet, and a `body` only where it is the whole
  article (5 pages).
- `wcxb-dev`: the dev split of [WCXB](https://github.com/Murrough-Foley/web-content-extraction-benchmark)
  at `c039d5ee`, CC-BY-4.0 (Murrough Foley): 1,497 pages crawled in 2025–26, `body` its
  `main_content`, `with` / `without` its snippets, plus a `page_type`.

`python -m benchmarks run` with no corpus scores `benchmarks/sample/` instead: 11 pages in this format
that ship with the repository, enough to see the harness work, too few and too clean to compare
extractors. The tests that need the corpora (`tests/test_golden.py`, `tests/test_quality_gate.py`
and a few WARC round trips) and `python -m benchmarks floors` look for a folder holding them in
`$NEWSCLEAN_CORPORA`, else in `shared/corpora` beside the clone (`../shared/corpora`), and skip
without it.

## Method

**Corpora.** Folders in the format above (see [The corpora](#the-corpora)).
`trafilatura`: 990 pages with `with`/`without` snippets; `readability`: Readability.js's own output as
`body` (it keeps some captions and credits, so a cleaner extractor loses a little precision *and* recall
there: read those rows with that in mind); only its 93 real pages (`synthetic: false`) count;
`goose`: mostly a lead prefix of each article as a `with` snippet (5 pages have a full body).

**Body (shingle) metric**, as in article-extraction benchmarks: tokens are `\\w+` runs (case kept); per
document the multisets of 4-token shingles of prediction and truth give TP/FP/FN, normalised to sum to 1.
Precision = mean over documents with TP+FP > 0 (an empty output adds no precision term), recall = mean
over documents with TP+FN > 0, F1 from the two means; accuracy = share of documents whose token
sequence equals the truth. ± is a bootstrap standard error (200 resamples of documents, fixed seed).

**Snippet metric**: a `with` snippet found in the output is a TP, a missing one a FN, a `without`
snippet found is a FP, compared after collapsing whitespace, NFC and dropping soft hyphens; counts are
summed over the corpus, then P, R, F1. On `goose`, with no `without` snippets, precision is always 1
and F1 follows recall.

**Metadata**, on the pages whose truth has it: title = normalised exact match (NFKC, case-folded,
quotes/dashes unified, whitespace collapsed); authors = F1 of the normalised name sets, averaged over
pages; date = same calendar day. An extractor that gives no metadata shows `–`.

**Boilerplate leakage**: the share of pages whose output has a line (at most 160 characters) that
matches a boilerplate pattern and does not occur in the truth (the `body`, or the `with` snippets
where there is no body). The patterns (`benchmarks/metrics.py`, `BOILERPLATE_PATTERNS`) cover credits
(`Photo: …`, `…/Getty Images`, `REUTERS/…`, `©`, `Bild: dpa`), widget headings as whole lines (Most
Read, Related, Read more, Don't miss, Advertisement, Trending, Sign up, Newsletter; German, French,
Spanish, Portuguese, Italian and Dutch equivalents) and share text (Share this, Share on Facebook,
Teilen, Partager…). A line-free output (one long line) can hide leaks, so read it with the precision.

**Speed**: wall time of the extractor call alone (`perf_counter`), page already in memory, including
any decoding the extractor needs. Each worker process is pinned to one core (`os.sched_setaffinity`)
and calls the extractors one after the other on each page, starting with a different one on each
page, so machine drift (other jobs, thermal) hits all alike. docs/s = pages / summed call time of
that extractor; median and p95 are per page. With `--jobs 2` (the default on 2+ cores) the pages are
dealt round-robin to two such workers, one per core: each timing is still one core, sequential, and
the same pass also produces the outputs that are scored, so the full run takes about half the wall
time; `--jobs 1` gives the strict single-process pass. Before the pass each extractor is called
once, untimed, on two small warm-up pages that pay lazy imports and one-time set-up: one carries
a date that reaches dateparser, whose locale tables take ~2 s to build on first use, and one is
too short for trafilatura's own extraction, so its justext fallback loads its stoplists (~0.1 s);
otherwise each would land on one random page. Numbers are comparable within a run, not
across machines or runs. Untimed: trafilatura's metadata call (its `extract()` returns no metadata).
When trafilatura is in the run, "× trafilatura docs/s" is each extractor's docs/s over
trafilatura's in that same run; "fallback" is the share of pages newsclean's own extractor
doubted and handed to trafilatura (`Article.diagnostics.extractor`).

**Memory**: each extractor runs alone in a fresh process over a fixed sample of pages per corpus (the
largest ones and an even spread, `--rss-pages`); peak RSS = that process's high-water mark
(`VmHWM` in `/proc/self/status`; `ru_maxrss` would include the parent's memory, which Linux carries
through fork and exec), including the Python interpreter and the harness (about 20 MB).

**Failures**: a soft per-call limit (SIGALRM, `--time-limit`, default 20 s) and a watchdog that kills
and restarts a worker stuck past twice that; an exception, a timeout or a crash counts as empty
output for that page and in the `fail` column. A peer that is not installed or fails to import is
listed as skipped.

**Quality gate**: `tests/test_quality_gate.py` runs newsclean on every page of `readability` (real
pages) and `goose` and on every 3rd page (by id) of `trafilatura`, and fails if the F1 falls below
`benchmarks/floors.json`. `python -m benchmarks floors --write` re-measures and pins the floors
(measured − 0.01).
"""
