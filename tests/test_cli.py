"""`newsclean SOURCE...` end to end: files, stdin, URLs from a local server, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from _newsserver import State, news_server

import newsclean
from newsclean.cli import main

FIXTURE = str(Path(__file__).parent / "fixtures" / "fetch-article.html")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, State]]:
    with news_server() as running:
        yield running


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_file_prints_the_article_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([FIXTURE]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("The old harbour bridge reopened")
    assert "Most Read" not in out and "Sign up" not in out and err == ""


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(Path(FIXTURE).read_bytes())))
    assert main(["--format", "markdown", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Harbour bridge reopens after repairs") and "rivets" in out


def test_json_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--format", "json", FIXTURE]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Harbour bridge reopens after repairs" and data["source"] == FIXTURE
    assert "removed" not in data
    assert main(["--format", "json", "--explain", FIXTURE]) == 0
    removed = json.loads(capsys.readouterr().out)["removed"]
    assert any("Most Read" in r["text"] for r in removed) and all(r["rule"] for r in removed)


def test_explain_goes_to_stderr_for_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--explain", FIXTURE]) == 0
    out, err = capsys.readouterr()
    assert "Most Read" not in out
    assert "Most Read" in err and "removed from" in err


def test_html_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--format", "html", FIXTURE]) == 0
    out = capsys.readouterr().out
    assert "<p>" in out and "rivets" in out and "<nav" not in out


def test_urls_become_json_lines(server: tuple[str, State], capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    assert main(["--format", "json", "-q", f"{base}/page/a", f"{base}/cp1252", FIXTURE]) == 0
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["source"] for r in records) == sorted([f"{base}/page/a", f"{base}/cp1252", FIXTURE])
    assert err == ""


def test_failures_give_exit_1_and_one_line_each(
    server: tuple[str, State], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base, _ = server
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body></body></html>")
    sources = [FIXTURE, str(tmp_path / "nope.html"), f"{base}/missing", f"{base}/pdf", str(empty)]
    assert main(sources) == 1
    out, err = capsys.readouterr()
    assert out.count("==> ") == 1 and "rivets" in out
    lines = err.splitlines()
    assert len(lines) == 4
    assert f"{tmp_path / 'nope.html'}: no such file" in lines
    assert f"{base}/missing: the server answered 404 Not Found" in lines
    assert any(line.startswith(f"{base}/pdf: not an HTML page") for line in lines)
    assert any(line.startswith(f"{empty}: ") for line in lines)
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--format", "pdf", FIXTURE],
        ["--concurrency", "0", FIXTURE],
        ["--timeout", "x", FIXTURE],
        ["--bogus", FIXTURE],
        ["-", "-"],
    ],
)
def test_usage_errors_give_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


def test_bad_rules_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text("this is = = not toml")
    assert main(["--rules", str(rules), FIXTURE]) == 2
    err = capsys.readouterr().err
    assert "mine.toml" in err and "Traceback" not in err


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"newsclean {newsclean.__version__}"
    assert main(["--help"]) == 0
    assert "--no-robots" in capsys.readouterr().out


def test_input_file_output_file_user_agent_and_robots(
    server: tuple[str, State], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, state = server
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# a comment\n{base}/page/in1\n\n{base}/private/page\n")
    output = tmp_path / "out.jsonl"
    argv = ["-i", str(urls), "-o", str(output), "--format", "json", "--user-agent", "TestBot/9.9"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert (
        err.strip() == f"{base}/private/page: robots.txt disallows this URL ({base}/private/page); "
        "pass respect_robots=False (--no-robots) to fetch anyway"
    )
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    assert [line["source"] for line in lines] == [f"{base}/page/in1", f"{base}/private/page"]
    assert "robots.txt disallows" in lines[1]["error"] and "title" in lines[0]  # failures in the output too
    assert "TestBot/9.9" in state.agents
    assert main(["-i", str(urls), "-o", str(output), "--no-robots", "--timeout", "5"]) == 0
    assert output.read_text().count("==> ") == 2


def test_progress_only_on_a_terminal_and_never_with_quiet(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main([FIXTURE, FIXTURE]) == 0
    assert capsys.readouterr().err == ""  # stderr is not a terminal here
    terminal = TTY()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([FIXTURE, FIXTURE]) == 0
    assert "2/2" in terminal.getvalue()
    quiet = TTY()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert main(["-q", FIXTURE, FIXTURE]) == 0 and quiet.getvalue() == ""
    single = TTY()
    monkeypatch.setattr(sys, "stderr", single)
    assert main([FIXTURE]) == 0 and single.getvalue() == ""


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "newsclean", *args],
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_python_dash_m_newsclean_end_to_end(server: tuple[str, State]) -> None:
    base, _ = server
    done = _run("--format", "json", f"{base}/page/sub1", f"{base}/chain/2")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar: stderr is a pipe
    assert [json.loads(line)["title"] for line in done.stdout.splitlines()] == [
        "Harbour bridge reopens after repairs"
    ] * 2
    failed = _run(f"{base}/missing", "-", stdin=Path(FIXTURE).read_bytes())
    assert (
        failed.returncode == 1
        and failed.stderr.strip() == f"{base}/missing: the server answered 404 Not Found"
    )
    assert "rivets" in failed.stdout
    assert _run("--format").returncode == 2


def test_batch_is_dispatched_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def batch_main(argv: list[str]) -> int:
        seen.append(argv)
        return 7

    monkeypatch.setitem(sys.modules, "newsclean.cli.batch", types.SimpleNamespace(main=batch_main))
    assert main(["batch", "pages.jsonl", "--workers", "2"]) == 7
    assert seen == [["pages.jsonl", "--workers", "2"]]


def test_plain_commands_do_not_import_batch() -> None:
    code = (
        "import sys; from newsclean.cli import main; main(['--version']); "
        "print('newsclean.cli.batch' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    assert done.stdout.splitlines()[-1] == "False"
