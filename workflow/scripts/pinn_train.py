"""Snakemake wrapper: PINN sweeps through Lightning (wideopt.training.pinn.module.sweep), each a
base configuration under its variants and every seed on one collocation set; tidy ``dataset,
<override columns>, optimizer, seed, step, metric, value``. ``params.sweeps``: [dict(dataset,
base, variants)]; ``input.data``: the sets' files, in the order their names first appear."""

import pandas as pd

from wideopt.data.pinn_problems import Collocation
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.pinn.module import sweep

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    names = list(dict.fromkeys(s["dataset"] for s in p.sweeps))
    paths = dict(zip(names, smk.input.data, strict=True))
    frames = []
    for s in p.sweeps:
        colloc = Collocation.from_arrays(read_npz(paths[s["dataset"]])[0])
        df = sweep(dict(s["base"]), [dict(v) for v in s["variants"]], list(p.seeds), colloc)
        frames.append(df.assign(dataset=s["dataset"]))
    out = pd.concat(frames, ignore_index=True)
    write_csv(out[["dataset", *(c for c in out.columns if c != "dataset")]], smk.output[0])
