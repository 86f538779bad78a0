"""Every UI string of Crossroads, in English and Simplified Chinese (no Textual here: plain mode uses it too).

Look strings up with :func:`tr`; ``{name}`` placeholders are filled by :func:`game.model.interpolate`, never by
``str.format``.
"""

from __future__ import annotations

from game.model import interpolate

UI_LANGUAGES = ("en", "zh")
LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}

STRINGS: dict[str, dict[str, str]] = {
    # title screen
    "new_game": {"en": "New game", "zh": "新游戏"},
    "continue": {"en": "Continue", "zh": "继续"},
    "load": {"en": "Load", "zh": "读档"},
    "save": {"en": "Save", "zh": "存档"},
    "endings": {"en": "Endings", "zh": "结局"},
    "endings_gallery": {"en": "Endings gallery", "zh": "结局图鉴"},
    "language": {"en": "Language: {name}", "zh": "语言：{name}"},
    "language_short": {"en": "Language", "zh": "语言"},
    "alerts_on": {"en": "Red-flag alerts: during play", "zh": "危险信号提醒：游戏中提示"},
    "alerts_held": {"en": "Red-flag alerts: held until the ending", "zh": "危险信号提醒：留到结局再看"},
    "alerts": {"en": "Alerts", "zh": "提醒"},
    "quit": {"en": "Quit", "zh": "退出"},
    "content_note": {"en": "Content note", "zh": "内容提示"},
    "content_note_line": {"en": "Content note: {text}", "zh": "内容提示：{text}"},
    "ending_line": {"en": "Ending: {title} ({kind})", "zh": "结局：{title}（{kind}）"},
    "locked_suffix": {"en": " (locked: {reason})", "zh": "（未解锁：{reason}）"},
    "plain_flag": {"en": "⚑ Red flag: {title}. {explain}", "zh": "⚑ 危险信号：{title}。{explain}"},
    "stories": {"en": "Stories", "zh": "故事"},
    "story_broken": {"en": "{title} (cannot be loaded)", "zh": "{title}（无法加载）"},
    "no_autosave": {"en": "No autosave yet", "zh": "还没有自动存档"},
    "title_hint": {
        "en": "Enter starts a new game · ↑↓ to move · ? for help",
        "zh": "回车开始新游戏 · ↑↓ 移动 · ? 查看帮助",
    },
    # play screen
    "undo": {"en": "Back", "zh": "后退"},
    "history": {"en": "History", "zh": "经历"},
    "title_screen": {"en": "Title", "zh": "标题"},
    "help": {"en": "Help", "zh": "帮助"},
    "panel": {"en": "Panel", "zh": "侧栏"},
    "palette": {"en": "Commands", "zh": "命令"},
    "red_flags": {"en": "Red flags met", "zh": "遇到的危险信号"},
    "no_flags": {"en": "None so far.", "zh": "目前还没有。"},
    "flags_held": {"en": "Shown at the ending.", "zh": "到结局时再显示。"},
    "red_flags_alert": {"en": "Red flags", "zh": "危险信号"},
    "export_debrief": {"en": "Export", "zh": "导出"},
    "exported_to": {"en": "Debrief saved to {path}", "zh": "复盘已保存到 {path}"},
    "export_failed": {"en": "Could not save the debrief: {error}", "zh": "无法保存复盘：{error}"},
    "red_flag_alert": {"en": "Red flag: {title}", "zh": "危险信号：{title}"},
    "undone": {"en": "Went back {n} step(s).", "zh": "已后退 {n} 步。"},
    "nothing_to_undo": {"en": "You are at the start: nothing to undo.", "zh": "已经在开头了，无法后退。"},
    "locked": {"en": "locked", "zh": "未解锁"},
    "step": {"en": "Step {n}", "zh": "第 {n} 步"},
    "choices_hint": {"en": "Press 1–{n}, or ↑↓ and Enter.", "zh": "按 1–{n}，或用 ↑↓ 和回车选择。"},
    "choices_hint_one": {"en": "Press 1 or Enter.", "zh": "按 1 或回车继续。"},
    "scroll_hint": {"en": "PgUp/PgDn or Space scroll the text.", "zh": "PgUp/PgDn 或空格键滚动正文。"},
    "no_choices": {"en": "This scene has no way on.", "zh": "这个场景没有后续选项。"},
    "autosave_failed": {"en": "Autosave failed: {error}", "zh": "自动存档失败：{error}"},
    # history
    "history_title": {"en": "History: the whole story so far", "zh": "经历：到目前为止的全部故事"},
    "you_chose": {"en": "You chose", "zh": "你选择了"},
    "now": {"en": "Now", "zh": "现在"},
    "close": {"en": "Close", "zh": "关闭"},
    # saves
    "save_title": {"en": "Save the game", "zh": "保存游戏"},
    "load_title": {"en": "Load a saved game", "zh": "读取存档"},
    "slot_name": {"en": "Name of the save (Enter to save)", "zh": "存档名称（回车保存）"},
    "no_saves": {"en": "No saves yet.", "zh": "还没有存档。"},
    "saved": {"en": "Saved as “{name}”.", "zh": "已保存为“{name}”。"},
    "autosave": {"en": "Autosave", "zh": "自动存档"},
    "slot_line": {
        "en": "{name} · {title} · step {steps} · {when} UTC",
        "zh": "{name} · {title} · 第 {steps} 步 · {when} UTC",
    },
    "cancel": {"en": "Cancel", "zh": "取消"},
    "save_failed": {"en": "Could not save: {error}", "zh": "无法保存：{error}"},
    "load_failed": {"en": "Could not load: {error}", "zh": "无法读档：{error}"},
    # ending
    "ending": {"en": "Ending", "zh": "结局"},
    "kind_safe": {"en": "Safe ending", "zh": "安全结局"},
    "kind_mixed": {"en": "Mixed ending", "zh": "喜忧参半的结局"},
    "kind_bad": {"en": "Bad ending", "zh": "糟糕的结局"},
    "play_again": {"en": "Play again", "zh": "再玩一次"},
    "debrief": {"en": "Debrief", "zh": "复盘"},
    # gallery
    "gallery_title": {
        "en": "Endings gallery: {reached} of {total} reached",
        "zh": "结局图鉴：已达成 {reached}/{total}",
    },
    "not_reached": {"en": "Not reached yet", "zh": "尚未达成"},
    "reached_times": {"en": "reached {n}×", "zh": "达成 {n} 次"},
    # help
    "help_title": {"en": "Help", "zh": "帮助"},
    "help_body": {
        "en": (
            "**Playing**\n\n"
            "- `1`–`9` pick a choice; or move with `↑` `↓` and press `Enter`; or click it.\n"
            "- `b`, `Backspace` or `Ctrl+Z` go back one step (as many times as you like).\n"
            "- `h` shows the history: every scene and choice so far.\n"
            "- `s` saves to a named slot, `l` loads one. The game also autosaves after every choice.\n"
            "- `p` folds the side panel away; `t` goes back to the title screen.\n\n"
            "**Everywhere**\n\n"
            "- `F2` switches the language (English / 简体中文).\n"
            "- `Ctrl+P` opens the command palette (themes too).\n"
            "- `?` or `F1` shows this help; `Esc` closes a window; `Ctrl+Q` quits.\n\n"
            "Saves, endings reached and settings are kept in your user-data folder "
            "(set `CROSSROADS_HOME` to use another). For screen readers, run `crossroads play --plain`."
        ),
        "zh": (
            "**游戏中**\n\n"
            "- 按 `1`–`9` 选择；或用 `↑` `↓` 移动后按 `回车`；也可以用鼠标点击。\n"
            "- `b`、`退格键` 或 `Ctrl+Z` 后退一步（可以一直后退）。\n"
            "- `h` 查看经历：到目前为止的每个场景和选择。\n"
            "- `s` 存档到命名的存档位，`l` 读档。每次选择后游戏都会自动存档。\n"
            "- `p` 收起或展开侧栏；`t` 回到标题画面。\n\n"
            "**任何时候**\n\n"
            "- `F2` 切换语言（English / 简体中文）。\n"
            "- `Ctrl+P` 打开命令面板（也可以换主题）。\n"
            "- `?` 或 `F1` 显示本帮助；`Esc` 关闭窗口；`Ctrl+Q` 退出。\n\n"
            "存档、已达成的结局和设置保存在你的用户数据文件夹中（设置 `CROSSROADS_HOME` 可改用其他文件夹）。"
            "使用读屏软件时，请运行 `crossroads play --plain`。"
        ),
    },
    # errors
    "story_error_title": {"en": "The story has errors", "zh": "故事文件有错误"},
    "story_error_hint": {
        "en": "The game stays where it was. Fix the file and save it, then press Esc.",
        "zh": "游戏停留在原处。修正文件并保存后，按 Esc 关闭。",
    },
    "reloaded": {"en": "Story reloaded ({n} step(s) kept).", "zh": "故事已重新加载（保留了 {n} 步）。"},
    "reload_lost": {
        "en": "Story reloaded; {lost} step(s) no longer fit and were dropped.",
        "zh": "故事已重新加载；有 {lost} 步不再适用，已被舍弃。",
    },
    # commands
    "cmd_new": {"en": "Start a new game of the current story", "zh": "开始当前故事的新游戏"},
    "cmd_undo": {"en": "Go back one step", "zh": "后退一步"},
    "cmd_history": {"en": "Show every scene and choice so far", "zh": "查看到目前为止的每个场景和选择"},
    "cmd_save": {"en": "Save to a named slot", "zh": "存档到命名的存档位"},
    "cmd_load": {"en": "Load a saved game", "zh": "读取存档"},
    "cmd_gallery": {"en": "See the endings reached", "zh": "查看已达成的结局"},
    "cmd_language": {"en": "Switch between English and 简体中文", "zh": "在 English 和简体中文之间切换"},
    "cmd_alerts": {
        "en": "Show red-flag alerts during play, or hold them until the ending",
        "zh": "在游戏中提示危险信号，或留到结局再看",
    },
    "cmd_title": {"en": "Go back to the title screen", "zh": "回到标题画面"},
    "cmd_help": {"en": "Keys and how to play", "zh": "按键和玩法"},
    # classroom server: the class dashboard and live votes
    "join_at": {"en": "Join at {url}", "zh": "加入网址：{url}"},
    "room_code_line": {"en": "Room code: {code}", "zh": "房间码：{code}"},
    "class_dashboard": {"en": "Class on phones", "zh": "手机课堂"},
    "phones_joined_one": {"en": "{n} phone joined", "zh": "已加入 {n} 部手机"},
    "phones_joined_other": {"en": "{n} phones joined", "zh": "已加入 {n} 部手机"},
    "phones_playing_one": {"en": "{n} playing", "zh": "{n} 人在玩"},
    "phones_playing_other": {"en": "{n} playing", "zh": "{n} 人在玩"},
    "phones_ended_one": {"en": "{n} at an ending", "zh": "{n} 人已到结局"},
    "phones_ended_other": {"en": "{n} at an ending", "zh": "{n} 人已到结局"},
    "where_they_are": {"en": "Where they are", "zh": "大家走到了哪里"},
    "endings_reached": {"en": "Endings reached", "zh": "已到达的结局"},
    "nobody_yet": {"en": "Nobody yet.", "zh": "还没有人。"},
    "records_to": {"en": "Records go to {path}", "zh": "记录写入：{path}"},
    "class_report": {"en": "Class report", "zh": "全班报告"},
    "no_records_yet": {
        "en": "No records yet: the report fills as phones finish.",
        "zh": "还没有记录：学生走到结局后，报告才会有内容。",
    },
    "show_qr": {"en": "QR code", "zh": "二维码"},
    "server_failed": {"en": "The classroom server could not start: {reason}", "zh": "课堂服务器无法启动：{reason}"},
    "exposure_warning": {
        "en": "Reachable from other machines on this network: anyone with the room code can join. Stop it after class.",
        "zh": "同一网络中的其他设备都能访问：知道房间码的人都能加入。下课后请关掉。",
    },
    # plain mode
    "plain_prompt": {
        "en": "Choice (number, back, history, help, quit): ",
        "zh": "请选择（数字、back、history、help、quit）：",
    },
    "plain_help": {
        "en": "Type the number of a choice and press Enter. Commands: back [N] (undo), history, help, quit.",
        "zh": "输入选项的数字并回车。命令：back [N]（后退）、history（经历）、help（帮助）、quit（退出）。",
    },
    "plain_bad": {
        "en": "Please type a number from 1 to {n}, or back, history, help, quit.",
        "zh": "请输入 1 到 {n} 之间的数字，或 back、history、help、quit。",
    },
    "plain_locked": {"en": "Choice {n} is locked: {reason}", "zh": "选项 {n} 尚未解锁：{reason}"},
    "plain_saved": {"en": "Autosaved. Goodbye.", "zh": "已自动存档。再见。"},
    "plain_the_end": {"en": "The end.", "zh": "完。"},
}


def tr(key: str, lang: str, **values: object) -> str:
    """The UI string ``key`` in ``lang`` (English when missing), with ``{name}`` placeholders filled."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    if not values:
        return text
    return interpolate(text, {k: v if isinstance(v, bool | int | str) else str(v) for k, v in values.items()})


def ui_lang(lang: str | None) -> str:
    """The UI language to use for a story language (unknown ones fall back to English)."""
    return lang if lang in UI_LANGUAGES else "en"
