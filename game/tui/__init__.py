"""The Textual terminal UI. This package's ``__init__`` and :mod:`game.i18n` import no Textual."""
