"""Twine interop, the public face: Twee 3 export and import, split by job into the ``twee_*`` modules.

- :mod:`game.interop.twee_parse`: the Twee 3 container (passages, headers, StoryData), linear time, limits.
- :mod:`game.interop.twee_formats`: Harlowe, SugarCube and Chapbook links, macros, modifiers and inserts.
- :mod:`game.interop.twee_expr`: conditions and assignments between the formats and Crossroads.
- :mod:`game.interop.twee_import`: passages → scenes, variables, messages, and the sanity check.
- :mod:`game.interop.twee_export`: a story → Twee 3 for one story format.
"""

from __future__ import annotations

from game.interop.twee_export import FORMATS, TweeExport, export_twee
from game.interop.twee_formats import parse_link
from game.interop.twee_import import TweeImport, import_file, import_twee, to_yaml
from game.interop.twee_parse import MAX_TWEE_BYTES, TweeError, escape_name, parse_twee

__all__ = [
    "FORMATS",
    "MAX_TWEE_BYTES",
    "TweeError",
    "TweeExport",
    "TweeImport",
    "escape_name",
    "export_twee",
    "import_file",
    "import_twee",
    "parse_link",
    "parse_twee",
    "to_yaml",
]
