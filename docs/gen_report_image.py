"""Render the cleaning report of tests/fixtures/gbnews-serbia.html in headless Chromium, to
docs/img/explain-gbnews.png (the picture on the "Learned rules" page).

    python docs/gen_report_image.py     # needs Debian's chromium (apt-get install chromium)

tests/test_learn.py renders the same report the same way when Chromium is installed (and
skips, saying so, when it is not), so the picture is known to come out of a real browser.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tests" / "fixtures" / "gbnews-serbia.html"
URL = "https://www.gbnews.com/news/world/putin-serbia-ukraine-arms"
IMAGE = ROOT / "docs" / "img" / "explain-gbnews.png"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars")


def chromium() -> str | None:
    """The Chromium (or Chrome) binary on PATH, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(html: Path, png: Path, size: tuple[int, int] = (1200, 1600)) -> None:
    """Take a screenshot of the local file ``html`` into ``png`` with headless Chromium."""
    binary = chromium()
    if binary is None:
        raise RuntimeError("Chromium is not installed: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={png}",
                        f"--window-size={size[0]},{size[1]}", html.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": profile})
    if not png.is_file() or png.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no screenshot to {png}")


def report(folder: Path) -> Path:
    """The report of the fixture page, written to ``folder``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import newsclean

    path = folder / "explain-gbnews.html"
    path.write_text(newsclean.explain_html(PAGE.read_bytes(), URL), encoding="utf-8")
    return path


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        screenshot(report(Path(folder)), IMAGE)
    print(f"wrote {IMAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
