"""The command palette in the UI language: Textual's own system commands (theme, quit, keys, maximize,
screenshot) translated, then the game's actions, and the palette's search prompts.

The app's ``get_system_commands`` and ``action_command_palette`` hand over to :func:`system_commands` and
:func:`open_palette`; nothing here keeps state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider

from game.i18n import tr

if TYPE_CHECKING:
    from game.tui.app import CrossroadsApp


def open_palette(app: CrossroadsApp) -> None:
    """Open the command palette with its prompt in the UI language."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(CommandPalette(id="--command-palette", placeholder=tr("palette_search", app.ui_lang)))


def search_themes(app: CrossroadsApp) -> None:
    """Open the theme picker with its prompt in the UI language."""
    app.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=tr("palette_themes", app.ui_lang)))


def textual_commands(app: CrossroadsApp, screen: Screen) -> Iterable[SystemCommand]:
    """Textual's system commands (as in ``App.get_system_commands``), named and explained in the UI language."""
    ui = app.ui_lang
    yield SystemCommand(tr("cmd_theme_name", ui), tr("cmd_theme", ui), lambda: search_themes(app))
    if screen.query("HelpPanel"):
        yield SystemCommand(tr("cmd_keys_name", ui), tr("cmd_keys_hide", ui), app.action_hide_help_panel)
    else:
        yield SystemCommand(tr("cmd_keys_name", ui), tr("cmd_keys_show", ui), app.action_show_help_panel)
    if screen.maximized is not None:
        yield SystemCommand(tr("cmd_minimize_name", ui), tr("cmd_minimize", ui), screen.action_minimize)
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(tr("cmd_maximize_name", ui), tr("cmd_maximize", ui), screen.action_maximize)
    yield SystemCommand(
        tr("cmd_screenshot_name", ui), tr("cmd_screenshot", ui), lambda: app.set_timer(0.1, app.deliver_screenshot)
    )


def system_commands(app: CrossroadsApp, screen: Screen) -> Iterable[SystemCommand]:
    """Everything the palette offers: the game's actions first, then Textual's, all in the UI language."""
    from game.tui.screens.title import TitleScreen

    ui = app.ui_lang
    playing = app.play is not None and not isinstance(screen, TitleScreen)
    yield SystemCommand(tr("new_game", ui), tr("cmd_new", ui), app.new_game)
    if playing:
        yield SystemCommand(tr("undo", ui), tr("cmd_undo", ui), app.undo)
        yield SystemCommand(tr("history", ui), tr("cmd_history", ui), app.action_history)
        yield SystemCommand(tr("save", ui), tr("cmd_save", ui), app.action_save)
        yield SystemCommand(tr("title_screen", ui), tr("cmd_title", ui), app.to_title)
    yield SystemCommand(tr("load", ui), tr("cmd_load", ui), app.action_load)
    yield SystemCommand(tr("endings_gallery", ui), tr("cmd_gallery", ui), app.action_gallery)
    yield SystemCommand(tr("cmd_language_name", ui), tr("cmd_language", ui), app.action_toggle_language)
    yield SystemCommand(tr("alerts", ui), tr("cmd_alerts", ui), app.action_toggle_alerts)
    yield SystemCommand(tr("help", ui), tr("cmd_help", ui), app.action_help)
    yield from textual_commands(app, screen)
    yield SystemCommand(tr("quit", ui), tr("cmd_quit", ui), app.action_quit)
