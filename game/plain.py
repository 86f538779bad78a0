"""``crossroads play --plain``: a line mode on stdin/stdout for screen readers, braille displays and scripts.

It prints the scene's text and numbered choices and reads one line at a time: a choice number, or one of the
commands ``back [N]``, ``history``, ``help``, ``quit``. End of input ends cleanly. The game is autosaved after
every choice and on leaving, and endings reached are recorded like in the full-screen UI. Textual is never
imported here.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from game.classroom.debrief import play_debrief_markdown
from game.classroom.records import RecordKeeper
from game.engine import ChoiceError, Playthrough
from game.model import Story
from game.tui.i18n import tr, ui_lang
from game.tui.report import kind_label, plain_text, transcript_markdown
from game.tui.sources import EXIT_OK, resolve_and_report


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

    settings, _problem = load_settings()
    lang = getattr(args, "lang", None) or settings.lang or story.default_language
    if lang not in story.languages:
        print(f"crossroads: note: the story has no '{lang}' text; using '{story.default_language}'", file=sys.stderr)
        lang = story.default_language
    return PlainSession(story, lang, stdin, stdout, settings.hold_flags).run()


class PlainSession:
    """One line-mode game: reads commands, drives a :class:`Playthrough`, writes plain text."""

    def __init__(self, story: Story, lang: str, stdin: TextIO, stdout: TextIO, hold_flags: bool = False) -> None:
        self.story = story
        self.hold_flags = hold_flags
        self.lang = lang
        self.ui = ui_lang(lang)
        self.stdin = stdin
        self.stdout = stdout
        self.play = Playthrough(story, lang)
        self.keeper = RecordKeeper(story, lang, mode="solo")
        self.shown_at = time.monotonic()

    def say(self, text: str = "") -> None:
        """Write a line (or several) and flush, so pipes and screen readers see it at once."""
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def run(self) -> int:
        """The read-choose loop; returns the exit code."""
        fallback = self.story.default_language
        self.say(self.story.title.get(self.lang, fallback))
        if self.story.content_note is not None:
            note = plain_text(self.story.content_note.get(self.lang, fallback))
            self.say(tr("content_note_line", self.ui, text=note))
        self.say(tr("plain_help", self.ui))
        self.show_scene()
        while not self.play.is_ending:
            self.stdout.write(tr("plain_prompt", self.ui))
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                self.say()
                return self.leave()
            if not self.handle(line.strip()):
                return self.leave()
        return self.finish()

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
            self.say(plain_text(transcript_markdown(self.play, self.lang)))
        elif head in ("back", "b", "undo", "后退"):
            steps = int(words[1]) if len(words) > 1 and words[1].isdigit() else 1
            undone = self.play.undo(steps)
            self.keeper.undone(undone)
            self.say(tr("undone", self.ui, n=undone) if undone else tr("nothing_to_undo", self.ui))
            if undone:
                self.autosave()
                self.show_scene()
        elif head.isdigit():
            self.pick(int(head))
        else:
            self.say(tr("plain_bad", self.ui, n=len(self.play.choices())))
        return True

    def pick(self, number: int) -> None:
        """Take choice ``number`` (1-based) and show what follows."""
        options = self.play.choices()
        if not 1 <= number <= len(options):
            self.say(tr("plain_bad", self.ui, n=len(options)))
            return
        option = options[number - 1]
        if not option.enabled:
            self.say(tr("plain_locked", self.ui, n=number, reason=option.reason or tr("locked", self.ui)))
            return
        scene_id = self.play.scene.id
        try:
            self.play.choose(number - 1)
        except ChoiceError as exc:
            self.say(str(exc))
            return
        self.keeper.choice_made(scene_id, option.choice.index, time.monotonic() - self.shown_at)
        self.autosave()
        if not self.hold_flags:
            self.announce_flags(option.choice.tags)
        self.show_scene()

    def announce_flags(self, tag_ids: tuple[str, ...]) -> None:
        """Say which red flags the choice just taken walked into, with their explanation."""
        fallback = self.story.default_language
        flags = [self.story.tags[t] for t in tag_ids if t in self.story.tags]
        flags = [tag for tag in flags if tag.kind == "red-flag"]
        if flags:
            self.say()
        for tag in flags:
            explain = tag.explain.get(self.lang, fallback) if tag.explain else ""
            self.say(tr("plain_flag", self.ui, title=tag.title.get(self.lang, fallback), explain=explain).rstrip())

    def show_scene(self) -> None:
        """Print the current scene: chapter, title, text and numbered choices."""
        self.shown_at = time.monotonic()
        self.say()
        chapter = self.play.chapter(self.lang)
        if chapter:
            self.say(f"[{chapter}]")
        self.say(f"== {self.play.title(self.lang)} ==")
        self.say(plain_text(self.play.text(self.lang)))
        if self.play.is_ending:
            return
        self.say()
        options = self.play.choices(self.lang)
        for number, option in enumerate(options, 1):
            suffix = (
                "" if option.enabled else tr("locked_suffix", self.ui, reason=option.reason or tr("locked", self.ui))
            )
            self.say(f"{number}. {plain_text(option.text)}{suffix}")
        if not options:
            self.say(tr("no_choices", self.ui))

    def finish(self) -> int:
        """Print the ending and its debrief, record it, and end."""
        ending = self.play.ending
        assert ending is not None
        fallback = self.story.default_language
        self.say()
        title = ending.title.get(self.lang, fallback)
        self.say(tr("ending_line", self.ui, title=title, kind=kind_label(ending.kind, self.lang)))
        if ending.summary is not None:
            self.say(ending.summary.get(self.lang, fallback))
        self.say()
        self.say(plain_text(play_debrief_markdown(self.play, self.lang, heading_level=2, header=False)))
        self.say()
        self.say(tr("plain_the_end", self.ui))
        self.autosave()
        try:
            from game.persist.progress import record_ending

            record_ending(self.story, self.play.scene.id)
        except OSError as exc:
            print(f"crossroads: warning: could not record the ending: {exc}", file=sys.stderr)
        self.keeper.finish(self.play.scene.id)
        return EXIT_OK

    def leave(self) -> int:
        """Autosave and stop before an ending (quit or end of input)."""
        self.autosave()
        self.keeper.finish(None)
        self.say(tr("plain_saved", self.ui))
        return EXIT_OK

    def autosave(self) -> None:
        """Write the autosave slot; a failure is reported but never stops the game."""
        from game.persist.saves import autosave

        try:
            autosave(self.play, self.lang)
        except OSError as exc:
            print(f"crossroads: warning: {tr('autosave_failed', 'en', error=str(exc))}", file=sys.stderr)
