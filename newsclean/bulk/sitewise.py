"""Learn each host's furniture during a batch, in one pass: ``batch(..., learn_sites=True)``.

The first ``sample`` pages of each host are held back (not cleaned yet). When a host has
them, one task cleans them with the rules in force, learns the host's pack from them
(:func:`newsclean.sites.learning.learn`) and gives back their records, cleaned with the
learned pack too: the learning's own check cleanings are reused as the output, so a held
page costs about 2.1 plain cleanings in all (on wcxb-dev), and later pages of the host one
cleaning with the pack. At the end of the input every host still holding pages learns from what it has
(with ``min_pages`` or more) and gives them back. Held pages are bounded (``max_held``):
past it, the host seen least recently learns at once from what it holds.

Every input record gives one output record, failures included: a learning task that fails
(a crash, a time-out) gives its pages back cleaned one by one without learned rules. The
output comes per host, in input order within a host, not in input order overall. With a
``folder``, each learned pack is written there as ``<host>.toml`` as soon as it is learned,
and packs already there are used instead of learning again (so a resumed run goes on with
the rules the first run learned).

>>> from newsclean.options import Options
>>> def page(n: int) -> dict[str, object]:
...     html = (f"<html><body><article><h1>Story {n}</h1><p>Report number {n} was filed on day {n} "
...             f"by a clerk who asked that the {n}th be kept quiet.</p><p>Officials said case {n} "
...             f"would be decided within {n + 2} weeks, after the {n}th hearing.</p>"
...             "<div class='hg-tipline'><b>Tip us off</b> Seen something? Email tips@gazette.example</div>"
...             "</article></body></html>")
...     return {"id": f"id{n}", "url": f"https://gazette.example/news/{n}", "html": html}
>>> out = list(learn_sites([page(n) for n in range(1, 6)], SiteLearning(sample=3), workers=1,
...                        options=Options(timeout=None)))
>>> sorted(r["id"] for r in out)
['id1', 'id2', 'id3', 'id4', 'id5']
>>> any("Tip us off" in r["text"] for r in out)
False
>>> sorted({x["rule"] for r in out for x in r["removed"] if x["rule"].startswith("learned.")})
['learned.gazette.example.1']
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsclean.article import Article
from newsclean.bulk.pool import DEFAULT_CHUNK_SIZE, article_of, batch, clean_record, result_record
from newsclean.bulk.records import Record
from newsclean.options import Options
from newsclean.page.decode import decode_html
from newsclean.page.sniff import sniff_binary
from newsclean.page.strings import scrub_optional
from newsclean.rules import Pack, Rules
from newsclean.sites.learning import LearnedRules, learn, page_host

__all__ = ["SiteLearning", "learn_sites", "load_learned", "write_learned"]

_TASK = "newsclean-learn:"  # ids of learning tasks (a uuid follows: no record's id)


@dataclass(frozen=True)
class SiteLearning:
    """How a batch learns each host's furniture (``batch(..., learn_sites=SiteLearning(...))``).

    ``sample``: pages of a host held back and learned from; ``min_pages``: the fewest pages a
    host needs, at the end of the input, to learn from them; ``max_held``: pages held in all
    (memory: each holds its HTML); ``folder``: where each learned pack is written as
    ``<host>.toml``, and where packs learned before are read from (None: nowhere).

    >>> SiteLearning().sample, SiteLearning(folder="packs").folder
    (20, 'packs')
    """

    sample: int = 20
    min_pages: int = 3
    max_held: int = 1000
    folder: str | os.PathLike[str] | None = None

    def __post_init__(self) -> None:
        if self.sample < 2 or self.min_pages < 2 or self.max_held < self.sample:
            raise ValueError("SiteLearning needs sample >= 2, min_pages >= 2 and max_held >= sample")


def load_learned(folder: str | os.PathLike[str]) -> dict[str, Pack]:
    """The learned packs in ``folder`` (``*.toml`` marked ``learned = true``), by host.

    Raises :class:`~newsclean.RuleError` for a file that is not a valid pack.
    """
    packs: dict[str, Pack] = {}
    root = Path(folder)
    if not root.is_dir():
        return packs
    for path in sorted(root.glob("*.toml")):
        pack = Rules.load(path, include_defaults=False).packs[0]
        if pack.learned and len(pack.domains) == 1:
            packs[pack.domains[0]] = pack
    return packs


def write_learned(folder: str | os.PathLike[str], host: str, toml: str) -> Path:
    """Write a learned pack's TOML (:meth:`LearnedRules.to_toml`) to ``folder/<host>.toml``,
    whole or not at all; its path."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{host}.toml"
    partial = path.with_name(path.name + ".partial")
    partial.write_text(toml, encoding="utf-8")
    os.replace(partial, path)
    return path


