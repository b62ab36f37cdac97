"""Which rules can match a text at all, decided from the literal words it contains.

The pattern scanner finds the literal words of every rule in a text once (its
keyword gate). A rule whose every anchor starts with a literal word that is absent
cannot match anywhere in that text, so it is skipped before any per-anchor work.

The decision is fail-open: a rule is skipped only when each of its anchors has a
literal start the gate searches for. A rule with an anchor of no literal start
(``AKIA|ASIA``), case-sensitive anchors, or its own locator always runs, so a rule
added later is never silently dropped by this filter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from synthcheck.leaks.syntax import Rule

__all__ = ["SMALL_TEXT", "RuleFilter", "may_match", "rule_literals", "words_in"]

_MEMO = 4096  # distinct sets of present words remembered (texts of one kind share them)

# Up to this length one substring test per word beats the grouped alternation search
# (measured on the bench trees: about 2x for files of a few KiB).
SMALL_TEXT = 4096


def rule_literals(rule: Rule, literal_prefix: Callable[[str], str]) -> frozenset[str] | None:
    """The words one of which a text must contain for ``rule`` to match, or None (always run)."""
    if rule.locate is not None or rule.case_anchors or not rule.anchors:
        return None
    literals = [literal_prefix(anchor) for anchor in rule.anchors]
    if not all(literals):
        return None
    return frozenset(literals)


def may_match(literals: frozenset[str] | None, present: frozenset[str]) -> bool:
    return literals is None or not literals.isdisjoint(present)


def words_in(words: Iterable[str], low: str) -> frozenset[str]:
    """The words that occur in ``low`` (for short texts: one C-speed search each)."""
    return frozenset([word for word in words if word in low])  # a list: faster than a generator


class RuleFilter:
    """The rules (with their positions in the table) that can match, given the words present.

    A rule runs when all of its ``requires`` words are present and, unless it is
    fail-open (:func:`rule_literals` is None), one of its anchors' literal starts. The
    answer depends only on the set of words present, and files of one kind share few
    such sets, so it is remembered per set instead of tested rule by rule per text.
    """

    def __init__(self, rules: Sequence[Rule], literal_prefix: Callable[[str], str]) -> None:
        self._rules = tuple(rules)
        self._literals = [rule_literals(rule, literal_prefix) for rule in self._rules]
        self._memo: dict[frozenset[str], tuple[tuple[int, Rule], ...]] = {}

    def given(self, present: frozenset[str]) -> tuple[tuple[int, Rule], ...]:
        runnable = self._memo.get(present)
        if runnable is None:
            runnable = tuple(
                (priority, rule)
                for priority, (rule, literals) in enumerate(
                    zip(self._rules, self._literals, strict=True)
                )
                if all(word in present for word in rule.requires) and may_match(literals, present)
            )
            if len(self._memo) >= _MEMO:
                self._memo.clear()
            self._memo[present] = runnable
        return runnable
