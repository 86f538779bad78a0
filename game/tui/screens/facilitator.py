"""FacilitatorScreen: projector mode for a class (``crossroads play --facilitator``).

At each decision point it shows the scene in a large layout, the discussion prompts and a vote panel. The
teacher enters the class's count for each option (type the number, or +/−), sees the histogram, and
continues on the majority with Enter, or follows the selected option with F (a tie-break, or an override
to take a minority option towards an exit). Only then are the options' red flags revealed. An optional
pair-discussion timer counts down in big digits. At the ending the debrief is shown and can be exported.

This screen only draws: the vote is :class:`~game.classroom.class_vote.ClassVote` and the play session (votes,
autosave in the facilitator's own slot, the anonymous record of mode ``facilitator``) is
:class:`~game.session.GameSession`. Its strings are the ``fac_*`` entries of :mod:`game.tui.i18n`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.classroom.class_vote import ClassVote, Phase
from game.classroom.debrief import build_debrief, debrief_markdown
from game.classroom.votes import VoteTally
from game.engine import Playthrough
from game.model import Story
from game.playtext import event_message
from game.session import FLAGS, Event, GameSession
from game.threads import UiThread
from game.tui.i18n import tr, ui_lang
from game.tui.localize import localize_bindings
from game.tui.widgets.markdown_text import MarkdownText
from game.tui.widgets.timer import STEP_SECONDS, PairTimer
from game.tui.widgets.vote_panel import VotePanel

NARROW = 80
KEY_LABELS = {
    "proceed": "fac_key_continue",
    "follow_selected": "fac_key_follow",
    "timer": "fac_key_timer",
    "back": "fac_key_back",
    "export": "fac_key_export",
    "new_session": "fac_key_new",
    "report": "fac_key_report",
    "leave": "fac_key_leave",
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
        Binding("e", "export", "Export debrief"),
        Binding("n", "new_session", "New session"),
        Binding("r", "report", "Report"),
        Binding("escape", "leave", "Leave"),
    ]

    def __init__(self, story: Story | None = None, lang: str | None = None) -> None:
        super().__init__()
        self._story = story
        self._lang = lang
        self.session: GameSession | None = None
        self.vote: ClassVote | None = None
        self.ui_thread = UiThread()

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
        with VerticalScroll(id="fac-scroll"):
            with Vertical(id="fac-column"):
                yield Static(id="fac-header", markup=False)
                yield Static(id="fac-title", markup=False)
                yield MarkdownText(id="fac-text")
                yield Static(id="fac-ask", markup=False)
                with Horizontal(id="fac-vote-row"):
                    with Vertical(id="fac-vote-column"):
                        yield MarkdownText(id="fac-discuss")
                        yield VotePanel(id="fac-votes")
                        yield Static(id="fac-status", markup=False)
                    yield PairTimer(id="fac-timer")
                yield MarkdownText(id="fac-debrief")
                yield Static(id="fac-hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.ui_thread.bind()
        localize_bindings(self, KEY_LABELS, self.ui)
        self.start_session()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def start_session(self) -> None:
        """Begin a new class playthrough from the story's start (a new anonymous record; the one before, if
        unfinished, is recorded as abandoned)."""
        if self.session is None:
            self.session = GameSession(self.story, self.lang, "facilitator", on_event=self._session_event)
        self.session.new_game(self.story)
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
        timer = self.query_one(PairTimer)
        timer.set_label(tr("fac_timer", self.ui))
        self.refresh_bindings()
        scroll = self.query_one("#fac-scroll", VerticalScroll)
        if play.is_ending:
            scroll.focus()
            self.query_one("#fac-ask").display = False
            self.query_one("#fac-vote-row").display = False
            data = build_debrief(play, lang)
            self.query_one("#fac-debrief", MarkdownText).set_markdown(debrief_markdown(data, story, heading_level=2))
            self.query_one("#fac-debrief").display = True
            self.query_one("#fac-hint", Static).update(tr("fac_hint_end", self.ui))
            self.query_one("#fac-title", Static).update(
                f"{tr('fac_ending', self.ui)}: {data.ending_title or play.title(lang)}"
            )
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
        if tally.is_tie:
            sep = "、" if self.ui == "zh" else ", "
            return tr("fac_tie", self.ui, options=sep.join(labels[i] for i in tally.leaders()))
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
        """Leave facilitator mode (an unfinished session is recorded as abandoned)."""
        self.close_session()
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()

    def on_unmount(self, event: events.Unmount) -> None:
        self.close_session()

    def close_session(self) -> list[str]:
        """End the class's play session (abandoned record if unfinished, last autosave)."""
        if self.session is None:
            return []
        problems = self.session.close()
        self.session = None
        return problems
