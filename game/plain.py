"""``crossroads play --plain``: a line mode on stdin/stdout for screen readers, braille displays and scripts.

It prints the scene's text and numbered choices and reads one line at a time: a choice number, or one of the
commands ``back [N]``, ``history``, ``help``, ``quit``. End of input ends cleanly. ``--continue`` resumes the
autosave. Everything a play session does (autosave, record, endings, undo) is done by
:class:`~game.session.GameSession`; this module only reads lines and writes text. Textual is never imported.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TextIO

from game.classroom.debrief import play_debrief_markdown
from game.exitcodes import EXIT_OK
from game.i18n import tr, ui_lang
from game.model import Story
from game.playtext import event_message, flag_lines, kind_label, plain_text, transcript_markdown
from game.prose import text_width, wrap
from game.session import FLAGS, Event, GameSession, install_exit_signals
from game.sources import resolve_and_report
from game.textsafe import terminal_safe

_MARKER = re.compile(r"^(?:\d+\. |⚑ |• |- |  +)")  # a list number, a flag, a bullet or an indent to hang under


def run_plain(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Play the story of ``args.path`` (or the default bundled story) in line mode; return the exit code."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    resolved = resolve_and_report(getattr(args, "path", None))
    if resolved.exit_code is not None:
        return resolved.exit_code
    story = resolved.playable[0].story
    assert story is not None
    from game.persist.settings import load_settings

    settings, problem = load_settings()
    if problem:
        print(f"crossroads: warning: {problem}", file=sys.stderr)
    lang = getattr(args, "lang", None) or settings.lang or story.default_language
    if lang not in story.languages:
        print(f"crossroads: note: the story has no '{lang}' text; using '{story.default_language}'", file=sys.stderr)
        lang = story.default_language
    front = PlainFrontEnd(story, lang, stdin, stdout, settings.hold_flags)
    return front.run(resume=bool(getattr(args, "resume", False)))


class PlainFrontEnd:
    """One line-mode game over a :class:`GameSession`: reads commands, writes plain text."""

    def __init__(self, story: Story, lang: str, stdin: TextIO, stdout: TextIO, hold_flags: bool = False) -> None:
        self.hold_flags = hold_flags
        self.ui = ui_lang(lang)
        self.stdin = stdin
        self.stdout = stdout
        self.session = GameSession(story, lang, "solo", on_event=self.show_event)
        self.width = _width_of(stdout)

    @property
    def lang(self) -> str:
        """The story language in use."""
        return self.session.lang

    def plain(self, markdown: str) -> str:
        """Story Markdown as plain text, reflowed to the terminal's width (:mod:`game.prose`)."""
        return plain_text(markdown, self.width, self.lang)

    def say(self, text: str = "") -> None:
        """Write a line (or several) and flush, so pipes and screen readers see it at once.

        Every line fits the width: a longer one (a red flag's explanation, a numbered choice, a help line) is
        wrapped by the prose line breaker, its continuation indented under its first word.
        """
        lines = [fitted for line in terminal_safe(text).split("\n") for fitted in self._fit(line)]
        self.stdout.write("\n".join(lines) + "\n")  # terminal_safe: a backstop, story text is cleaned at load
        self.stdout.flush()

    def _fit(self, line: str) -> list[str]:
        if text_width(line) <= self.width:
            return [line]
        marker = _MARKER.match(line)
        prefix = marker.group(0) if marker else ""
        hang = " " * text_width(prefix)
        body = wrap(line[len(prefix) :], max(10, self.width - len(hang)), self.lang)
        return [(prefix if n == 0 else hang) + part for n, part in enumerate(body)]

    def warn(self, message: str) -> None:
        """A problem the player must know about, on standard error."""
        print(f"crossroads: warning: {message}", file=sys.stderr, flush=True)

    def show_event(self, event: Event) -> None:
        """Tell the player what the session reports (red flags as they are walked into; write failures)."""
        if event.kind != FLAGS:
            self.warn(event_message(event, self.ui))
            return
        if self.hold_flags:
            return
        self.say()
        for title, explain in flag_lines(self.session.story, event, self.lang):
            self.say(tr("plain_flag", self.ui, title=title, explain=explain).rstrip())

    def run(self, resume: bool = False) -> int:
        """The read-choose loop; returns the exit code. SIGTERM/SIGHUP end it like ``quit``."""
        session = self.session
        install_exit_signals(_exit_on_signal)
        try:
            self.intro()
            if not (resume and session.resume()):
                self.say_what_is_kept()
                session.autosave()
            if not session.play.is_ending:
                self.show_scene()
            while not session.play.is_ending:
                self.stdout.write(tr("plain_prompt", self.ui))
                self.stdout.flush()
                line = self.stdin.readline()
                if not line:
                    self.say()
                    break
                if not self.handle(line.strip()):
                    break
            if session.play.is_ending:
                self.show_ending()
            else:
                self.say(tr("plain_saved", self.ui))
        finally:
            for problem in session.close():
                self.warn(tr("exit_problem", self.ui, error=problem))
        return EXIT_OK

    def intro(self) -> None:
        """The story's title and content note, and how to play."""
        story = self.session.story
        fallback = story.default_language
        self.say(story.title.get(self.lang, fallback))
        if story.content_note is not None:
            note = story.content_note.get(self.lang, fallback)
            self.say(self.plain(tr("content_note_line", self.ui, text=note)))
        self.say(tr("plain_help", self.ui))

    def say_what_is_kept(self) -> None:
        """Before a new game takes the autosave: the earlier game stays loadable, and how to resume instead."""
        from game.persist.saves import slot_info

        earlier = slot_info(self.session.story.id, self.session.slot)
        if earlier is not None and earlier.steps:
            self.say(tr("plain_kept", self.ui, n=earlier.steps))

    def handle(self, command: str) -> bool:
        """Act on one input line; False when the player asked to quit."""
        words = command.lower().split()
        if not words:
            return True
        head = words[0]
        if head in ("quit", "q", "exit", "退出"):
            return False
        if head in ("help", "?", "帮助"):
            self.say(tr("plain_help", self.ui))
        elif head in ("history", "h", "经历"):
            self.say(self.plain(transcript_markdown(self.session.play, self.lang)))
        elif head in ("back", "b", "undo", "后退"):
            steps = int(words[1]) if len(words) > 1 and words[1].isdigit() else 1
            undone = self.session.undo(steps)
            self.say(tr("undone", self.ui, n=undone) if undone else tr("nothing_to_undo", self.ui))
            if undone:
                self.show_scene()
        elif head.isdigit():
            self.pick(int(head))
        else:
            self.say(tr("plain_bad", self.ui, n=len(self.session.play.choices())))
        return True

    def pick(self, number: int) -> None:
        """Take choice ``number`` (1-based, as listed) and show what follows."""
        options = self.session.play.choices()
        if not 1 <= number <= len(options):
            self.say(tr("plain_bad", self.ui, n=len(options)))
            return
        option = options[number - 1]
        if not option.enabled:
            self.say(tr("plain_locked", self.ui, n=number, reason=option.reason or tr("locked", self.ui)))
            return
        if self.session.choose(option.choice.index) and not self.session.play.is_ending:
            self.show_scene()

    def show_scene(self) -> None:
        """Print the current scene: chapter, title, text and numbered choices."""
        play = self.session.play
        self.say()
        chapter = play.chapter(self.lang)
        if chapter:
            self.say(f"[{chapter}]")
        self.say(f"== {play.title(self.lang)} ==")
        self.say(self.plain(play.text(self.lang)))
        if play.is_ending:
            return
        question = play.ask(self.lang)
        if question:
            self.say()
            self.say(self.plain(question))
        self.say()
        options = play.choices(self.lang)
        for number, option in enumerate(options, 1):
            suffix = (
                "" if option.enabled else tr("locked_suffix", self.ui, reason=option.reason or tr("locked", self.ui))
            )
            self.say(f"{number}. {self.plain(option.text)}{suffix}")
        if not options:
            self.say(tr("no_choices", self.ui))

    def show_ending(self) -> None:
        """The ending scene and its debrief (its record was written, or reported, before this)."""
        play = self.session.play
        ending = play.ending
        assert ending is not None
        fallback = play.story.default_language
        self.show_scene()
        self.say()
        title = ending.title.get(self.lang, fallback)
        self.say(tr("ending_line", self.ui, title=title, kind=kind_label(ending.kind, self.lang)))
        if ending.summary is not None:
            self.say(ending.summary.get(self.lang, fallback))
        self.say()
        self.say(self.plain(play_debrief_markdown(play, self.lang, heading_level=2, header=False)))
        self.say()
        self.say(tr("plain_the_end", self.ui))


def _width_of(stdout: TextIO) -> int:
    """The terminal's width when writing to one, else 80 (pipes, files, screen-reader captures)."""
    import shutil

    try:
        if stdout.isatty():
            return shutil.get_terminal_size((80, 24)).columns
    except (AttributeError, ValueError, OSError):
        pass
    return 80


def _exit_on_signal() -> None:
    raise SystemExit(EXIT_OK)
