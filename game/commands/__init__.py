"""Sub-commands of the ``crossroads`` command line, one module each, registered in :mod:`game.cli`."""
