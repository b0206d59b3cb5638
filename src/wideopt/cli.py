"""The ``wideopt`` command: ``wideopt <command> [args]``; each command's module is imported
only when it runs, so the command line stays torch-free and starts fast.

- ``wideopt compare A B``: compare two runs' records
  (:mod:`wideopt.analysis.publishing.compare`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

COMMANDS = {
    "compare": ("wideopt.analysis.publishing.compare",
                "compare two runs' records (an output root or a git commit)"),
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        names = "\n".join(f"  {k:10s} {doc}" for k, (_, doc) in COMMANDS.items())
        print(f"usage: wideopt <command> [args]\n\ncommands:\n{names}",
              file=sys.stdout if argv[:1] in (["-h"], ["--help"]) else sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    return importlib.import_module(COMMANDS[argv[0]][0]).main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
