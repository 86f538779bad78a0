"""Localizing Textual key bindings: the Footer and help show binding descriptions in the UI language."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from game.tui.i18n import tr


def localize_bindings(node: DOMNode, labels: dict[str, str], lang: str) -> None:
    """Rename the bindings of ``node`` whose action is a key of ``labels`` (action -> i18n key).

    Does nothing when ``node`` is already in ``lang``: refreshing bindings rebuilds the Footer.
    """
    if getattr(node, "_crossroads_bindings_lang", None) == lang:
        return
    node._crossroads_bindings_lang = lang  # type: ignore[attr-defined]
    bindings = node._bindings.key_to_bindings
    for key, entries in bindings.items():
        bindings[key] = [
            replace(b, description=tr(labels[b.action], lang)) if b.action in labels else b for b in entries
        ]
    node.refresh_bindings()
