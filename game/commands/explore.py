"""``crossroads explore PATH [--json] [--max-states N] [--random N --seed S]``: test every path of a story.

Without ``--random``, searches every reachable state and reports endings (with a shortest choice sequence),
scenes never reached, choices never available, softlocks, loops with no way out and variable ranges, then
times each declared lesson (:mod:`game.analysis.lesson`: shortest and longest path per language, with the
arithmetic and the choices). When
the state space is larger than ``--max-states`` it says so and falls back to random playthroughs. With
``--random N`` it plays N reproducible random playthroughs instead. Exit 0 clean, 1 when the story has
errors (or explore finds softlocks, unreachable endings, endless loops), 2 when it could not run.
"""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``explore`` sub-command."""
    parser = subparsers.add_parser(
        "explore",
        help="test every path of a story (or N random ones)",
        description="Explore every reachable state of a story: endings, softlocks, loops, dead content. "
        "Exit 0 clean, 1 errors found, 2 could not run.",
    )
    parser.add_argument("path", metavar="PATH", help="story.yaml or a story folder")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--max-states", type=_positive, default=None, metavar="N", help="cap on distinct states (default 100000)"
    )
    parser.add_argument("--random", type=_positive, default=None, metavar="N", help="play N random playthroughs")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="seed for --random (default 0)")
    parser.add_argument("--max-steps", type=_positive, default=None, metavar="N", help="step guard for --random")
    parser.add_argument("--lang", metavar="L", help="language for choice texts in the report")
    parser.set_defaults(run=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def run(args: argparse.Namespace) -> int:
    """Load the story, explore it, print the report; see the module docstring for exit codes."""
    from game.analysis.explore import DEFAULT_MAX_STATES, explore
    from game.analysis.lesson import time_lessons
    from game.analysis.randomtest import DEFAULT_RUNS, random_playtest
    from game.commands.storyarg import load_for_command

    story, code = load_for_command(args.path)
    if story is None:
        return code
    reports = []
    failed = False
    if args.random is None:
        report = explore(story, args.max_states or DEFAULT_MAX_STATES, args.lang)
        reports.append(report)
        failed = bool(report.errors)
        if not report.complete:
            if not args.json:
                print(
                    f"crossroads: the state space of '{story.id}' is larger than {report.max_states:,} states; "
                    f"falling back to {DEFAULT_RUNS:,} random playthroughs (seed {args.seed})",
                    file=sys.stderr,
                )
            sample = random_playtest(story, DEFAULT_RUNS, args.seed, args.max_steps)
            reports.append(sample)
            failed = failed or bool(sample.errors)
    else:
        sample = random_playtest(story, args.random, args.seed, args.max_steps)
        reports.append(sample)
        failed = bool(sample.errors)
    timings = time_lessons(story, args.max_states or DEFAULT_MAX_STATES)
    failed = failed or any(f.is_error for timing in timings for f in timing.findings)
    if args.json:
        body = reports[0].to_json()
        if len(reports) > 1:
            body["fallback"] = reports[1].to_json()
        body["lessons"] = [timing.to_json() for timing in timings]
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        sections = [r.to_text(args.lang) for r in reports]
        for timing in timings:
            findings = [str(f) for f in timing.findings]
            sections.append("\n".join([*findings, timing.to_text(args.lang)]))
        print("\n\n".join(sections))
    return 1 if failed else 0
