"""FacilitatorScreen: projector mode for a class (``crossroads play --facilitator``).

At each decision point it shows the scene in a large layout, the discussion prompts and a vote panel. The
teacher enters the class's count for each option (type the number, or +/−), sees the histogram, and
continues on the majority with Enter, or follows the selected option with F (a tie-break, or an override
to take a minority option towards an exit). Only then are the options' red flags revealed. An optional
pair-discussion timer counts down in big digits. At the ending the debrief is shown and can be exported as
Markdown; the session's votes and path are recorded anonymously (mode ``facilitator``).

Also here: :class:`MarkdownScreen` and :func:`show_markdown`, a scrollable Markdown viewer used for the
class report (``crossroads report --tui`` and the R key).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any, ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from game.classroom.debrief import build_debrief, debrief_markdown, default_export_path, export_markdown
from game.classroom.records import RecordKeeper
from game.classroom.votes import VoteTally
from game.engine import ChoiceError, Playthrough
from game.model import Story, interpolate
from game.tui.widgets.markdown_text import MarkdownText
from game.tui.widgets.timer import STEP_SECONDS, PairTimer
from game.tui.widgets.vote_panel import VotePanel

NARROW = 80
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "discuss": "Discuss in pairs",
        "vote": "Class vote · {n} vote(s)",
        "timer": "Pair talk",
        "hint_vote": "↑↓ option · type the count or +/− · Enter: follow the majority · F: follow the selected option",
        "hint_reveal": "Red flags revealed. Enter: continue",
        "hint_single": "Only one way on. Enter: continue",
        "hint_end": "E: export the debrief · N: new session · R: class report · Esc: leave",
        "majority": "Majority: {option}",
        "tie": "Tie between {options}: select one and press F",
        "no_votes": "No votes yet: type the counts, or select an option and press F",
        "followed": "The class follows: {option} ({decision})",
        "decision_majority": "majority",
        "decision_tie-break": "tie broken by the teacher",
        "decision_override": "teacher's override",
        "decision_no-votes": "no vote",
        "exported": "Debrief saved to {path}",
        "export_failed": "Could not save the debrief: {error}",
        "nothing_back": "Nothing to go back to",
        "report_empty": "No records on this machine yet.",
        "facilitator": "Facilitator",
        "ending": "Ending",
        "key_continue": "Continue",
        "key_follow": "Follow selected",
        "key_timer": "Timer",
        "key_back": "Back",
        "key_export": "Export debrief",
        "key_new": "New session",
        "key_report": "Report",
        "key_leave": "Leave",
    },
    "zh": {
        "discuss": "两人讨论",
        "vote": "全班投票 · {n} 票",
        "timer": "讨论计时",
        "hint_vote": "↑↓ 选择选项 · 输入票数或按 +/− · 回车：按多数继续 · F：采纳所选选项",
        "hint_reveal": "危险信号已揭晓。回车：继续",
        "hint_single": "只有一条路。回车：继续",
        "hint_end": "E：导出复盘 · N：新一轮 · R：班级报告 · Esc：退出",
        "majority": "多数：{option}",
        "tie": "{options} 票数相同：请选择一项并按 F",
        "no_votes": "还没有投票：请输入票数，或选择一项并按 F",
        "followed": "全班采纳：{option}（{decision}）",
        "decision_majority": "多数决定",
        "decision_tie-break": "平票，由老师决定",
        "decision_override": "老师改选",
        "decision_no-votes": "未投票",
        "exported": "复盘已保存到 {path}",
        "export_failed": "无法保存复盘：{error}",
        "nothing_back": "已经是第一步",
        "report_empty": "本机还没有游玩记录。",
        "facilitator": "课堂引导",
        "ending": "结局",
        "key_continue": "继续",
        "key_follow": "采纳所选",
        "key_timer": "计时",
        "key_back": "返回",
        "key_export": "导出复盘",
        "key_new": "新一轮",
        "key_report": "报告",
        "key_leave": "退出引导",
    },
}


KEY_LABELS = {
    "proceed": "key_continue",
    "follow_selected": "key_follow",
    "timer": "key_timer",
    "back": "key_back",
    "export": "key_export",
    "new_session": "key_new",
    "report": "key_report",
    "leave": "key_leave",
}


def word(lang: str, key: str, **values: Any) -> str:
    """A facilitator-mode UI string in ``lang`` (English fallback), with ``{name}`` filled safely."""
    table = WORDS.get(lang.split("-")[0], WORDS["en"])
    return interpolate(table.get(key, WORDS["en"][key]), values)


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

    def __init__(self, story: Story | None = None, lang: str | None = None, keeper: RecordKeeper | None = None) -> None:
        super().__init__()
        self._story = story
        self._lang = lang
        self._keeper_given = keeper
        self.play: Playthrough | None = None
        self.keeper: RecordKeeper | None = None
        self.tally: VoteTally | None = None
        self.phase = "vote"
        self.followed: tuple[int, str] | None = None
        self.fresh = True
        self.shown_at = time.monotonic()
        self.last_export: Any | None = None

    VOTE_ACTIONS = frozenset({"select", "digit", "erase", "bump", "follow_selected", "clear", "timer", "timer_adjust"})
    END_ACTIONS = frozenset({"export", "new_session"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that make sense now: vote keys while voting, export/new at the ending."""
        if action in self.VOTE_ACTIONS:
            return self.phase == "vote"
        if action in self.END_ACTIONS:
            return self.phase == "ending"
        if action == "proceed":
            return self.phase != "ending"
        return True

    def _set_phase(self, phase: str) -> None:
        self.phase = phase
        self.refresh_bindings()
        scroll = self.query_one("#fac-scroll", VerticalScroll)
        if phase == "ending":
            scroll.focus()
        else:
            self.set_focus(None)

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
        return "zh" if self.lang.startswith("zh") else "en"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="fac-scroll"):
            with Vertical(id="fac-column"):
                yield Static(id="fac-header", markup=False)
                yield Static(id="fac-title", markup=False)
                yield MarkdownText(id="fac-text")
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
        self._localize_keys()
        self.start_session()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def start_session(self) -> None:
        """Begin a new class playthrough from the story's start (with a new anonymous record)."""
        self._finish_record(None)
        self.play = Playthrough(self.story, self.lang)
        given = self._keeper_given
        self.keeper = given if given is not None else RecordKeeper(self.story, self.lang, mode="facilitator")
        self._keeper_given = None
        self.show_scene()

    def _localize_keys(self) -> None:
        bindings = self._bindings.key_to_bindings
        for key, entries in bindings.items():
            bindings[key] = [
                replace(b, description=word(self.ui, KEY_LABELS[b.action])) if b.action in KEY_LABELS else b
                for b in entries
            ]
        self.refresh_bindings()

    def apply_language(self) -> None:
        """Redraw in the app's current language (called by the app on a language switch)."""
        self._lang = getattr(self.app, "lang", None) or self._lang
        self._localize_keys()
        if self.play is not None:
            self.play.lang = self.lang
        self.show_scene(keep_tally=True)

    # -- drawing -------------------------------------------------------------------------------------------

    def _labels(self) -> dict[int, str]:
        assert self.play is not None
        return {o.choice.index: o.text for o in self.play.choices() if o.enabled}

    def show_scene(self, keep_tally: bool = False) -> None:
        """Draw the current scene and start a fresh vote (or the debrief at an ending)."""
        play = self.play
        if play is None:
            return
        story = self.story
        lang = self.lang
        fb = story.default_language
        chapter = play.chapter(lang)
        header = story.title.get(lang, fb) + (f" · {chapter}" if chapter else "") + f" · {word(self.ui, 'facilitator')}"
        self.query_one("#fac-header", Static).update(header)
        self.query_one("#fac-title", Static).update(play.title(lang))
        self.query_one("#fac-text", MarkdownText).set_markdown(play.text(lang))
        timer = self.query_one(PairTimer)
        timer.set_label(word(self.ui, "timer"))
        if play.is_ending:
            self._set_phase("ending")
            self.query_one("#fac-vote-row").display = False
            data = build_debrief(play, lang)
            self.query_one("#fac-debrief", MarkdownText).set_markdown(debrief_markdown(data, story, heading_level=2))
            self.query_one("#fac-debrief").display = True
            self.query_one("#fac-hint", Static).update(word(self.ui, "hint_end"))
            self.query_one("#fac-title", Static).update(
                f"{word(self.ui, 'ending')}: {data.ending_title or play.title(lang)}"
            )
            return
        self.query_one("#fac-vote-row").display = True
        self.query_one("#fac-debrief").display = False
        if not keep_tally or self.tally is None:
            self._set_phase("vote")
            self.followed = None
            self.tally = VoteTally.for_options(self._labels())
            self.query_one(VotePanel).selected = 0
            self.fresh = True
            timer.reset()
            self.shown_at = time.monotonic()
        prompts = [q.get(lang, fb) for q in play.scene.discuss]
        discuss = self.query_one("#fac-discuss", MarkdownText)
        discuss.set_markdown("\n".join(f"- {p}" for p in prompts))
        discuss.border_title = word(self.ui, "discuss")
        discuss.display = bool(prompts)
        self._redraw_votes()

    def _redraw_votes(self) -> None:
        tally = self.tally
        assert tally is not None
        panel = self.query_one(VotePanel)
        panel.border_title = word(self.ui, "vote", n=tally.total)
        labels = self._labels()
        if self.phase == "reveal" and self.followed is not None:
            flags, exits = self._tags_by_option()
            panel.show(tally, labels, self.followed[0], flags, exits)
        else:
            panel.show(tally, labels)
        self.query_one("#fac-status", Static).update(self._status(labels))
        single = len(tally.options) == 1
        key = "hint_reveal" if self.phase == "reveal" else ("hint_single" if single else "hint_vote")
        self.query_one("#fac-hint", Static).update(word(self.ui, key))

    def _status(self, labels: dict[int, str]) -> str:
        tally = self.tally
        assert tally is not None
        if self.phase == "reveal" and self.followed is not None:
            index, decision = self.followed
            return word(
                self.ui, "followed", option=labels.get(index, ""), decision=word(self.ui, f"decision_{decision}")
            )
        if len(tally.options) <= 1:
            return ""
        if tally.majority is not None:
            return word(self.ui, "majority", option=labels[tally.majority])
        if tally.is_tie:
            sep = "、" if self.ui == "zh" else ", "
            return word(self.ui, "tie", options=sep.join(labels[i] for i in tally.leaders()))
        return word(self.ui, "no_votes")

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

    # -- the vote ----------------------------------------------------------------------------------------------

    def _voting(self) -> bool:
        return self.phase == "vote" and self.tally is not None and bool(self.tally.options)

    def _selected_option(self) -> int:
        assert self.tally is not None
        return self.tally.options[self.query_one(VotePanel).selected]

    def action_select(self, delta: int) -> None:
        """Move the selection to another option."""
        if not self._voting():
            return
        assert self.tally is not None
        panel = self.query_one(VotePanel)
        panel.selected = (panel.selected + delta) % len(self.tally.options)
        self.fresh = True

    def action_digit(self, digit: int) -> None:
        """Type a digit of the selected option's count (the first digit after selecting replaces it)."""
        if not self._voting():
            return
        assert self.tally is not None
        index = self._selected_option()
        current = 0 if self.fresh else self.tally.counts[index]
        self.tally.set(index, current * 10 + digit)
        self.fresh = False
        self._redraw_votes()
        self._bring_votes_into_view()

    def action_erase(self) -> None:
        """Delete the last digit of the selected count."""
        if not self._voting():
            return
        assert self.tally is not None
        index = self._selected_option()
        self.tally.set(index, self.tally.counts[index] // 10)
        self.fresh = False
        self._redraw_votes()

    def action_bump(self, delta: int) -> None:
        """Add or remove one vote for the selected option."""
        if not self._voting():
            return
        assert self.tally is not None
        self.tally.bump(self._selected_option(), delta)
        self.fresh = True
        self._redraw_votes()
        self._bring_votes_into_view()

    def _bring_votes_into_view(self) -> None:
        """On a small screen, scroll so the vote panel the teacher is typing into is visible."""
        self.call_after_refresh(self.query_one(VotePanel).scroll_visible, animate=False)

    def action_clear(self) -> None:
        """Set every count back to zero."""
        if self._voting():
            assert self.tally is not None
            self.tally.clear()
            self.fresh = True
            self._redraw_votes()

    def action_proceed(self) -> None:
        """Enter: follow the majority (vote), go on (after the reveal), or nothing at an ending."""
        if self.phase == "reveal":
            self._continue()
            return
        if not self._voting():
            return
        assert self.tally is not None
        if len(self.tally.options) == 1:  # one way on: nothing to vote on, go straight ahead
            self.follow(self.tally.options[0])
            self._continue()
            return
        majority = self.tally.majority
        if majority is None:
            self.app.bell()
            return
        self.follow(majority)

    def action_follow_selected(self) -> None:
        """F: follow the selected option, whatever the vote says (tie-break or override)."""
        if self._voting():
            self.follow(self._selected_option())

    def follow(self, index: int) -> None:
        """Decide on choice ``index``: record the vote, reveal the red flags, wait for Enter."""
        tally = self.tally
        assert tally is not None and self.play is not None
        decision = tally.decision(index)
        if len(tally.options) > 1:
            self.keeper.vote(self.play.scene.id, tally.as_mapping(), index, decision)
        self.followed = (index, decision)
        self._set_phase("reveal")
        self.query_one(PairTimer).reset()
        self._redraw_votes()
        self._bring_votes_into_view()

    def _continue(self) -> None:
        play = self.play
        assert play is not None and self.followed is not None
        index = self.followed[0]
        scene_id = play.scene.id
        try:
            play.choose_choice(play.scene.choices[index])
        except ChoiceError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.keeper.choice_made(scene_id, index, time.monotonic() - self.shown_at)
        if play.is_ending:
            self._finish_record(play.scene.id)
        self.show_scene()
        self.query_one("#fac-scroll", VerticalScroll).scroll_home(animate=False)

    # -- other keys -----------------------------------------------------------------------------------------

    def action_timer(self) -> None:
        """Start or pause the pair-discussion countdown."""
        if self.phase != "ending":
            self.query_one(PairTimer).toggle()

    def action_timer_adjust(self, direction: int) -> None:
        """Lengthen or shorten the countdown by 15 seconds."""
        self.query_one(PairTimer).adjust(direction * STEP_SECONDS)

    def action_back(self) -> None:
        """Go back one decision (the vote taken there is forgotten too)."""
        play = self.play
        if play is None:
            return
        if self.phase == "reveal":
            self._set_phase("vote")
            self.followed = None
            _drop_last_vote(self.keeper)
            self._redraw_votes()
            return
        if not play.history:
            self.notify(word(self.ui, "nothing_back"))
            return
        if play.is_ending and self.keeper is not None and getattr(self.keeper, "finished", False):
            self.notify(word(self.ui, "nothing_back"))
            return
        step = play.history[-1]
        play.undo(1)
        self.keeper.undone(1)
        votes = getattr(self.keeper, "votes", None)
        if isinstance(votes, list) and votes and votes[-1].get("scene") == step.scene:
            votes.pop()
        self.show_scene()

    def action_export(self) -> None:
        """Save the debrief as Markdown under the data folder."""
        if self.phase != "ending" or self.play is None:
            return
        try:
            path = export_markdown(self.play, default_export_path(self.play), self.lang)
        except OSError as exc:
            self.notify(word(self.ui, "export_failed", error=str(exc)), severity="error")
            return
        self.last_export = path
        self.notify(word(self.ui, "exported", path=str(path)), markup=False, timeout=10)

    def action_new_session(self) -> None:
        """Start again from the beginning with a new record."""
        if self.phase == "ending":
            self.start_session()

    def action_report(self) -> None:
        """Show the class report of the records kept on this machine."""
        text = local_report_markdown(self.lang)
        self.app.push_screen(MarkdownScreen(text or word(self.ui, "report_empty")))

    def action_leave(self) -> None:
        """Leave facilitator mode (an unfinished session is recorded as abandoned)."""
        self._finish_record(None)
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()

    def on_unmount(self, event: events.Unmount) -> None:
        self._finish_record(None)

    def _finish_record(self, ending: str | None) -> None:
        if self.keeper is not None and not getattr(self.keeper, "finished", True):
            self.keeper.finish(ending)


def _drop_last_vote(keeper: Any | None) -> None:
    votes = getattr(keeper, "votes", None)
    if isinstance(votes, list) and votes:
        votes.pop()


def local_report_markdown(lang: str) -> str | None:
    """The Markdown class report of this machine's records, or ``None`` when there are none."""
    from game.classroom.records import RecordsFileError, read_records, records_path
    from game.classroom.report import build_report
    from game.classroom.report_render import render_markdown
    from game.classroom.stories import stories_for

    path = records_path()
    if not path.exists():
        return None
    try:
        found = read_records([path])
    except RecordsFileError:
        return None
    if not found.records:
        return None
    stories = stories_for({r["story"]["id"] for r in found.records}, None)
    return render_markdown(build_report(found, stories if isinstance(stories, dict) else {}, lang))


class MarkdownScreen(Screen):
    """A scrollable Markdown page with tables (the class report); Esc or Q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close")]
    DEFAULT_CSS = """
    MarkdownScreen #md-scroll { padding: 1 2; }
    """

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="md-scroll"):
            yield Markdown(self.markdown, id="md-text")  # Textual's widget: it draws the report's tables
        yield Footer()

    def action_close(self) -> None:
        """Close the page (or the viewer, when it is the only screen)."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()


class _MarkdownApp(App[None]):
    def __init__(self, markdown: str, title: str) -> None:
        super().__init__()
        self.markdown = markdown
        self.title = title

    def on_mount(self) -> None:
        self.push_screen(MarkdownScreen(self.markdown))


def show_markdown(markdown: str, title: str = "Crossroads") -> None:
    """Show ``markdown`` full-screen until the user closes it (``crossroads report --tui``)."""
    _MarkdownApp(markdown, title).run()
