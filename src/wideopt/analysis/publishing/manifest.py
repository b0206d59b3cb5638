"""SHA-256 manifest of a scale's published files: ``<root>/figures/MANIFEST.sha256``.

The published files of an output root (``.`` at paper scale, ``quick/``, ...) are those the
repository tracks at paper scale (README.md, "Publishing"; ``.gitignore``): every file in
``figures/`` (figures, summary tables, the scorecard, ``PROVENANCE.md``), the tidy tables
``results/<family>/*.csv``, ``results/claims/inputs.json``, the run ledger
``results/runs.csv`` and the reproduction report ``docs/reproduction.md``; the manifest itself
excepted. The `manifest` rule (``workflow/rules/publish.smk``) writes it after all of them, so
it is the last file a run writes.

Format: one line per file, ``<sha256 hex>  <path relative to the root>``, sorted by path: the
format of ``sha256sum``, so ``cd <root> && sha256sum -c figures/MANIFEST.sha256`` checks it
too. :func:`verify` names every file that differs from it, is missing, or is published but
not listed (a figure edited by hand, or left stale by a partial republish).

    python -m wideopt.analysis.publishing.manifest ROOT          # writes the manifest
    python -m wideopt.analysis.publishing.manifest ROOT --check  # exit 1 naming each mismatch
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

MANIFEST = "figures/MANIFEST.sha256"
PUBLISHED = ("figures/*", "results/*/*.csv", "results/claims/inputs.json", "results/runs.csv",
             "docs/reproduction.md")


def published_files(root: str | Path) -> list[str]:
    """The published files under ``root`` (module doc), as sorted POSIX paths relative to it."""
    root = Path(root)
    found = {p.relative_to(root).as_posix() for pat in PUBLISHED for p in root.glob(pat)
             if p.is_file() and not p.name.startswith(".")}
    return sorted(found - {MANIFEST})


def sha256(path: str | Path) -> str:
    """SHA-256 (hex) of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest_text(root: str | Path) -> str:
    """The manifest of ``root``'s published files (module doc)."""
    return "".join(f"{sha256(Path(root) / rel)}  {rel}\n" for rel in published_files(root))


def parse(text: str) -> dict[str, str]:
    """``{path: sha256}`` of a manifest's text."""
    out = {}
    for n, line in enumerate(text.splitlines(), 1):
        digest, sep, rel = line.partition("  ")
        if not sep or len(digest) != 64:
            raise ValueError(f"{MANIFEST} line {n} is not '<sha256>  <path>': {line!r}")
        out[rel] = digest
    return out


def verify(root: str | Path) -> list[str]:
    """Every disagreement between ``root``'s manifest and its files, each naming the file:
    changed (hash differs), missing (listed, absent) or unlisted (published, not listed)."""
    root = Path(root)
    path = root / MANIFEST
    if not path.is_file():
        return [f"{MANIFEST}: missing (the `manifest` rule writes it last)"]
    listed = parse(path.read_text())
    problems = []
    for rel, digest in listed.items():
        if not (root / rel).is_file():
            problems.append(f"{rel}: listed in {MANIFEST} but missing")
        elif sha256(root / rel) != digest:
            problems.append(f"{rel}: changed since {MANIFEST} was written (SHA-256 differs)")
    problems += [f"{rel}: published but not in {MANIFEST}" for rel in published_files(root)
                 if rel not in listed]
    return problems


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    roots = [a for a in args if a != "--check"] or ["."]
    if len(roots) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(roots[0])
    if check:
        problems = verify(root)
        print("\n".join(problems) if problems else f"{root / MANIFEST}: every file matches")
        return 1 if problems else 0
    from wideopt.io import write_text

    write_text(manifest_text(root), root / MANIFEST)
    return 0


if __name__ == "__main__":
    sys.exit(main())