@dataclass(frozen=True)
class _SiteTask:
    """The picklable function the pool maps: a record (cleaned with its host's learned pack,
    ``_pack``, when it has one) or a learning task (``_pages`` of one host, ``_host``)."""

    rules: Rules | None
    options: Options | None
    min_pages: int

    def __call__(self, task: Record) -> Record:
        if "_pages" in task:
            return self._learn(task)
        pack = task.get("_pack")
        record = {k: v for k, v in task.items() if k != "_pack"}
        if not isinstance(pack, Pack):
            return clean_record(record, rules=self.rules, options=self.options)
        rules = (self.rules or Rules.default()) + Rules((pack,))
        return clean_record(record, rules=rules, options=self.options)

    def _learn(self, task: Record) -> Record:
        records: list[Record] = task["_pages"]
        host: str = task["_host"]
        base = self.rules or Rules.default()
        outcomes = [article_of(r, rules=base, options=self.options) for r in records]
        good = [i for i, o in enumerate(outcomes) if isinstance(o, Article)]
        learned: LearnedRules | None = None
        if len(good) >= self.min_pages:
            pages = [(_html(records[i]), _url(records[i])) for i in good]
            done = [o for o in outcomes if isinstance(o, Article)]
            learned = learn(pages, host, rules=base, options=self.options, articles=done)
            if learned.pack.rules:
                combined = base + learned
                for j, i in enumerate(good):
                    again = learned.cleaned[j]
                    outcomes[i] = again if again is not None else article_of(
                        records[i], rules=combined, options=self.options)
        results = [o if isinstance(o, dict) else result_record(records[i], o) for i, o in enumerate(outcomes)]
        return {"id": task["id"], "url": None, "_results": results,
                "_learned": learned.to_toml() if learned is not None and learned.pack.rules else None}


def _html(record: Record) -> str | bytes:
    html: str | bytes = record["html"]
    if isinstance(html, bytes) and record.get("charset") and sniff_binary(html) is None:
        return decode_html(html, declared=str(record["charset"]))
    return html


def _url(record: Record) -> str | None:
    url = scrub_optional(record.get("url"))
    return url if isinstance(url, str) else None


class _Sites:
    """The per-host state of a run: pages held, learning tasks in flight, packs learned."""

    def __init__(self, learning: SiteLearning) -> None:
        self.learning = learning
        self.packs: dict[str, Pack | None] = {}  # host -> its learned pack (None: nothing learned)
        if learning.folder is not None:
            self.packs.update(load_learned(learning.folder))
        self.held: dict[str, list[Record]] = {}  # host -> pages held, hosts least recently seen first
        self.waiting: dict[str, list[Record]] = {}  # host -> pages that came while it learns
        self.tasks: dict[str, tuple[str, list[Record]]] = {}  # task id -> (host, its pages)
        self.ready: deque[Record] = deque()  # tasks to hand to the pool before the next input
        self.count = 0  # pages held or waiting (their HTML is in memory here)

    def feed(self, records: Iterable[Record]) -> Iterator[Record]:
        """Tasks for the pool: the input routed by host; at its end, every host learns."""
        for record in records:
            yield from self.drain()
            task = self.route(record)
            if task is not None:
                yield task
            while self.count > self.learning.max_held and self.held:
                yield self.learn_task(next(iter(self.held)))
        for host in list(self.held):
            yield self.learn_task(host)
        yield from self.drain()

    def drain(self) -> Iterator[Record]:
        while self.ready:
            yield self.ready.popleft()

    def route(self, record: Record) -> Record | None:
        html = record.get("html")
        if not isinstance(html, str | bytes):
            return record  # a reader's failure, or no html: the pool makes it a failure record
        host = page_host(html, _url(record))
        if not host:
            return record
        if host in self.packs:
            pack = self.packs[host]
            return record if pack is None else {**record, "_pack": pack}
        if host in self.waiting:
            self.waiting[host].append(record)
            self.count += 1
            return None
        held = self.held.pop(host, [])  # re-inserted last: the most recently seen host
        held.append(record)
        self.held[host] = held
        self.count += 1
        return self.learn_task(host) if len(held) >= self.learning.sample else None

    def learn_task(self, host: str) -> Record:
        pages = self.held.pop(host)
        self.count -= len(pages)
        self.waiting[host] = []
        task_id = f"{_TASK}{uuid.uuid4()}"
        self.tasks[task_id] = (host, pages)
        return {"id": task_id, "url": None, "html": "", "_host": host, "_pages": pages}

    def receive(self, result: Record) -> Iterator[Record]:
        """The output records a pool result stands for."""
        task = self.tasks.pop(str(result.get("id")), None) if result.get("url") is None else None
        if task is None:
            yield result
            return
        host, pages = task
        waiting = self.waiting.pop(host, [])
        self.count -= len(waiting)
        results = result.get("_results")
        if not isinstance(results, list):  # the task failed (time-out, crash): clean them plainly
            self.packs[host] = None
            self.ready.extend(pages + waiting)
            return
        toml = result.get("_learned")
        pack = Pack.from_toml(toml, source=f"learned:{host}") if isinstance(toml, str) else None
        self.packs[host] = pack
        if isinstance(toml, str) and self.learning.folder is not None:
            write_learned(self.learning.folder, host, toml)
        self.ready.extend(waiting if pack is None else [{**r, "_pack": pack} for r in waiting])
        yield from results


def learn_sites(
    records: Iterable[Record],
    learning: SiteLearning | None = None,
    *,
    rules: Rules | None = None,
    options: Options | None = None,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[Record]:
    """Clean ``records`` on a process pool, learning each host's furniture on the way (see the
    module's docstring); one output record per input record, per host in input order.

    A learning task cleans up to ``sample`` pages, so the pool's kill time-out (the backstop
    for a page the cleaner cannot stop itself) is ``sample`` times ``options.timeout``.
    """
    learning = learning or SiteLearning()
    options = options or Options()
    func = _SiteTask(rules, options, learning.min_pages)
    backstop = options if options.timeout is None else dataclasses.replace(
        options, timeout=options.timeout * learning.sample)
    sites = _Sites(learning)
    tasks: Iterator[Record] = sites.feed(records)
    while True:
        for result in batch(tasks, options=backstop, workers=workers, ordered=False, chunk_size=chunk_size,
                            func=func):
            yield from sites.receive(result)
        if not sites.ready:
            return
        tasks = sites.drain()
