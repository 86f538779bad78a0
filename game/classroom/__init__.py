"""Classroom tools: anonymous playthrough records, class votes, the debrief, the class report and the lesson guide.

Everything in this package is pure Python (no Textual): the terminal UI and the commands call into it.
"""
