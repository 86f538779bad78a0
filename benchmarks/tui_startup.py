"""Cold start and peak memory of Crossroads vs a minimal Textual app (Header, Static, Footer).

Each run is a fresh ``python`` process started the same way (``App.run(headless=True)``), with the spawn time
passed in. Time is measured from spawn to the moment a frame is handed to the display:
- baseline: the minimal app's first frame;
- crossroads (title): the first frame of the title screen (the first interactive screen);
- crossroads (scene): Enter is sent as soon as the title is drawn (no pilot sleeps), then the first frame of
  the first story scene with its choices.
Peak memory is the child's ``ru_maxrss`` at that moment. Both apps run from bytecode (``game`` is
byte-compiled first), as they do after an ordinary install.

Run by hand: ``python benchmarks/tui_startup.py [runs]``. Prints a table of medians; never part of the tests.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMON = """
import json, resource, sys, time
SPAWN = float(sys.argv[1])
marks = {}
def mark(name):
    marks[name] = time.time() - SPAWN
    marks[name + "_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def spy(app, on_frame):
    original = app._display
    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None:
            on_frame(screen)
    app._display = display
"""

BASELINE = (
    COMMON
    + """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Footer()

app = Minimal()
def frame(screen):
    if "first" not in marks:
        mark("first")
        app.call_later(app.exit)
spy(app, frame)
app.run(headless=True, size=(80, 24))
print(json.dumps(marks))
"""
)

CROSSROADS = (
    COMMON
    + """
from game.tui.app import CrossroadsApp
from game.sources import resolve_stories

app = CrossroadsApp(resolve_stories(sys.argv[2]).entries, lang="en")
def frame(screen):
    name = type(screen).__name__
    if name == "TitleScreen" and "title" not in marks:
        mark("title")
        app.call_later(app.new_game)
    elif name == "PlayScreen" and "scene" not in marks and screen.query("#choices"):
        mark("scene")
        app.call_later(app.exit)
spy(app, frame)
app.run(headless=True, size=(80, 24))
print(json.dumps(marks))
"""
)


def run_once(code: str, home: str) -> dict[str, float]:
    """The marks (seconds since spawn, and peak RSS in KiB) of one fresh process."""
    env = {**os.environ, "CROSSROADS_HOME": home}
    # Both apps load from bytecode, as after any `pip install` (pip byte-compiles); a PYTHONDONTWRITEBYTECODE
    # set in the shell would otherwise make only our (editable) package recompile from source on every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, "-c", code, repr(time.time()), str(ROOT / "story" / "tutorial")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    """Alternate baseline and Crossroads runs, then print medians and ratios."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    rows: dict[str, list[tuple[float, float]]] = {"baseline": [], "crossroads (title)": [], "crossroads (scene)": []}
    compileall.compile_dir(str(ROOT / "game"), quiet=1)
    with tempfile.TemporaryDirectory() as home:
        run_once(BASELINE, home)  # warm the OS file cache and .pyc files for both
        run_once(CROSSROADS, home)
        for _ in range(runs):
            base = run_once(BASELINE, home)
            rows["baseline"].append((base["first"], base["first_rss"]))
            ours = run_once(CROSSROADS, home)
            rows["crossroads (title)"].append((ours["title"], ours["title_rss"]))
            rows["crossroads (scene)"].append((ours["scene"], ours["scene_rss"]))
    base_t = statistics.median(t for t, _ in rows["baseline"])
    base_m = statistics.median(m for _, m in rows["baseline"])
    print(f"runs: {runs} each, python {sys.version.split()[0]}, headless 80x24")
    print(f"{'app':<20} {'start (ms)':>11} {'ratio':>7} {'peak RSS (MiB)':>15} {'ratio':>7}")
    for name, values in rows.items():
        t = statistics.median(v for v, _ in values)
        m = statistics.median(v for _, v in values)
        print(f"{name:<20} {t * 1000:>11.0f} {t / base_t:>7.2f} {m / 1024:>15.1f} {m / base_m:>7.2f}")
    print("targets: start <= 1.30x, memory <= 1.30x the minimal app")


if __name__ == "__main__":
    main()
