"""Story analysis for authors: the exhaustive state-space explorer and reproducible random playtests.

Both drive :func:`game.engine.advance` and :func:`game.engine.is_offered`, so what they report is exactly
what a player would meet.
"""
