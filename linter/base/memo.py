"""Answers a rule or a vocabulary remembers across records (a keyword, a
caption's word), for the table they were worked out with."""

from __future__ import annotations


class TableMemo:
    """Answers worked out with one table: forgotten when asked for with
    another (a run configured with other reference data), and when ``limit``
    are held (a long run's memory stays bounded)."""

    __slots__ = ("table", "answers", "limit")

    def __init__(self, limit: int):
        self.table: object = None
        self.answers: dict = {}
        self.limit = limit

    def of(self, table, *more) -> dict:
        """The answers for ``table`` (the object itself, not its content),
        and for the ``more`` tables they also depend on."""
        if more:
            held = self.table
            if not (
                type(held) is _Tables
                and held[0] is table
                and len(held) == len(more) + 1
                and all(a is b for a, b in zip(held[1:], more))
            ):
                self.table, self.answers = _Tables((table, *more)), {}
        elif self.table is not table:
            self.table, self.answers = table, {}
        if len(self.answers) >= self.limit:
            self.answers = {}
        return self.answers


class _Tables(tuple):
    """The tables one memo's answers depend on (told apart from a table
    that is itself a tuple)."""

    __slots__ = ()
