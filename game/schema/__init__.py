"""The JSON Schema of story format v1, shipped in the package for editors (``crossroads schema`` prints it).

Bundled stories point at it with a first line ``# yaml-language-server: $schema=../../game/schema/story-v1.schema.json``
so that editors with the YAML language server validate and complete them. The schema covers the shape of a
story (keys, types, enums, id patterns, choices-or-ending); cross-references (targets, expressions, tags
used, translations) are for ``crossroads check``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

SCHEMA_FILE = "story-v1.schema.json"


def schema_path() -> Path:
    """The schema file's path on disk (inside the installed package)."""
    return Path(str(resources.files(__name__).joinpath(SCHEMA_FILE)))


def schema_text() -> str:
    """The schema as JSON text."""
    return resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The schema as a dict."""
    return json.loads(schema_text())
