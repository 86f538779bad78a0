"""VotePanel: the class's tally for each option as a big histogram, with the row the teacher is editing.

It only draws a :class:`~game.classroom.votes.VoteTally`; the facilitator screen handles the keys. After
the vote the chosen row is marked and each option's red flags can be shown beside it.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text as RichText
from textual.reactive import reactive
from textual.widgets import Static

from game.classroom.votes import VoteTally

BAR_WIDTH = 30


class VotePanel(Static):
    """The vote histogram: one row per option (number, text, count, bar, share)."""

    DEFAULT_CSS = """
    VotePanel { height: auto; }
    """

    selected: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.tally: VoteTally | None = None
        self.labels: dict[int, str] = {}
        self.chosen: int | None = None
        self.flags: dict[int, list[str]] = {}
        self.exits: dict[int, list[str]] = {}
        self.empty_text = ""

    def show(
        self,
        tally: VoteTally | None,
        labels: dict[int, str],
        chosen: int | None = None,
        flags: dict[int, list[str]] | None = None,
        exits: dict[int, list[str]] | None = None,
    ) -> None:
        """Draw ``tally`` with option ``labels``; ``chosen``/``flags``/``exits`` are given after the vote."""
        self.tally = tally
        self.labels = labels
        self.chosen = chosen
        self.flags = flags or {}
        self.exits = exits or {}
        if tally is not None and tally.options:
            self.selected = min(self.selected, len(tally.options) - 1)
        self.redraw()

    def watch_selected(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Render the rows again (after a count changed)."""
        tally = self.tally
        if tally is None:
            self.update(self.empty_text)
            return
        width = self.content_size.width or 100
        bar_width = max(6, min(BAR_WIDTH, (width - 16) // 3))
        bars = tally.bars(bar_width)
        leaders = set(tally.leaders())
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=2)
        table.add_column(width=3, justify="right")
        table.add_column(ratio=1, overflow="fold")
        table.add_column(width=5, justify="right")
        table.add_column(width=bar_width)
        table.add_column(width=5, justify="right")
        for row, index in enumerate(tally.options):
            editing = self.chosen is None and row == self.selected
            marker = "▶" if editing else ("✔" if index == self.chosen else " ")
            style = "bold reverse" if editing else ("bold" if index == self.chosen else "")
            bar_style = "bold green" if index in leaders else "cyan"
            label = RichText(self.labels.get(index, ""), style=style)
            for flag in self.flags.get(index, []):
                label.append(f"\n⚑ {flag}", style="bold red")
            for exit_title in self.exits.get(index, []):
                label.append(f"\n⇢ {exit_title}", style="bold green")
            table.add_row(
                RichText(marker, style="bold"),
                RichText(f"{row + 1}.", style=style),
                label,
                RichText(str(tally.counts[index]), style="bold"),
                RichText(bars[index] or "·", style=bar_style),
                RichText(f"{round(tally.share(index) * 100)}%"),
            )
        self.update(table)
