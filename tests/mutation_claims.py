# ruff: noqa: E501  (the mutants are exact source lines)
"""Mutation check of the claims layer (issue 17): does a broken threshold or a broken
missing-data guard make the claims unit tests (tests/test_claims*.py) fail?

Mutants: every threshold a family module declares (each ``Band(...)`` of
``judging/claims_<family>.py``, read by the claim's statement and its evaluator alike) has its
side flipped (``upper=`` <-> ``lower=``; a two-sided band has its bounds exchanged); the verdict
logic of :class:`~wideopt.analysis.judging.outcome.Check` and the claim's combination are
inverted or loosened; every missing/non-finite guard of the fitting helpers is removed.
Each mutant is written over the source, the claims tests run against it, and the source is
restored. Not collected by pytest (no ``test_`` prefix); run by hand:

    python tests/mutation_claims.py   # one line per mutant and the test that kills it;
                                      # exits 1 if any survives

A bound typed outside a ``Band`` in a family module (a threshold not declared) is reported as
``UNDECLARED`` and counts as a survivor.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "wideopt" / "analysis"
FAMILY_MODULES = sorted((PKG / "judging").glob("claims_*.py"))
TESTS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_claims*.py"))

# (file under PKG, exact text, replacement, label) — guards and verdict logic, by hand.
HAND = [
    ("judging/outcome.py", "        if e.diverged:\n            return \"fail\"\n", "",
     "Check: divergence no longer fails"),
    ("judging/outcome.py", "if inside and not e.missing:", "if inside:",
     "Check: missing evidence may pass"),
    ("judging/outcome.py", "if hi < self.lower or lo > self.upper:", "if hi < self.lower and lo > self.upper:",
     "Check: fail only when outside both bounds"),
    ("judging/outcome.py", "inside = lo >= self.lower and hi <= self.upper",
     "inside = self.lower <= e.value <= self.upper", "Check: judge the point, not the interval"),
    ("judging/outcome.py", "if \"fail\" in verdicts:\n        return \"fail\"",
     "if verdicts.count(\"fail\") == len(verdicts):\n        return \"fail\"",
     "claim: fails only if every group fails"),
    ("judging/outcome.py", "return \"pass\" if all(v == \"pass\" for v in verdicts) else \"inconclusive\"",
     "return \"pass\" if any(v == \"pass\" for v in verdicts) else \"inconclusive\"",
     "claim: passes if any group passes"),
    ("fits.py", "    return missing, nonfinite\n", "    return (), ()\n",
     "evidence_gaps: reports nothing"),
    ("fits.py", "    return missing + nonfinite, ()\n", "    return (), ()\n",
     "evidence_gaps (nan as missing): reports nothing"),
    ("fits.py", "    missing = tuple(label(t if isinstance(t, tuple) else (t,)) for t in "
     "grid.difference(present))", "    missing = ()", "evidence_gaps: absent cells ignored"),
    ("fits.py", "    nonfinite = tuple(label(tuple(r)) for r in bad[keys].itertuples(index=False))",
     "    nonfinite = ()", "evidence_gaps: non-finite cells ignored"),
    ("fits.py", "    half = _t_quantile(len(ok) - 2) * fit.stderr", "    half = 0.0",
     "slope_estimate: no interval"),
    ("fits.py", "    return Estimate(rho, float(min(per_seed)), float(max(per_seed)), \"seed range\", missing,",
     "    return Estimate(rho, rho, rho, \"seed range\", missing,", "rank_estimate: no interval"),
    ("fits.py", "    return Estimate(float(v.mean()), float(v.min()), float(v.max()), \"seed range\", missing,",
     "    return Estimate(float(v.mean()), float(v.mean()), float(v.mean()), \"seed range\", missing,",
     "seed_range: no interval"),
    ("judging/claims_operators.py", "        if g.empty:\n            checks.append(Check.absent(label, quantity))\n"
     "            parts.append(f\"{label}: not run\")\n            continue\n",
     "        if g.empty:\n            continue\n", "A1/A3/A4: absent group dropped"),
    ("judging/claims_ntk.py", "        if sub.empty:\n            checks.append(", "        if sub.empty:\n            continue\n            checks.append(",
     "D: absent activation dropped"),
    ("judging/claims_pinn.py", "            checks.append(Check.absent(prob, \"NGD / best other\"))\n",
     "", "C1: absent problem dropped"),
    ("judging/claims_pinn.py", "            checks.append(Check.absent(prob, \"NGD error / paper\"))\n",
     "", "C2: absent problem dropped"),
    ("judging/claims_pinn.py", "            checks.append(Check.absent(f\"NGD lr={lr:g}\", \"fraction converged\"))\n",
     "", "C3: absent lr dropped"),
    ("judging/claims_sobolev.py", "            checks.append(Check.absent(f\"alpha={alpha:g}\", \"classical - network slope\"))\n",
     "", "B5: absent alpha dropped"),
    ("judging/claims_operators.py", "            checks.append(Check.absent(label, \"e*/E\"))\n", "",
     "A2: absent group dropped"),
    ("judging/claims_sobolev.py", "    if column not in runs:", "    if False:",
     "B3: unmeasured column not flagged"),
]


BAND = re.compile(r"\bBand\(([^()]*)\)")
BOUND = re.compile(r"\b(upper|lower)=")


def _flip(m: re.Match) -> str:
    return "lower=" if m.group(1) == "upper" else "upper="


def threshold_mutants():
    """Flip the side of every declared threshold (``Band(upper=x)`` <-> ``Band(lower=x)``); a
    band holding both bounds gets one mutant that exchanges them (flipping one alone would
    repeat a keyword: a syntax error, not a test of the claim)."""
    for f in FAMILY_MODULES:
        name = str(f.relative_to(PKG))
        text = f.read_text()
        pos = 0
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            for band in BAND.finditer(line):
                a, b = pos + band.start(1), pos + band.end(1)
                args = band.group(1)
                found = list(BOUND.finditer(args))
                if len({m.group(1) for m in found}) == 2:
                    yield (name, a, b, BOUND.sub(_flip, args),
                           f"{name}:{number} {band.group(0)}: bounds exchanged")
                else:
                    for m in found:
                        yield (name, a + m.start(), a + m.end(), _flip(m),
                               f"{name}:{number} {band.group(0)}: {m.group(0)} -> {_flip(m)}")
            pos += len(line)


def undeclared_thresholds() -> list[str]:
    """Bounds typed in a family module outside a ``Band(...)`` (e.g. ``Check(..., upper=0.5)``):
    thresholds the statement cannot show and this tool would not mutate."""
    out = []
    for f in FAMILY_MODULES:
        for number, line in enumerate(f.read_text().splitlines(), start=1):
            if BOUND.search(BAND.sub("", line)):
                out.append(f"{f.relative_to(PKG)}:{number}: {line.strip()}")
    return out


def failing_test() -> str | None:
    """The first claims test that fails against the current source (None: all pass)."""
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                        "-rfE", *TESTS], cwd=ROOT, capture_output=True, text=True)
    if r.returncode == 0:
        return None
    failed = re.search(r"^(?:FAILED|ERROR) (\S+)", r.stdout, re.M)
    return failed.group(1).split("::", 1)[-1] if failed else f"pytest exit {r.returncode}"


def main() -> int:
    survivors, n = [], 0
    mutants = []
    for where in undeclared_thresholds():
        print(f"UNDECLARED threshold (not a Band): {where}")
        survivors.append(where)
    for name, old, new, label in HAND:
        path = PKG / name
        text = path.read_text()
        if text.count(old) != 1:
            print(f"STALE  {label}: text not found once in {name}")
            survivors.append(label)
            continue
        mutants.append((path, text, text.replace(old, new), label))
    for name, a, b, new, label in threshold_mutants():
        path = PKG / name
        text = path.read_text()
        mutants.append((path, text, text[:a] + new + text[b:], label))
    for path, original, mutated, label in mutants:
        n += 1
        path.write_text(mutated)
        try:
            killer = failing_test()
        finally:
            path.write_text(original)
        print(f"killed   {label}  <- {killer}" if killer else f"SURVIVED {label}", flush=True)
        if not killer:
            survivors.append(label)
    print(f"{n - len(survivors)}/{n} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
