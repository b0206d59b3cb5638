"""Section C's search tables' planning (issue 24, ours): the NGD solver search
(``pinn_ngd_solver``) and the L-BFGS budget table (``pinn_lbfgs_budget``), as sweeps in
``pinn_train``'s format ([dict(dataset, base, variants)]). Torch-free, from the config dict."""

from __future__ import annotations

from wideopt.plan import pinn as pinn_plan


def search_variants(config: dict, problem: str) -> list[dict]:
    """The solver variants one problem's search job trains (pinn_train's overrides, every key
    in every variant so the columns are uniform): Cholesky at each damping, lstsq at each
    rcond, pinv, at each searched lr; one ENGD line-search run. The Cholesky cells at the
    tables' lr whose damping the damping table has are read from it, not trained again."""
    P = config["pinn"]
    search = P["solver_search"]
    main_lr = pinn_plan.lr(P["optimizers"]["NGD"]["lr"])
    reused = {float(d) for d in P["damping_ablation"]["dampings"]}
    reused.add(float(P["ngd_solver"]["damping"]))  # the damping table's main-run cell

    def v(lr, mode, damping=0.0, rcond=None, line_search=0):
        return {"lr": pinn_plan.lr(lr), "ngd.mode": mode, "ngd.damping": float(damping),
                "ngd.rcond": rcond, "ngd.line_search": int(line_search)}

    out = []
    for lr in search["lrs"][problem]:
        out += [v(lr, "cholesky", d) for d in search["dampings"]
                if not (pinn_plan.lr(lr) == main_lr and float(d) in reused)]
        out += [v(lr, "lstsq", rcond=float(rc)) for rc in search["rconds"]]
        out += [v(lr, "pinv")] if search["pinv"] else []
    if search["line_search"]:
        out.append(v(1.0, "pinv", line_search=search["line_search"]))
    return out


def search_sweep(config: dict, problem: str) -> list[dict]:
    """The search job of one problem: NGD at the tables' width, every variant."""
    base = dict(pinn_plan.base(config, problem, "NGD"), width=int(config["pinn"]["width"]))
    return [dict(dataset=problem, base=base, variants=search_variants(config, problem))]


def lbfgs_sweep(config: dict) -> list[dict]:
    """L-BFGS on the budget table's problem at every iteration count but the config's own
    (that cell is the optimizer table's run, read rather than trained again)."""
    P = config["pinn"]
    p = P["lbfgs_budget"]["problem"]
    main = int(P["optimizers"]["LBFGS"]["iterations"])
    base = dict(pinn_plan.base(config, p, "LBFGS"), width=int(P["width"]),
                lr=pinn_plan.lr(P["optimizers"]["LBFGS"]["lr"]))
    return [dict(dataset=p, base=base, variants=[{"steps": int(k)} for k in
                                                 P["lbfgs_budget"]["iterations"]
                                                 if int(k) != main])]
