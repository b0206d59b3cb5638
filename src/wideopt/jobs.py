"""Glue between a Snakemake job and the package: logging, threads, determinism.

Scripts under ``workflow/scripts`` call :func:`job` first thing; everything else they do is
a call into the package, which stays importable and testable without Snakemake.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator

log = logging.getLogger("wideopt")


@contextlib.contextmanager
def job(smk) -> Iterator[None]:
    """Run a Snakemake ``script:`` body with stdout/stderr sent to its ``log:`` file.

    The redirection is at the file-descriptor level, so handlers that libraries bound to the
    original stderr at import time (Lightning's) and C-level output land in the log too.
    Where the script imported ``torch`` (training and kernel jobs), sets it to the rule's
    ``threads`` and to deterministic algorithms, so that the same job run twice on the same
    machine writes identical metrics. Table, aggregation and plotting jobs never import torch
    (its import alone costs seconds of CPU per job).
    """
    logfile = smk.log[0] if len(smk.log) else None
    stream = open(logfile, "w", buffering=1) if logfile else sys.stderr  # noqa: SIM115
    old_out, old_err = sys.stdout, sys.stderr
    sys.stdout.flush()
    sys.stderr.flush()
    saved_fds = [os.dup(1), os.dup(2)] if logfile else []
    if logfile:
        os.dup2(stream.fileno(), 1)
        os.dup2(stream.fileno(), 2)
    sys.stdout = sys.stderr = stream
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=stream,
        force=True,
    )
    try:
        if "torch" in sys.modules:
            configure_torch(smk.threads)
        log.info("rule %s: threads=%s wildcards=%s", smk.rule, smk.threads, dict(smk.wildcards))
        yield
    except BaseException:
        log.exception("job failed")
        raise
    finally:
        stream.flush()
        sys.stdout, sys.stderr = old_out, old_err
        for fd, saved in zip((1, 2), saved_fds, strict=False):
            os.dup2(saved, fd)
            os.close(saved)
        if logfile:
            stream.close()


def configure_torch(threads: int) -> None:
    """Set torch's intra-op threads and deterministic algorithms (imports torch lazily).

    On CUDA, deterministic cuBLAS needs a fixed workspace (set before the first CUDA call).
    """
    import os

    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    import torch

    torch.set_num_threads(max(1, int(threads)))
    torch.use_deterministic_algorithms(True)
