"""Crossroads: branching stories that teach.

The package is layered so that imports run one way:

* ``game.model``, ``game.expr``, ``game.diagnostics`` — plain data and the safe expression language;
* ``game.loader`` — YAML story files to the model, with precise diagnostics;
* ``game.engine`` — a pure, deterministic playthrough state machine;
* ``game.persist``, ``game.analysis``, ``game.interop``, ``game.classroom`` — tools built on the engine;
* ``game.tui`` and ``game.cli`` — the Textual app and the command line, on top of everything else.

Nothing below ``game.tui`` imports Textual.
"""

__version__ = "0.1.0"
FORMAT_VERSION = 1
