"""Snakemake wrapper: evaluate every claim; write figures/claims.csv (the scorecard, with the
run's scale in a last column; rule claims_markdown renders it), results/claims/checks.csv
(every check behind it; see wideopt.analysis.judging.claims), results/claims/inputs.json
(which table each evaluator read, and its settings: what tests/test_published.py re-evaluates
the committed record from) and results/claims/first_statements.csv (the first statements of
re-specified claims judged on the same tables; claims_markdown prints them below the table)."""

from wideopt.analysis.judging.claims import checks_table, evaluate, scorecard
from wideopt.analysis.judging.first_statements import evaluate_first
from wideopt.analysis.publishing.published import inputs_record
from wideopt.io import write_csv, write_text
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    inputs = {
        fam: {k: smk.input[f"{fam}__{k}"] for k in keys} | smk.params.settings.get(fam, {})
        for fam, keys in smk.params.families.items()
    }
    outcomes = evaluate(inputs)
    card = scorecard(inputs, outcomes)
    write_csv(checks_table(outcomes), smk.output.checks)
    write_csv(card.assign(scale=smk.params.scale), smk.output.csv)
    write_csv(evaluate_first(inputs), smk.output.first)  # first statements, same data
    write_text(inputs_record(inputs, smk.params.families, smk.params.scale), smk.output.inputs)
