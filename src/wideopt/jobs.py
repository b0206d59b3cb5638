"""Glue between a Snakemake job and the package: logging, threads, determinism.

Scripts under ``workflow/scripts`` call :func:`job` first thing; everything else they do is
a call into the package, which stays importable and testable without Snakemake.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

log = logging.getLogger("wideopt")


@contextlib.contextmanager
def job(smk) -> Iterator[None]:
    """Run a Snakemake ``script:`` body with stdout/stderr sent to its ``log:`` file.

    Sets ``torch`` to the rule's ``threads`` and to deterministic algorithms, so that the
    same job run twice on the same machine writes identical metrics.
    """
    logfile = smk.log[0] if len(smk.log) else None
    stream = open(logfile, "w") if logfile else sys.stderr  # noqa: SIM115
    old_out, old_err = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = stream
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=stream,
        force=True,
    )
    try:
        configure_torch(smk.threads)
        log.info("rule %s: threads=%s wildcards=%s", smk.rule, smk.threads, dict(smk.wildcards))
        yield
    except BaseException:
        log.exception("job failed")
        raise
    finally:
        sys.stdout, sys.stderr = old_out, old_err
        if logfile:
            stream.close()


def configure_torch(threads: int) -> None:
    """Set torch's intra-op threads and deterministic algorithms (imports torch lazily)."""
    import torch

    torch.set_num_threads(max(1, int(threads)))
    torch.use_deterministic_algorithms(True)
