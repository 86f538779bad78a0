"""Widgets of the Crossroads terminal UI, one per module."""
