"""Every UI string of Crossroads, in English and Simplified Chinese (no Textual here: plain mode uses it too).

Look strings up with :func:`tr`; ``{name}`` placeholders are filled by :func:`game.model.interpolate`, never by
``str.format``. Plurals: an entry may have a ``LANG_one`` form, used when the count ``n`` is 1 (English
"1 scene" / "2 scenes"; Chinese has one form).
"""

from __future__ import annotations

import re

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
    "locked_suffix": {"en": " (locked — {reason})", "zh": "（不可选——{reason}）"},
    "plain_flag": {"en": "⚑ Red flag: {title}. {explain}", "zh": "⚑ 危险信号：{title}。{explain}"},
    "stories": {"en": "Stories", "zh": "故事"},
    "story_broken": {"en": "{title} (cannot be loaded)", "zh": "{title}（无法加载）"},
    "no_autosave": {"en": "No autosave yet", "zh": "还没有自动存档"},
    "scroll_note_hint": {"en": "PgUp/PgDn scroll the note", "zh": "PgUp/PgDn 滚动上方说明"},
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
    "red_flags_alert_list": {"en": "Red flags: {titles}", "zh": "危险信号：{titles}"},
    "sentence_gap": {"en": ". ", "zh": "。"},
    "list_separator": {"en": " · ", "zh": "、"},
    "undone": {"en": "Went back {n} steps.", "en_one": "Went back one step.", "zh": "已后退 {n} 步。"},
    "n_scenes": {"en": "{n} scenes", "en_one": "{n} scene", "zh": "{n} 个场景"},
    "n_endings": {"en": "{n} endings", "en_one": "{n} ending", "zh": "{n} 个结局"},
    "n_languages": {"en": "{n} languages", "en_one": "{n} language", "zh": "{n} 种语言"},
    "n_errors": {"en": "{n} errors", "en_one": "{n} error", "zh": "{n} 个错误"},
    "n_warnings": {"en": "{n} warnings", "en_one": "{n} warning", "zh": "{n} 个警告"},
    "nothing_to_undo": {"en": "You are at the start: nothing to undo.", "zh": "已经在开头了，无法后退。"},
    "locked": {"en": "locked", "zh": "不可选"},
    "step": {"en": "Step {n}", "zh": "第 {n} 步"},
    "choices_hint": {"en": "Press 1–{n}, or ↑↓ and Enter.", "zh": "按 1–{n}，或用 ↑↓ 和回车选择。"},
    "choices_hint_one": {"en": "Press 1 or Enter.", "zh": "按 1 或回车继续。"},
    "scroll_hint": {"en": "PgUp/PgDn or Space scroll the text.", "zh": "PgUp/PgDn 或空格键滚动正文。"},
    "choices_hint_short": {"en": "1–{n} or ↑↓ Enter", "zh": "按 1–{n} 或 ↑↓ 回车"},
    "choices_hint_one_short": {"en": "1 or Enter", "zh": "按 1 或回车"},
    "scroll_hint_short": {"en": "PgUp/PgDn: text", "zh": "PgUp/PgDn 滚动正文"},
    "hint_gap": {"en": " ", "zh": ""},
    "hint_gap_short": {"en": " · ", "zh": " · "},
    "no_choices": {"en": "This scene has no way on.", "zh": "这个场景没有后续选项。"},
    "autosave_failed": {"en": "Autosave failed: {error}", "zh": "自动存档失败：{error}"},
    # too small
    "too_small_title": {"en": "The terminal is too small", "zh": "终端窗口太小"},
    "too_small": {
        "en": "Crossroads needs at least {width}×{height}; this one is {now_width}×{now_height}. "
        "Enlarge the window or make the font smaller. Ctrl+Q quits.",
        "zh": "Crossroads 至少需要 {width}×{height}，当前为 {now_width}×{now_height}。"
        "请放大窗口或调小字号。按 Ctrl+Q 退出。",
    },
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
    "save_missing": {"en": "there is no save “{name}”", "zh": "没有名为“{name}”的存档"},
    "save_set_aside": {
        "en": "{error}",
        "zh": "存档“{name}”已损坏或不是 Crossroads 存档，已移到一边（{moved}）",
    },
    "save_unreadable": {"en": "{error}", "zh": "存档“{name}”与这个故事的当前版本对不上，已保留原文件"},
    "save_replayed": {
        "en": "The story has changed since this save; your choices were replayed.",
        "zh": "这个存档之后故事有了改动；已按你的选择重新走了一遍。",
    },
    "save_resumed": {
        "en": "The story has changed since this save; it resumes at the saved scene, without its history.",
        "zh": "这个存档之后故事有了改动；将从存档时的场景继续，之前的经历没有保留。",
    },
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
    "reloaded": {
        "en": "Story reloaded ({n} steps kept).",
        "en_one": "Story reloaded (1 step kept).",
        "zh": "故事已重新加载（保留了 {n} 步）。",
    },
    "reload_lost": {
        "en": "Story reloaded; {n} steps no longer fit and were dropped.",
        "en_one": "Story reloaded; 1 step no longer fits and was dropped.",
        "zh": "故事已重新加载；有 {n} 步不再适用，已被舍弃。",
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
    "cmd_quit": {"en": "Quit (the game is autosaved)", "zh": "退出（游戏已自动存档）"},
    "cmd_language_name": {"en": "Switch language to 简体中文", "zh": "切换语言为 English"},
    "cmd_theme_name": {"en": "Theme", "zh": "主题"},
    "cmd_theme": {"en": "Change the colours", "zh": "更换配色"},
    "cmd_keys_name": {"en": "Keys", "zh": "按键"},
    "cmd_keys_show": {"en": "Show the keys of the focused part of the screen", "zh": "显示当前焦点处可用的按键"},
    "cmd_keys_hide": {"en": "Hide the keys panel", "zh": "隐藏按键面板"},
    "cmd_maximize_name": {"en": "Maximize", "zh": "最大化"},
    "cmd_maximize": {"en": "Let the focused part fill the screen", "zh": "让当前焦点处占满屏幕"},
    "cmd_minimize_name": {"en": "Minimize", "zh": "还原"},
    "cmd_minimize": {"en": "Back to the normal layout", "zh": "恢复正常布局"},
    "cmd_screenshot_name": {"en": "Screenshot", "zh": "截图"},
    "cmd_screenshot": {"en": "Save an SVG picture of the screen", "zh": "把当前画面保存为 SVG 图片"},
    "palette_search": {"en": "Search for commands…", "zh": "搜索命令……"},
    "palette_themes": {"en": "Search for themes…", "zh": "搜索主题……"},
    # classroom server: the class dashboard and live votes
    "join_at": {"en": "Join at {url}", "zh": "加入网址：{url}"},
    "room_code_line": {"en": "Room code: {code}", "zh": "房间码：{code}"},
    "class_dashboard": {"en": "Class on phones", "zh": "手机课堂"},
    "phones_joined": {"en": "{n} phones joined", "en_one": "{n} phone joined", "zh": "已加入 {n} 部手机"},
    "phones_playing": {"en": "{n} playing", "zh": "{n} 人在玩"},
    "phones_ended": {"en": "{n} at an ending", "zh": "{n} 人已到结局"},
    "where_they_are": {"en": "Where they are", "zh": "大家走到了哪里"},
    "endings_reached": {"en": "Endings reached", "zh": "已到达的结局"},
    "nobody_yet": {"en": "Nobody yet.", "zh": "还没有人。"},
    "records_to": {"en": "Records go to {path}", "zh": "记录写入：{path}"},
    "class_report": {"en": "Class report", "zh": "全班报告"},
    "join_close": {
        "en": "W, Esc or Enter closes this; W shows it again.",
        "zh": "按 W、Esc 或回车关闭；按 W 可再次显示。",
    },
    "fac_live_line": {
        "en": "Phones: {url} · room {code} · {joined} joined · {voted} voted · W: join code",
        "zh": "手机：{url} · 房间码 {code} · 已加入 {joined} · 已投票 {voted} · W：加入码",
    },
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
    "plain_locked": {"en": "Choice {n} is locked. {reason}", "zh": "选项 {n} 不可选。{reason}"},
    "plain_saved": {"en": "Autosaved. Goodbye.", "zh": "已自动存档。再见。"},
    "plain_the_end": {"en": "The end.", "zh": "完。"},
    # play session events (game.session), shown by every front end
    "record_failed": {
        "en": "Your playthrough record could not be written ({error}); it is kept and retried.",
        "zh": "游玩记录未能写入（{error}）；已保留，稍后重试。",
    },
    "count_failed": {"en": "The ending could not be counted: {error}", "zh": "结局未能计入图鉴：{error}"},
    "records_late": {"en": "Kept playthrough records are now written ({n}).", "zh": "保留的游玩记录已写入（{n} 条）。"},
    "new_keeps_previous": {
        "en": "New game (your game at step {n} stays in Load as “Previous autosave”)",
        "zh": "新游戏（你第 {n} 步的游戏会留在读档列表中，名为“上一个自动存档”）",
    },
    "previous_autosave": {"en": "Previous autosave", "zh": "上一个自动存档"},
    "facilitator_autosave": {"en": "Facilitator autosave", "zh": "课堂引导自动存档"},
    "previous_facilitator_autosave": {"en": "Previous facilitator autosave", "zh": "上一个课堂引导自动存档"},
    "plain_kept": {
        "en": "A new game. Your earlier game (step {n}) is kept as “Previous autosave”; "
        "to resume the latest game instead, start with --continue.",
        "zh": "新游戏。你之前的游戏（第 {n} 步）保留为“上一个自动存档”；若要继续最近的游戏，请加 --continue 启动。",
    },
    "exit_problem": {"en": "Not everything was saved: {error}", "zh": "有内容未能保存：{error}"},
    # facilitator mode
    "fac_discuss": {"en": "Discuss in pairs", "zh": "两人讨论"},
    "fac_vote": {"en": "Class vote · {n} votes", "en_one": "Class vote · 1 vote", "zh": "全班投票 · {n} 票"},
    "fac_timer": {"en": "Pair talk", "zh": "讨论计时"},
    "fac_hint_vote": {
        "en": "↑↓ option · type the count or +/− · Enter: follow the majority · F: follow the selected option",
        "zh": "↑↓ 选择选项 · 输入票数或按 +/− · 回车：按多数继续 · F：采纳所选选项",
    },
    "fac_hint_reveal": {"en": "Red flags revealed. Enter: continue", "zh": "危险信号已揭晓。回车：继续"},
    "fac_hint_single": {"en": "Only one way on. Enter: continue", "zh": "只有一条路。回车：继续"},
    "fac_hint_end": {
        "en": "E: export the debrief · N: new session · R: class report · Esc: leave",
        "zh": "E：导出复盘 · N：新一轮 · R：班级报告 · Esc：退出",
    },
    "fac_majority": {"en": "Majority: {option}", "zh": "多数：{option}"},
    "fac_tie": {
        "en": "Tie between options {options}: select one and press F",
        "zh": "选项{options}票数相同：请选择一项并按 F",
    },
    "fac_count_cap": {"en": "At most {n} votes per option", "zh": "每个选项最多{n}票"},
    "fac_leave_confirm": {
        "en": "Press Esc again to leave facilitator mode (this class session ends)",
        "zh": "再按一次 Esc 退出课堂引导（本轮课堂会结束）",
    },
    "fac_no_votes": {
        "en": "No votes yet: type the counts, or select an option and press F",
        "zh": "还没有投票：请输入票数，或选择一项并按 F",
    },
    "fac_followed": {"en": "The class follows: {option} ({decision})", "zh": "全班采纳：{option}（{decision}）"},
    "fac_decision_majority": {"en": "majority", "zh": "多数决定"},
    "fac_decision_tie-break": {"en": "tie broken by the teacher", "zh": "平票，由老师决定"},
    "fac_decision_override": {"en": "teacher's override", "zh": "老师改选"},
    "fac_decision_no-votes": {"en": "no vote", "zh": "未投票"},
    "debrief_download": {"en": "The debrief is offered as a download.", "zh": "复盘已作为下载文件提供。"},
    "fac_nothing_back": {"en": "Nothing to go back to", "zh": "已经是第一步"},
    "fac_report_empty": {"en": "No records on this machine yet.", "zh": "本机还没有游玩记录。"},
    "fac_facilitator": {"en": "Facilitator", "zh": "课堂引导"},
    "fac_lesson_clock": {
        "en": "Lesson: {minutes} of {budget} min played",
        "zh": "本课：已玩{minutes}分钟，共{budget}分钟",
    },
    "fac_class_decision": {"en": "class decision {n} of {total}", "zh": "全班决策（第{n}个，共{total}个）"},
    "fac_quick_decision": {"en": "quick decision", "zh": "快速决策"},
    "fac_class_left": {"en": "class decisions still ahead: {n}", "zh": "后面还有{n}个全班决策"},
    "fac_recap": {"en": "Recap: read aloud", "zh": "前情提要：请朗读"},
    "fac_no_lesson": {
        "en": "The story has no lesson '{lesson}'; playing from the start",
        "zh": "故事里没有课程“{lesson}”，从头开始",
    },
    "fac_ending": {"en": "Ending", "zh": "结局"},
    "fac_key_continue": {"en": "Continue", "zh": "继续"},
    "fac_key_follow": {"en": "Follow selected", "zh": "采纳所选"},
    "fac_key_timer": {"en": "Timer", "zh": "计时"},
    "fac_key_back": {"en": "Back", "zh": "返回"},
    "fac_key_export": {"en": "Export debrief", "zh": "导出复盘"},
    "fac_key_new": {"en": "New session", "zh": "新一轮"},
    "fac_key_report": {"en": "Report", "zh": "报告"},
    "fac_key_leave": {"en": "Leave", "zh": "退出引导"},
    "fac_key_rewind": {"en": "Last class decision", "zh": "回到上一个全班决策"},
}


