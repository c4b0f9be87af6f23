"""Measure the vision drafter on the value sets in evals/data/vision_values.jsonl.

    python -m evals.vision [--data FILE] [--show]

For every set it drafts a vision (statement + alternatives) twice and reports:

- coverage: share of stated values that each draft names, by a check of its own (not the
  drafter's `values_covered`): every content word of the value must appear in the draft,
  as it is, as the start of a derived word ("fit" ~ "fitness", "give" ~ "giving"), or
  sharing a stem of five letters ("curious" ~ "curiosity");
- shape: share of drafts of 20-60 words and of 1-3 sentences;
- flags: leftover placeholders ({...}, [...], None, __), doubled words ("the the"), and
  simple grammar slips (a/an before the wrong sound, a lowercase sentence start, a space
  before punctuation, doubled punctuation, a draft not ending in a full stop), an
  aspiration's lead-in left in the draft ("I aim to I'd like to", "to in ten years") and a
  broken -ing form ("ining", "runing");
- distinct: distinct statements across sets (of the sets);
- determinism: sets whose second draft equals the first (ids and times aside).

--show prints every draft with its flags.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from agent.vision import draft_vision

DATA = Path(__file__).parent / "data" / "vision_values.jsonl"
STOPWORDS = {"a", "an", "the", "my", "our", "of", "for", "with", "to", "and", "in", "on", "at",
             "i", "me", "being", "up", "that", "it"}
WORD = re.compile(r"[a-z0-9]+")
LEAD_IN = re.compile(
    r"\b(?:to|toward|myself)\s+(?:i|i'd|i'll|we|in|within|someday|one day|my (?:dream|goal) is)\b"
    r"|\bI\s+(?:aim|mean|want|intend|see myself|am working toward)\s+(?:to\s+)?I\b"
    r"|\b(?:I'd like|I would like|I'd love|I would love|I hope|my dream is) to\b",
    re.IGNORECASE,
)
"""What an aspiration said in words leaves behind when its lead-in is woven in as it is."""
BROKEN_GERUND = re.compile(
    r"\b(?:in|on|at|to|the|a|an|my|our|of)ing\b|\b\w+inging\b"
    r"|\b(?:run|get|put|set|sit|stop|plan|win|begin|swim|shop|quit)ing\b|\b\w+[^aeiouy]eing\b",
    re.IGNORECASE,
)
"""-ing forms no verb has: "ining", "runing", "makeing"."""


def _content_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]


def _prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _matches(value_word: str, draft_word: str) -> bool:
    if value_word == draft_word:
        return True
    # A derived form: "fit" -> "fitness", "give" -> "giving", "kind" -> "kindness".
    base = value_word[:-1] if value_word.endswith("e") and len(value_word) > 3 else value_word
    if len(base) >= 3 and draft_word.startswith(base):
        return True
    shared = _prefix(value_word, draft_word)
    return shared >= 4 and shared >= min(len(value_word), len(draft_word), 5)


def names(draft: str, value: str) -> bool:
    """Every content word of the value appears in the draft, up to a shared stem."""
    words = WORD.findall(draft.lower())
    return all(any(_matches(v, w) for w in words) for v in _content_words(value))


def flags(draft: str) -> list[str]:
    """Placeholders, doubled words and simple grammar slips found in a draft."""
    found = []
    if re.search(r"[{}\[\]<>]|\bNone\b|__|\bnull\b", draft):
        found.append("placeholder")
    doubled = re.search(r"\b(\w+)\s+\1\b", draft, re.IGNORECASE)
    if doubled:
        found.append(f"doubled:{doubled.group(1)}")
    for art, word in re.findall(r"\b(a|an)\s+([A-Za-z][\w-]*)", draft, re.IGNORECASE):
        w = word.lower()
        vowel_sound = (w[0] in "aeiou" and not w.startswith(("uni", "use", "usu", "eu", "one")))
        vowel_sound = vowel_sound or w.startswith(("honest", "honou", "honor", "hour", "heir"))
        if (art.lower() == "a") == vowel_sound:
            found.append(f"article:{art} {word}")
    lead_in = LEAD_IN.search(draft)
    if lead_in:
        found.append(f"lead-in:{lead_in.group(0)}")
    broken = BROKEN_GERUND.search(draft)
    if broken:
        found.append(f"broken-gerund:{broken.group(0)}")
    if re.search(r"\s[,.;:!?]", draft):
        found.append("space-before-punctuation")
    if re.search(r"[,.;:]{2,}", draft.replace("...", "")):
        found.append("doubled-punctuation")
    for sentence in re.split(r"(?<=[.!?])\s+", draft.strip()):
        if sentence and not sentence[0].isupper():
            found.append("lowercase-start")
    if not draft.rstrip().endswith((".", "!")):
        found.append("no-full-stop")
    return found


def _sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s])


def _comparable(record) -> dict:
    return record.model_dump(mode="json", exclude={"id", "created_at"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show", action="store_true", help="print every draft with its flags")
    args = parser.parse_args(argv)
    cases = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]

    values_total = values_named = 0
    statement_values = statement_named = 0
    drafts = in_words = in_sentences = flagged = 0
    flag_counts: dict[str, int] = {}
    statements: list[str] = []
    deterministic = 0
    for case in cases:
        first = draft_vision(case["values"], case.get("aspirations"), case.get("horizon_years"))
        second = draft_vision(case["values"], case.get("aspirations"), case.get("horizon_years"))
        deterministic += _comparable(first) == _comparable(second)
        statements.append(first.statement)
        for i, text in enumerate([first.statement, *first.alternatives]):
            drafts += 1
            named = [v for v in first.values if names(text, v)]
            values_total += len(first.values)
            values_named += len(named)
            if i == 0:
                statement_values += len(first.values)
                statement_named += len(named)
            words = len(text.split())
            in_words += 20 <= words <= 60
            in_sentences += 1 <= _sentences(text) <= 3
            found = flags(text)
            flagged += bool(found)
            for f in found:
                kind = f.split(":")[0]
                flag_counts[kind] = flag_counts.get(kind, 0) + 1
            if args.show:
                missing = [v for v in first.values if v not in named]
                print(f"{case['id']} {'S' if i == 0 else 'A'} {words}w {found or ''} "
                      f"{'missing ' + str(missing) if missing else ''}\n    {text}")

    n = len(cases)
    rows = [
        ("value sets", f"{n}"),
        ("drafts (statement + alternatives)", f"{drafts}"),
        ("coverage, statements", f"{statement_named / statement_values:.1%} ({statement_named}/{statement_values})"),
        ("coverage, all drafts", f"{values_named / values_total:.1%} ({values_named}/{values_total})"),
        ("drafts of 20-60 words", f"{in_words / drafts:.1%} ({in_words}/{drafts})"),
        ("drafts of 1-3 sentences", f"{in_sentences / drafts:.1%} ({in_sentences}/{drafts})"),
        ("drafts with any flag", f"{flagged} ({', '.join(f'{k} {v}' for k, v in sorted(flag_counts.items())) or 'none'})"),
        ("distinct statements", f"{len(set(statements))}/{n}"),
        ("deterministic (same input twice)", f"{deterministic}/{n}"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'metric':<{width}}  value")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
