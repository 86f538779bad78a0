"""Localizing Textual key bindings: the Footer and help show binding descriptions in the UI language."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from game.i18n import tr


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


def show_bindings(node: DOMNode, shown: dict[str, bool]) -> None:
    """Show or hide the bindings of ``node`` whose action is a key of ``shown`` in the Footer.

    Screens hide their less-used keys on narrow terminals so that the Footer fits (they stay in the help).
    Does nothing when nothing changes: refreshing bindings rebuilds the Footer.
    """
    bindings = node._bindings.key_to_bindings
    changed = False
    for key, entries in bindings.items():
        new = [replace(b, show=shown[b.action]) if shown.get(b.action, b.show) != b.show else b for b in entries]
        if new != entries:
            bindings[key] = new
            changed = True
    if changed:
        node.refresh_bindings()
