"""The classroom server: students' phones vote live in facilitator mode, or each play the story alone.

One asyncio web server (aiohttp) in the teacher's process: no process per phone, no accounts, nothing from
outside the machine. Pure Python below the front ends: no Textual or Rich is imported here; the facilitator
screen and the class dashboard (in :mod:`game.tui`) drive it and draw what it reports.
"""
