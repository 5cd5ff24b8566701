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

    def of(self, table) -> dict:
        """The answers for ``table`` (the object itself, not its content)."""
        if self.table is not table or len(self.answers) >= self.limit:
            self.table, self.answers = table, {}
        return self.answers
