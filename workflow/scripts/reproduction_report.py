"""Snakemake wrapper: write the reproduction report (docs/reproduction.md) from the scorecard,
the figures folder, the configuration's comments, workflow/report/sources.yaml and the
summary's prose workflow/report/summary.yaml (see wideopt.analysis.publishing.reproduction)."""

import os
from pathlib import Path

import yaml

from wideopt.analysis.publishing.reproduction import report_markdown
from wideopt.io import write_text
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    figures = Path(smk.params.figures_dir)
    # Links in the report point from its own folder to the figures folder.
    prefix = Path(os.path.relpath(figures, Path(smk.output.md).parent)).as_posix() + "/"
    sources = yaml.safe_load(Path(smk.input.sources).read_text())
    summary_file = getattr(smk.input, "summary", None)  # the summary's prose (no numbers)
    summary = yaml.safe_load(Path(summary_file).read_text()) if summary_file else None
    # The changes since the last published run: only where this scale has the comparison.
    changes = ((Path(smk.input.changes[0]),
                yaml.safe_load(Path(smk.input.changes_notes).read_text()) or {})
               if getattr(smk.input, "changes", None) else None)
    text = report_markdown(figures, Path(smk.input.config).read_text(), sources,
                           link_prefix=prefix, card=Path(smk.input.card), summary=summary,
                           first_statements=Path(smk.input.first), changes=changes)
    write_text(text, smk.output.md)
