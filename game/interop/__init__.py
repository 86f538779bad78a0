"""Interoperability for authors: story maps (Mermaid, Graphviz DOT), Twine's Twee 3, the JSON Schema."""
