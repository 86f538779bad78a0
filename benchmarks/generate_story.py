"""Generate large, valid, deterministic stories for the benchmarks (never used by the tests' pass/fail).

``python -m benchmarks.generate_story N OUT_DIR [--vars K] [--seed S]`` writes ``OUT_DIR/story.yaml`` with N
scenes in two languages: a few int and bool variables, red-flag and safe-exit tags, scenes with two or three
choices (some conditional, some with effects), text blocks with conditions, and about one ending in twenty.
Scene ``i`` links forward to ``i+1`` and a pseudo-random later scene, so every scene is reachable.

``explore_story(K, depth)`` builds a small story whose state space is large: K bounded int variables that
choices raise and lower in a ring of scenes, for measuring the explorer's states per second.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

KINDS = ("safe", "mixed", "bad")


def story_text(scenes: int, int_vars: int = 3, seed: int = 1) -> str:
    """The YAML text of a generated story with ``scenes`` scenes."""
    rng = random.Random(seed)
    out = [
        "# yaml-language-server: $schema=../../game/schema/story-v1.schema.json",
        "crossroads: 1",
        f"id: generated-{scenes}",
        "title: {en: Generated story, zh: 生成的故事}",
        "languages: [en, zh]",
        "start: s0",
        "vars:",
    ]
    for k in range(int_vars):
        out.append(f"  v{k}: {{type: int, default: 0, min: 0, max: 9, label: {{en: Var {k}, zh: 变量{k}}}}}")
    out.append("  flag: false")
    out += [
        "tags:",
        "  rf: {kind: red-flag, title: {en: Red flag, zh: 危险信号}, explain: {en: Why it matters, zh: 为什么重要}}",
        "  exit: {kind: safe-exit, title: {en: Safe exit, zh: 安全出口}}",
        "scenes:",
    ]
    for i in range(scenes):
        out.append(f"  s{i}:")
        out.append(f"    title: {{en: 'Scene {i}', zh: '场景 {i}'}}")
        is_ending = i == scenes - 1 or (i > 0 and i % 20 == 0)
        out.append("    text:")
        out.append(f"      - en: 'You are in scene {i}. Variable v0 is {{v0}}.'")
        out.append(f"        zh: '你在场景 {i}。变量 v0 是 {{v0}}。'")
        out.append("      - if: 'flag'")
        out.append("        en: 'Something feels off.'")
        out.append("        zh: '有些不对劲。'")
        if is_ending:
            kind = KINDS[i % 3]
            out.append(f"    ending: {{kind: {kind}, title: {{en: 'Ending {i}', zh: '结局 {i}'}}}}")
            continue
        targets = [i + 1, min(scenes - 1, i + 1 + rng.randrange(1, 40))]
        if rng.random() < 0.5:
            targets.append(min(scenes - 1, i + 2))
        out.append("    choices:")
        for n, target in enumerate(targets):
            var = f"v{rng.randrange(int_vars)}"
            out.append(f"      - say: {{en: 'Option {n} of scene {i}', zh: '场景 {i} 的选项 {n}'}}")
            out.append(f"        go: s{target}")
            if n == 1:
                out.append(f"        if: '{var} < 8 or flag'")
                out.append(f"        set: {{{var}: '{var} + 1'}}")
                out.append("        tags: [rf]")
            elif n == 2:
                out.append("        set: {flag: 'not flag'}")
                out.append("        tags: [exit]")
    return "\n".join(out) + "\n"


def write_story(scenes: int, folder: Path, int_vars: int = 3, seed: int = 1) -> Path:
    """Write a generated story to ``folder/story.yaml`` and return that path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "story.yaml"
    path.write_text(story_text(scenes, int_vars, seed), encoding="utf-8")
    return path


def explore_story(int_vars: int = 4, maximum: int = 5, ring: int = 6) -> str:
    """A story with a large state space: ``int_vars`` ints in [0, maximum] moved by choices in a ring of scenes."""
    out = ["crossroads: 1", "id: explore-bench", "title: Explore benchmark", "start: r0", "vars:"]
    for k in range(int_vars):
        out.append(f"  x{k}: {{type: int, default: 0, min: 0, max: {maximum}}}")
    out.append("scenes:")
    for r in range(ring):
        nxt = (r + 1) % ring
        out += [f"  r{r}:", f"    title: Ring {r}", "    choices:"]
        for k in range(int_vars):
            out += [f"      - say: Raise x{k}", f"        go: r{nxt}", f"        set: {{x{k}: 'x{k} + 1'}}"]
        k = r % int_vars
        out += [f"      - say: Lower x{k}", f"        go: r{nxt}", f"        set: {{x{k}: 'x{k} - 1'}}"]
        out += [
            "      - say: Leave",
            "        go: done",
            f"        if: '{' + '.join(f'x{k}' for k in range(int_vars))} >= {maximum * int_vars - 1}'",
        ]
    out += ["  done:", "    title: Done", "    ending: {kind: safe, title: Done}"]
    return "\n".join(out) + "\n"


def main() -> None:
    """Command line: write one generated story."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--vars", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(write_story(args.scenes, args.out, args.vars, args.seed))


if __name__ == "__main__":
    main()
