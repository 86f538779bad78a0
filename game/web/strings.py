"""The phone page's strings, in English and Simplified Chinese: served to the page as JSON.

The page holds no text of its own; it asks ``/api/strings`` for this table in the phone's language (or the
one the student picks), so the page's strings live in one place with the rest of the UI's.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "app_title": "Crossroads",
        "language_switch": "中文",
        "join_heading": "Join your class",
        "join_help": "Type the room code shown on the teacher's screen.",
        "room_code": "Room code",
        "join": "Join",
        "joining": "Joining…",
        "bad_code": "That room code is not right. Check the teacher's screen and try again.",
        "room_full": "The class is full. Ask your teacher.",
        "connection_lost": "Connection lost. Reconnecting…",
        "waiting": "Waiting for the teacher to open the next vote.",
        "question": "Question",
        "vote_for": "Vote for option {n}",
        "your_vote": "Your vote: option {n}. You can change it until the teacher closes the vote.",
        "vote_sent": "Vote sent.",
        "vote_closed": "The vote is closed.",
        "vote_refused": "That vote did not count: the class has moved on.",
        "result": "What the class chose",
        "votes_one": "{n} vote",
        "votes_other": "{n} votes",
        "red_flag": "Red flag",
        "safe_exit": "Safe exit",
        "finished": "The story has ended",
        "channels": "If something like this ever happens to you",
        "undo": "Back one step",
        "restart": "Play again",
        "ending": "Ending",
        "kind_safe": "safe ending",
        "kind_mixed": "mixed ending",
        "kind_bad": "bad ending",
        "flags_walked": "Red flags you walked into",
        "exits_passed": "Safe exits you passed by",
        "none": "None.",
        "content_note": "Before you start",
        "recap": "The story so far",
        "start": "Start",
        "choices": "Your choices",
        "error": "Something went wrong. Try again.",
        "serve_loading": "Starting your game…",
        "serve_ended": "This session has ended.",
        "serve_restart": "Start again",
        "serve_full": "The class is full: {n} sessions are open, the most this server allows. Please wait for a "
        "place to free up, or ask your teacher.",
        "serve_full_one": "The class is full: 1 session is open, the most this server allows. Please wait for it "
        "to end, or ask your teacher.",
    },
    "zh": {
        "app_title": "十字路口",
        "language_switch": "English",
        "join_heading": "加入课堂",
        "join_help": "请输入老师屏幕上显示的房间码。",
        "room_code": "房间码",
        "join": "加入",
        "joining": "正在加入……",
        "bad_code": "房间码不对。请看一下老师的屏幕，再试一次。",
        "room_full": "课堂人数已满，请问问老师。",
        "connection_lost": "连接中断，正在重新连接……",
        "waiting": "请等老师开启下一轮投票。",
        "question": "问题",
        "vote_for": "投给第 {n} 项",
        "your_vote": "你投给了第 {n} 项。老师结束投票之前，你都可以改票。",
        "vote_sent": "已投票。",
        "vote_closed": "投票已结束。",
        "vote_refused": "这一票没有计入：全班已经进入下一步了。",
        "result": "全班的选择",
        "votes_one": "{n} 票",
        "votes_other": "{n} 票",
        "red_flag": "危险信号",
        "safe_exit": "安全出口",
        "finished": "故事结束了",
        "channels": "如果你真的遇到类似的事",
        "undo": "返回上一步",
        "restart": "再玩一次",
        "ending": "结局",
        "kind_safe": "安全结局",
        "kind_mixed": "得失参半的结局",
        "kind_bad": "糟糕的结局",
        "flags_walked": "你踩中的危险信号",
        "exits_passed": "你错过的安全出口",
        "none": "无。",
        "content_note": "开始之前",
        "recap": "前情提要",
        "start": "开始",
        "choices": "你的选择",
        "error": "出了点问题，请再试一次。",
        "serve_loading": "正在打开你的游戏……",
        "serve_ended": "本次会话已结束。",
        "serve_restart": "重新开始",
        "serve_full": "课堂已满：已经打开了 {n} 个会话，这是本服务器的上限。请稍等有人退出，或者问问老师。",
        "serve_full_one": "课堂已满：已经打开了 {n} 个会话，这是本服务器的上限。请稍等有人退出，或者问问老师。",
    },
}
LANGUAGES = tuple(STRINGS)


def strings_for(lang: object) -> dict[str, str]:
    """The table for ``lang`` (English when it is not a supported language)."""
    return STRINGS.get(lang if isinstance(lang, str) else "en", STRINGS["en"])


def text(lang: object, key: str, n: int | None = None) -> str:
    """One string of the table in ``lang``, with ``{n}`` filled (the ``_one`` form when ``n`` is 1)."""
    table = strings_for(lang)
    value = (n == 1 and table.get(f"{key}_one")) or table[key]
    return value.replace("{n}", str(n)) if n is not None else value


def pick_language(accept_language: str | None) -> str:
    """The supported language a browser prefers, from its ``Accept-Language`` header (English by default)."""
    if not accept_language:
        return "en"
    for part in accept_language.split(",")[:16]:
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"