def tr(key: str, lang: str, **values: object) -> str:
    """The UI string ``key`` in ``lang`` (English when missing), with ``{name}`` placeholders filled.

    When the count ``n`` is 1 and the entry has a ``LANG_one`` form, that form is used (the one plural rule).
    """
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = (values.get("n") == 1 and entry.get(f"{lang}_one")) or entry.get(lang) or entry["en"]
    if not values:
        return text
    return interpolate(text, {k: v if isinstance(v, bool | int | str) else str(v) for k, v in values.items()})


def save_problem(message: str, lang: str) -> str:
    """Why a save could not be loaded (the message of a ``SaveError``), said in ``lang``.

    English keeps the persistence layer's own message (it names the file); other languages say it in their own
    words, naming the save (from the file's name) and, when it was set aside, the file it was moved to.
    """
    file = _SAVE_FILE.search(message)
    stem = file.group(1) if file else ""
    name = tr("autosave", lang) if stem == "autosave" else stem
    moved = _SET_ASIDE.search(message)
    if message.endswith(": no such save"):
        reason = tr("save_missing", lang, name=name)
    elif moved:
        reason = tr("save_set_aside", lang, error=message, name=name, moved=moved.group(1))
    else:
        reason = tr("save_unreadable", lang, error=message, name=name)
    return tr("load_failed", lang, error=reason)


_SAVE_FILE = re.compile(r"([^/\\\s]+?)\.json\b")
_SET_ASIDE = re.compile(r"set aside as (\S+)$")


def save_notice(notice: str, lang: str) -> str:
    """A notice from loading a save of an older story version, in ``lang`` (unknown notices are kept as is)."""
    for key in ("save_replayed", "save_resumed"):
        if notice == STRINGS[key]["en"]:
            return tr(key, lang)
    return notice


def ui_lang(lang: str | None) -> str:
    """The UI language to use for a story language (unknown ones fall back to English)."""
    return lang if lang in UI_LANGUAGES else "en"
