"""FacilitatorScreen: projector mode for a class (``crossroads play --facilitator``).

At each decision point it shows the scene in a large layout, the discussion prompts and a vote panel. The
teacher enters the class's count for each option (type the number, or +/−), sees the histogram, and
continues on the majority with Enter, or follows the selected option with F (a tie-break, or an override
to take a minority option towards an exit). Only then are the options' red flags revealed. An optional
pair-discussion timer counts down in big digits. At the ending the debrief is shown and can be exported.

With a lesson (``--lesson ID``; see :class:`game.model.Lesson`) the class starts at the lesson's start point
(its choices replayed silently, never recorded), the recap is shown above the first scene, every decision says
whether it is one of the lesson's class decisions, and a lesson clock shows the minutes played against the
play budget and the class decisions left. The scene's ``ask:`` question stands above the vote.

This screen only draws: the vote is :class:`~game.classroom.class_vote.ClassVote` and the play session (votes,
autosave in the facilitator's own slot, the anonymous record of mode ``facilitator``) is
:class:`~game.session.GameSession`. Its strings are the ``fac_*`` entries of :mod:`game.i18n`.
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.classroom.class_vote import ClassVote, Phase
from game.classroom.debrief import build_debrief, class_votes_markdown, debrief_markdown
from game.classroom.votes import MAX_COUNT, VoteTally
from game.engine import Playthrough
from game.i18n import tr, ui_lang
from game.model import Lesson, Story
from game.playtext import event_message
from game.session import FLAGS, Event, GameSession
from game.threads import UiThread
from game.tui.localize import localize_bindings
from game.tui.widgets.markdown_text import MarkdownText
from game.tui.widgets.timer import STEP_SECONDS, PairTimer
from game.tui.widgets.vote_panel import VotePanel
from game.web.live_bridge import LiveBridge
from game.web.server import ClassServer

NARROW = 80
SHORT = 28
LEAVE_WINDOW = 4.0  # seconds within which a second Esc leaves
KEY_LABELS = {
    "proceed": "fac_key_continue",
    "follow_selected": "fac_key_follow",
    "timer": "fac_key_timer",
    "back": "fac_key_back",
    "export": "fac_key_export",
    "new_session": "fac_key_new",
    "report": "fac_key_report",
    "leave": "fac_key_leave",
    "rewind_class": "fac_key_rewind",
}


class FacilitatorScreen(Screen):
    """The projector screen; see the module docstring. ``story``/``lang`` default to the app's."""

    CSS_PATH = "facilitator.tcss"
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "select(-1)", "Option ↑", show=False),
        Binding("down,j", "select(1)", "Option ↓", show=False),
        *[Binding(str(n), f"digit({n})", str(n), show=False) for n in range(10)],
        Binding("backspace", "erase", "Erase", show=False),
        Binding("plus,equals_sign,right", "bump(1)", "+1"),
        Binding("minus,underscore,left", "bump(-1)", "−1"),
        Binding("enter,space", "proceed", "Continue"),
        Binding("f", "follow_selected", "Follow selected"),
        Binding("c", "clear", "Clear", show=False),
        Binding("t", "timer", "Timer"),
        Binding("left_square_bracket", "timer_adjust(-1)", "Timer −", show=False),
        Binding("right_square_bracket", "timer_adjust(1)", "Timer +", show=False),
        Binding("b", "back", "Back"),
        Binding("m", "rewind_class", "Last class decision"),
        Binding("w", "join_code", "Join code", show=False),
        Binding("h", "contrast", "High contrast", show=False),
        Binding("e", "export", "Export debrief"),
        Binding("n", "new_session", "New session"),
        Binding("r", "report", "Report"),
        Binding("escape", "leave", "Leave"),
        Binding("pageup", "scroll_text(-1)", "Text ↑", show=False),
        Binding("pagedown", "scroll_text(1)", "Text ↓", show=False),
        Binding("home", "scroll_text(-1000)", "Text start", show=False),
        Binding("end", "scroll_text(1000)", "Text end", show=False),
    ]

    def __init__(
        self, story: Story | None = None, lang: str | None = None, lesson_id: str | None = None, resume: bool = False
    ) -> None:
        super().__init__()
        self.resume_first = resume  # --continue: resume the class session autosaved in facilitator mode's slot
        self._story = story
        self._lang = lang
        self.lesson_id = lesson_id
        self.lesson_began = 0.0
        self.leave_asked = -LEAVE_WINDOW - 1.0  # when Esc last asked "leave?" (monotonic seconds)
        self.session: GameSession | None = None
        self.vote: ClassVote | None = None
        self.ui_thread = UiThread()
        self.live_bridge: LiveBridge | None = None

    VOTE_ACTIONS = frozenset({"select", "digit", "erase", "bump", "follow_selected", "clear", "timer", "timer_adjust"})
    END_ACTIONS = frozenset({"export", "new_session"})

    # -- state (owned by the session and the class vote) -------------------------------------------------------

    @property
    def play(self) -> Playthrough | None:
        """The class's playthrough."""
        return self.session.play if self.session is not None else None

    @property
    def phase(self) -> Phase:
        """Voting, revealing or at the ending."""
        return self.vote.phase if self.vote is not None else Phase.VOTE

    @property
    def tally(self) -> VoteTally | None:
        """The counts of the current vote."""
        return self.vote.tally if self.vote is not None else None

    @property
    def followed(self) -> tuple[int, str] | None:
        """The choice followed and how it was decided, during the reveal."""
        return self.vote.followed if self.vote is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that make sense now: vote keys while voting, export/new at the ending."""
        if action in self.VOTE_ACTIONS:
            return self.phase is Phase.VOTE
        if action in self.END_ACTIONS:
            return self.phase is Phase.ENDING
        if action == "proceed":
            return self.phase is not Phase.ENDING
        return True

    # -- set-up ------------------------------------------------------------------------------------------

    @property
    def story(self) -> Story:
        """The story being played."""
        if self._story is None:
            self._story = self.app.story  # type: ignore[attr-defined]
        return self._story

    @property
    def lang(self) -> str:
        """The story language in use (the app's current language when the story has it)."""
        wanted = self._lang or getattr(self.app, "lang", None)
        story = self.story
        return wanted if wanted in story.languages else story.default_language

    @property
    def ui(self) -> str:
        """The language of this screen's own words."""
        return ui_lang(self.lang)

    def compose(self) -> ComposeResult:
        # The scene scrolls; the question, the prompts, the vote panel and the timer stay below it, on screen
        # together at every decision (a projector cannot ask the class to scroll).
        with VerticalScroll(id="fac-scroll"):
            with Vertical(id="fac-column"):
                yield Static(id="fac-header", markup=False)
                yield Static(id="fac-lesson", markup=False)
                yield Static(id="fac-title", markup=False)
                yield MarkdownText(id="fac-recap")
                yield MarkdownText(id="fac-text")
                yield MarkdownText(id="fac-debrief")
        with Vertical(id="fac-dock"):
            if self.class_server is not None:
                yield Static(id="fac-live", markup=False)
            yield Static(id="fac-ask", markup=False)
            with Horizontal(id="fac-vote-row"):
                with Vertical(id="fac-vote-column"):
                    yield MarkdownText(id="fac-discuss")
                    yield VotePanel(id="fac-votes")
                    yield Static(id="fac-status", markup=False)
                yield PairTimer(id="fac-timer")
            yield Static(id="fac-hint", markup=False)
        yield Footer()

    async def on_mount(self) -> None:
        self.ui_thread.bind()
        localize_bindings(self, KEY_LABELS, self.ui)
        if self.class_server is not None:
            await self._start_live(self.class_server)
        self.start_session()
        if self.lesson is not None:
            self.set_interval(1.0, self._show_lesson_clock)

    # -- live votes from phones (``--live``; see game.web) ----------------------------------------------------

    @property
    def class_server(self) -> ClassServer | None:
        """The classroom server for phones, when the app was started with ``--live``."""
        return getattr(self.app, "class_server", None)

    async def _start_live(self, server: ClassServer) -> None:
        """Serve the phone page on this app's event loop and show how to join."""
        from game.web.live import LiveVote

        if server.live is None:
            server.live = LiveVote()
        try:
            await server.start()
        except OSError as exc:
            self.notify(tr("server_failed", self.ui, reason=exc.strerror or str(exc)), severity="error", markup=False)
            return
        self.live_bridge = LiveBridge(server.live, lambda: self.vote, self._phones_voted)
        server.live.subscribe(lambda _live: self._show_live_line())
        self.action_join_code()

    def _phones_voted(self) -> None:
        if self.vote is not None and self.vote.tally is not None and self.phase is not Phase.ENDING:
            self._redraw_votes()

    def _live_sync(self) -> None:
        if self.live_bridge is not None:
            self.live_bridge.sync()
            self._show_live_line()

    def _show_live_line(self) -> None:
        server = self.class_server
        lines = self.query("#fac-live")
        if server is None or server.live is None or not lines:
            return
        line = tr(
            "fac_live_line",
            self.ui,
            url=server.join_url.rstrip("/"),
            code=server.room.code,
            joined=server.room.device_count,
            voted=len(server.live.votes),
        )
        lines.first(Static).update(line)

    def action_join_code(self) -> None:
        """Show the QR code, the address and the room code for phones."""
        server = self.class_server
        if server is not None and self.live_bridge is not None:
            from game.tui.screens.join_overlay import JoinOverlay

            self.app.push_screen(JoinOverlay(server.join_url, server.room.code, self.ui))

    @property
    def lesson(self) -> Lesson | None:
        """The lesson being taught, if one was asked for (and the story has it)."""
        return self.story.lesson(self.lesson_id) if self.lesson_id else None

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.set_class(event.size.height < SHORT, "-short")  # the footer shows the keys; the hint gives way

    def start_session(self) -> None:
        """Begin a new class playthrough from the story's start or the lesson's start point (a new anonymous
        record; the one before, if unfinished, is recorded as abandoned); the first time, with ``resume``, the
        class session autosaved in facilitator mode's slot continues instead (its lesson with it)."""
        if self.session is None:
            self.session = GameSession(self.story, self.lang, "facilitator", on_event=self._session_event)
        if self.resume_first:
            self.resume_first = False
            if self.session.resume():
                if self.session.play.lesson_id:
                    self.lesson_id = self.session.play.lesson_id
                self.lesson_began = time.monotonic()
                self.vote = ClassVote(self.session)
                self.show_scene()
                return
        lesson = self.lesson
        if self.lesson_id and lesson is None:
            self.notify(tr("fac_no_lesson", self.ui, lesson=self.lesson_id), severity="error", markup=False)
        self.session.new_game(self.story, lesson=lesson.id if lesson is not None else None)
        self.lesson_began = time.monotonic()
        self.vote = ClassVote(self.session)
        self.show_scene()

    def _session_event(self, event: Event) -> None:
        if event.kind == FLAGS:
            return  # revealed on the vote panel, not as toasts
        self.ui_thread.run(self._notify_problem, event_message(event, self.ui))

    def _notify_problem(self, message: str) -> None:
        self.notify(message, severity="error", markup=False)

    def apply_language(self) -> None:
        """Redraw in the app's current language (called by the app on a language switch)."""
        self._lang = getattr(self.app, "lang", None) or self._lang
        localize_bindings(self, KEY_LABELS, self.ui)
        if self.session is not None:
            self.session.set_language(self.lang)
        self.show_scene()

    # -- drawing -------------------------------------------------------------------------------------------

    def _labels(self) -> dict[int, str]:
        assert self.play is not None
        return {o.choice.index: o.text for o in self.play.choices(self.lang) if o.enabled}

    def show_scene(self) -> None:
        """Draw the current scene with its vote (or the debrief at an ending)."""
        play = self.play
        if play is None:
            return
        story = self.story
        lang = self.lang
        fb = story.default_language
        chapter = play.chapter(lang)
        header = (
            story.title.get(lang, fb) + (f" · {chapter}" if chapter else "") + f" · {tr('fac_facilitator', self.ui)}"
        )
        self.query_one("#fac-header", Static).update(header)
        self.query_one("#fac-title", Static).update(play.title(lang))
        self.query_one("#fac-text", MarkdownText).set_markdown(play.text(lang))
        self._show_lesson_clock()
        recap = self.query_one("#fac-recap", MarkdownText)
        lesson = self.lesson
        at_start = not play.played
        if lesson is not None and lesson.start is not None and lesson.start.recap is not None and at_start:
            recap.set_markdown(lesson.start.recap.get(lang, fb))
            recap.border_title = tr("fac_recap", self.ui)
            recap.display = True
        else:
            recap.display = False
        timer = self.query_one(PairTimer)
        timer.set_label(tr("fac_timer", self.ui))
        self.refresh_bindings()
        scroll = self.query_one("#fac-scroll", VerticalScroll)
        if play.is_ending:
            scroll.focus()
            self.query_one("#fac-ask").display = False
            self.query_one("#fac-vote-row").display = False
            data = build_debrief(play, lang)
            # the class debrief: the route as the class voted it, then the debrief of that route
            votes = class_votes_markdown(play, self.session.votes if self.session is not None else {}, lang)
            debrief = debrief_markdown(data, story, heading_level=2)
            self.query_one("#fac-debrief", MarkdownText).set_markdown(f"{votes}\n{debrief}" if votes else debrief)
            self.query_one("#fac-debrief").display = True
            self.query_one("#fac-hint", Static).update(tr("fac_hint_end", self.ui))
            self.query_one("#fac-title", Static).update(
                f"{tr('fac_ending', self.ui)}: {data.ending_title or play.title(lang)}"
            )
            self._live_sync()
            return
        self.set_focus(None)
        question = play.ask(lang)
        self.query_one("#fac-ask", Static).update(question or "")
        self.query_one("#fac-ask").display = bool(question)
        self.query_one("#fac-vote-row").display = True
        self.query_one("#fac-debrief").display = False
        prompts = [q.get(lang, fb) for q in play.scene.discuss]
        discuss = self.query_one("#fac-discuss", MarkdownText)
        discuss.set_markdown("\n".join(f"- {p}" for p in prompts))
        discuss.border_title = tr("fac_discuss", self.ui)
        discuss.display = bool(prompts)
        self._redraw_votes()

    def _show_lesson_clock(self) -> None:
        """The lesson line: minutes played of the play budget, this decision's kind, class decisions left."""
        line = self.query_one("#fac-lesson", Static)
        lesson = self.lesson
        play = self.play
        if lesson is None or play is None:
            line.display = False
            return
        line.display = True
        minutes = int((time.monotonic() - self.lesson_began) // 60)
        parts = [tr("fac_lesson_clock", self.ui, minutes=minutes, budget=lesson.play_budget)]
        visited = {step.scene for step in play.played}
        left = [s for s in lesson.class_scenes if s not in visited and s != play.scene.id]
        if not play.is_ending:
            if play.scene.id in lesson.class_scenes:
                number = lesson.class_scenes.index(play.scene.id) + 1
                parts.append(tr("fac_class_decision", self.ui, n=number, total=len(lesson.class_scenes)))
            elif len([o for o in play.choices(self.lang) if o.enabled]) >= 2:
                parts.append(tr("fac_quick_decision", self.ui))
        parts.append(tr("fac_class_left", self.ui, n=len(left)))
        line.update(" · ".join(parts))

    def _redraw_votes(self) -> None:
        vote = self.vote
        assert vote is not None and vote.tally is not None
        tally = vote.tally
        panel = self.query_one(VotePanel)
        panel.selected = vote.selected
        panel.border_title = tr("fac_vote", self.ui, n=tally.total)
        labels = self._labels()
        if vote.phase is Phase.REVEAL and vote.followed is not None:
            flags, exits = self._tags_by_option()
            panel.show(tally, labels, vote.followed[0], flags, exits)
        else:
            panel.show(tally, labels)
        self.query_one("#fac-status", Static).update(self._status(labels))
        single = len(tally.options) == 1
        key = "fac_hint_reveal" if vote.phase is Phase.REVEAL else ("fac_hint_single" if single else "fac_hint_vote")
        self.query_one("#fac-hint", Static).update(tr(key, self.ui))
        self._live_sync()

    def _status(self, labels: dict[int, str]) -> str:
        vote = self.vote
        assert vote is not None and vote.tally is not None
        tally = vote.tally
        if vote.phase is Phase.REVEAL and vote.followed is not None:
            index, decision = vote.followed
            how = tr(f"fac_decision_{decision}", self.ui)
            return tr("fac_followed", self.ui, option=labels.get(index, ""), decision=how)
        if len(tally.options) <= 1:
            return ""
        if tally.majority is not None:
            return tr("fac_majority", self.ui, option=labels[tally.majority])
        if tally.is_tie:  # named by the numbers on the panel: option texts may contain commas
            numbers = [str(tally.options.index(i) + 1) for i in tally.leaders()]
            joined = "、".join(numbers) if self.ui == "zh" else ", ".join(numbers[:-1]) + " and " + numbers[-1]
            return tr("fac_tie", self.ui, options=joined)
        return tr("fac_no_votes", self.ui)

    def _tags_by_option(self) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
        assert self.play is not None
        story = self.story
        fb = story.default_language
        flags: dict[int, list[str]] = {}
        exits: dict[int, list[str]] = {}
        for choice in self.play.scene.choices:
            for tag_id in choice.tags:
                tag = story.tags.get(tag_id)
                if tag is None:
                    continue
                target = flags if tag.kind == "red-flag" else exits if tag.kind == "safe-exit" else None
                if target is not None:
                    target.setdefault(choice.index, []).append(tag.title.get(self.lang, fb))
        return flags, exits

    def _bring_votes_into_view(self) -> None:
        """On a small screen, scroll so the vote panel the teacher is typing into is visible."""
        self.call_after_refresh(self.query_one(VotePanel).scroll_visible, animate=False)

    # -- the vote (see ClassVote) --------------------------------------------------------------------------------

    def action_select(self, delta: int) -> None:
        """Move the selection to another option."""
        if self.vote is not None:
            self.vote.select(delta)
            self.query_one(VotePanel).selected = self.vote.selected

    def action_digit(self, digit: int) -> None:
        """Type a digit of the selected option's count (the first digit after selecting replaces it)."""
        if self.vote is not None and self.vote.voting:
            self.vote.digit(digit)
            self._redraw_votes()
            self._bring_votes_into_view()
            self._say_if_capped()

    def _say_if_capped(self) -> None:
        """Counts stop at MAX_COUNT: say so rather than cap them silently."""
        vote = self.vote
        if vote is not None and vote.tally is not None and vote.tally.counts[vote.selected_option] >= MAX_COUNT:
            self.notify(tr("fac_count_cap", self.ui, n=MAX_COUNT), severity="warning", markup=False)

    def action_erase(self) -> None:
        """Delete the last digit of the selected count."""
        if self.vote is not None and self.vote.voting:
            self.vote.erase()
            self._redraw_votes()

    def action_bump(self, delta: int) -> None:
        """Add or remove one vote for the selected option."""
        if self.vote is not None and self.vote.voting:
            self.vote.bump(delta)
            self._redraw_votes()
            self._bring_votes_into_view()
            if delta > 0:
                self._say_if_capped()

    def action_clear(self) -> None:
        """Set every count back to zero."""
        if self.vote is not None and self.vote.voting:
            self.vote.clear()
            self._redraw_votes()

    def action_proceed(self) -> None:
        """Enter: follow the majority (vote), go on (after the reveal), or nothing at an ending."""
        vote = self.vote
        if vote is None:
            return
        before = len(self.play.history) if self.play is not None else 0
        if not vote.proceed():
            if vote.phase is Phase.VOTE:
                self.app.bell()
            return
        self.query_one(PairTimer).reset()
        if self.play is not None and len(self.play.history) != before:
            self.show_scene()
            self.query_one("#fac-scroll", VerticalScroll).scroll_home(animate=False)
        else:
            self.refresh_bindings()
            self._redraw_votes()
            self._bring_votes_into_view()

    def action_follow_selected(self) -> None:
        """F: follow the selected option, whatever the vote says (tie-break or override)."""
        if self.vote is not None and self.vote.voting:
            self.vote.follow_selected()
            self.query_one(PairTimer).reset()
            self.refresh_bindings()
            self._redraw_votes()
            self._bring_votes_into_view()

    # -- other keys -----------------------------------------------------------------------------------------

    def action_scroll_text(self, pages: int) -> None:
        """Scroll the scene text (PgUp/PgDn, Home/End) without taking the arrows from the vote."""
        scroll = self.query_one("#fac-scroll", VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + pages * max(1, scroll.size.height - 2), animate=False)

    def action_timer(self) -> None:
        """Start or pause the pair-discussion countdown."""
        if self.phase is not Phase.ENDING:
            self.query_one(PairTimer).toggle()

    def action_timer_adjust(self, direction: int) -> None:
        """Lengthen or shorten the countdown by 15 seconds."""
        self.query_one(PairTimer).adjust(direction * STEP_SECONDS)

    def action_back(self) -> None:
        """Go back: from the reveal to the vote (its vote forgotten), else one decision."""
        if self.vote is None:
            return
        if not self.vote.back():
            self.notify(tr("fac_nothing_back", self.ui))
            return
        self.query_one(PairTimer).reset()
        self.show_scene()

    def action_contrast(self) -> None:
        """H: switch the projector's high-contrast look (white on black, bold, yellow marks) on or off."""
        self.toggle_class("-contrast")

    def action_rewind_class(self) -> None:
        """M: go back to the last class decision the class passed (or the last decision, without a lesson), to
        follow the minority there; never into a lesson's replayed start."""
        play = self.play
        if self.vote is None or self.session is None or play is None:
            return
        lesson = self.lesson
        history = play.history
        wanted = set(lesson.class_scenes) if lesson is not None else None
        for position in range(len(history) - 1, play.start_index - 1, -1):
            step = history[position]
            if wanted is None or step.scene in wanted:
                self.session.undo(len(history) - position)
                self.vote.start()
                self.query_one(PairTimer).reset()
                self.show_scene()
                return
        self.notify(tr("fac_nothing_back", self.ui))

    def action_export(self) -> None:
        """Offer the debrief as Markdown (a download in the browser, a file in a terminal)."""
        from game.tui.debrief_export import export_debrief

        if self.phase is Phase.ENDING and self.play is not None:
            export_debrief(self.app, self.play, self.lang)

    def action_new_session(self) -> None:
        """Start again from the beginning with a new record."""
        if self.phase is Phase.ENDING:
            self.start_session()

    def action_report(self) -> None:
        """Show the class report of the records kept on this machine."""
        from game.classroom.local_report import local_report_markdown
        from game.tui.screens.markdown_view import MarkdownScreen

        text = local_report_markdown(self.lang)
        self.app.push_screen(MarkdownScreen(text or tr("fac_report_empty", self.ui)))

    def action_leave(self) -> None:
        """Leave facilitator mode (an unfinished session is recorded as abandoned); in the middle of a class
        session the first Esc only asks, and a second one within a few seconds leaves."""
        now = time.monotonic()
        if self.phase is not Phase.ENDING and now - self.leave_asked > LEAVE_WINDOW:
            self.leave_asked = now
            self.notify(tr("fac_leave_confirm", self.ui), severity="warning", markup=False)
            return
        self.close_session()
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()

    async def on_unmount(self, event: events.Unmount) -> None:
        self.close_session()
        if self.live_bridge is not None:
            self.live_bridge.close()
            self.live_bridge = None
            if self.class_server is not None:
                await self.class_server.stop()

    def close_session(self) -> list[str]:
        """End the class's play session (abandoned record if unfinished, last autosave)."""
        if self.session is None:
            return []
        problems = self.session.close()
        self.session = None
        return problems
