"""Markdown tables that render the same everywhere (GitHub, GitLab, pandoc, markdown-it).

GitHub splits a table row at every ``|`` that is not escaped by a backslash, inside code spans
too, so a cell's own ``|`` (a norm ``||x||``, an alternative "a | b") shifts every cell after
it. Every Markdown table the package writes goes through :func:`table`, whose cells go through
:func:`cell`:

- one line (whitespace runs become one space), empty shown as ``–``;
- a norm written ``||x||`` becomes ``‖x‖`` (U+2016; a reader sees the norm, not two bars);
- every remaining ``|`` is escaped as ``\\|``.

:func:`split_row` splits a row as GitHub does; ``tests/test_markdown_tables.py`` uses it to
check every committed table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

EMPTY = "–"  # an empty cell: nothing to show (not run, no such value)
_ALIGN = {"left": ":---", "right": "---:", "center": ":---:", None: "---"}


def norms(text: str) -> str:
    """``||x||`` -> ``‖x‖``: every double bar (the ASCII norm) becomes U+2016."""
    return text.replace("||", "‖")


def cell(value) -> str:
    """One Markdown table cell: one line, norms as ``‖·‖``, ``|`` escaped, empty as ``–``."""
    s = " ".join(str("" if value is None else value).split())
    if not s:
        return EMPTY
    return re.sub(r"(?<!\\)\|", r"\\|", norms(s))


def table(header: Sequence, rows: Sequence[Sequence], align: Sequence[str | None] | None = None,
          ) -> str:
    """A pipe table: ``header`` cells, ``rows`` (each as long as the header), optional
    ``align`` per column (``"left"``, ``"right"``, ``"center"`` or None). Cells through
    :func:`cell`. Ends without a newline."""
    n = len(header)
    align = list(align) if align is not None else [None] * n
    if len(align) != n:
        raise ValueError(f"align has {len(align)} entries for {n} columns")
    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join(_ALIGN[a] for a in align) + "|"]
    for i, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"row {i} has {len(row)} cells for {n} columns: {list(row)}")
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return "\n".join(lines)


def split_row(line: str) -> list[str]:
    """The cells of one table row as GitHub splits it: at every ``|`` not preceded by a
    backslash (code spans included), one leading and one trailing pipe dropped; cells
    stripped."""
    s = line.strip()
    parts = re.split(r"(?<!\\)\|", s)
    if s.startswith("|"):
        parts = parts[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        parts = parts[:-1]
    return [p.strip() for p in parts]
