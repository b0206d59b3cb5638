"""Section B summaries (the claims themselves: tests/test_claims.py) and import floors."""

import numpy as np
import pandas as pd
import pytest


def test_decay_summary_means_over_seeds_and_adds_theory():
    from wideopt.analysis.sobolev_summary import decay_summary

    tidy = pd.DataFrame([dict(quantity="exponent", activation="relu", d=3, seed=s, value=v)
                         for s, v in ((0, 1.4), (1, 1.6))])
    s = decay_summary(tidy).set_index("quantity")
    assert s.loc["exponent", "value"] == pytest.approx(1.5)
    assert s.loc["exponent", "std"] == pytest.approx(np.std([1.4, 1.6], ddof=1))
    assert s.loc["theory d/(d-1)", "value"] == 1.5


def test_summary_claims_and_plot_modules_do_not_import_torch():
    """Tables, claims and figures of sections B and D run in processes without torch."""
    import subprocess
    import sys

    mods = ["wideopt.analysis.sobolev_summary", "wideopt.analysis.ntk_summary",
            "wideopt.analysis.judging.claims_sobolev", "wideopt.analysis.judging.claims_ntk",
            "wideopt.analysis.fits", "wideopt.analysis.judging.claims", "wideopt.plots.sobolev",
            "wideopt.plots.ntk", "wideopt.plots.claims"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in mods) + \
        "assert 'torch' not in sys.modules, 'torch imported'\n"
    subprocess.run([sys.executable, "-c", code], check=True)
