"""Natural gradient descent for least-squares losses L = 1/2 |r(w)|^2 (seed 002, Sec. 4).

    w <- w - eta J^T (J J^T)^{-1} r,        J = dr/dw in R^{n x p}.

For p >= n (over-parameterized, the paper's setting) this is the minimum-norm Newton step of
the linearized residual: one step at eta = 1 on a linear problem J w = y lands exactly on the
solution closest to w. For p < n, J J^T (n x n) has rank <= p and is singular; the step is then
the Gauss-Newton step w <- w - eta (J^T J)^{-1} J^T r, computed from the p x p system. The two
forms are the same map by the push-through identity J^T (J J^T + d I)^{-1} = (J^T J + d I)^{-1}
J^T, so the solver always factors the smaller Gram matrix G (n x n or p x p).

Regularization. PINN Gram matrices are numerically singular (lambda_min at the float64 floor,
seed 002 reports 3.47e-11 for 1-D Poisson), so the exact inverse amplifies round-off in the
near-null directions into huge steps. We add a Levenberg-Marquardt damping
``damping * mean(diag G)`` to G always (the one regularization of every table, set in
paper.yaml). If Cholesky still fails, the smallest extra jitter that works is taken from the
ladder j = ``jitter``, 10 ``jitter``, ... up to ``max_jitter`` (times mean(diag G)); if all fail,
least squares (``torch.linalg.lstsq``, gelsd, singular-value cutoff ``rcond``) on the original
system. ``damping = 0, jitter = None`` is the unregularized solver (plain Cholesky, then least
squares); ``mode="lstsq"`` solves every step by least squares (gelsd, singular values below
``rcond`` sigma_max treated as zero); ``mode="pinv"`` applies the Moore-Penrose pseudo-inverse
d = J^+ r (the cutoff of ``torch.linalg.pinv``, max(n, p) eps sigma_max; computed by gelsd as
the minimum-norm least-squares solution, which is J^+ r), the solver the paper names.
``last_info`` records the jitter and method of the last step.

Line search (ENGD, Mueller & Zeinhofer 2023). With ``line_search = K > 0`` the step size is
not ``lr`` but, at every step, the eta of the grid {0.5^k : k = 0 .. K-1} that minimizes the
loss L(w - eta d) (:func:`line_search_lr`, the first minimizer on ties); ``step`` then needs
``loss_fn``.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def ngd_direction(jac: Tensor, r: Tensor, damping: float = 0.0, jitter: float | None = 1e-14,
                  max_jitter: float = 1e-6, rcond: float | None = None,
                  mode: str = "cholesky") -> tuple[Tensor, dict]:
    """Direction d = J^T (J J^T + delta I)^{-1} r (or the Gauss-Newton form when p < n).

    ``delta = (damping + j) mean(diag G)`` with j = 0 unless Cholesky fails (then the ladder).
    Returns ``(d (p,), info)`` with ``info = {"jitter": damping + j used (nan for least
    squares), "method": "cholesky" | "lstsq", "gauss_newton": p < n}``.
    """
    n, p = jac.shape
    gauss_newton = p < n
    info = {"gauss_newton": gauss_newton}
    if mode == "cholesky":
        gram = jac.T @ jac if gauss_newton else jac @ jac.T
        rhs = jac.T @ r if gauss_newton else r
        scale = torch.diagonal(gram).mean()
        ladder = [0.0]
        if jitter is not None and jitter > 0:
            j = jitter
            while j <= max_jitter * (1 + 1e-9):
                ladder.append(j)
                j *= 10
        eye = torch.eye(gram.shape[0], dtype=gram.dtype, device=gram.device)
        for j in ladder:
            reg = damping + j
            chol, err = torch.linalg.cholesky_ex(gram + (reg * scale) * eye if reg else gram)
            if int(err) == 0:
                sol = torch.cholesky_solve(rhs[:, None], chol)[:, 0]
                if torch.isfinite(sol).all():
                    info.update(jitter=reg, method="cholesky")
                    return (sol if gauss_newton else jac.T @ sol), info
    elif mode == "pinv":
        # J^+ r with torch.linalg.pinv's default cutoff (singular values <= max(n, p) eps
        # sigma_max dropped), computed as that minimum-norm least-squares solution by gelsd
        # without forming J^+ (2-3x cheaper at n = 768, p = 1408)
        cut = max(n, p) * torch.finfo(jac.dtype).eps
        sol = torch.linalg.lstsq(jac, r[:, None], rcond=cut, driver="gelsd").solution[:, 0]
        info.update(jitter=float("nan"), method="pinv")
        return sol, info
    elif mode != "lstsq":
        raise ValueError(f"unknown NGD solve mode {mode!r}")
    # Least squares: minimum-norm solution of J d = r (gelsd: SVD with cutoff rcond).
    sol = torch.linalg.lstsq(jac, r[:, None], rcond=rcond, driver="gelsd").solution[:, 0]
    info.update(jitter=float("nan"), method="lstsq")
    return sol, info


def line_search_grid(k: int) -> Tensor:
    """ENGD's step sizes {0.5^j : j = 0 .. k-1} (float64)."""
    return 0.5 ** torch.arange(k, dtype=torch.float64)


def line_search_lr(loss_fn, w: Tensor, d: Tensor, grid: Tensor) -> tuple[float, float]:
    """argmin over eta in ``grid`` of ``loss_fn(w - eta d)`` (the first on ties; a non-finite
    loss never wins) and that loss: ``(eta, loss)``."""
    losses = torch.tensor([float(loss_fn(w - float(eta) * d)) for eta in grid],
                          dtype=torch.float64)
    losses = torch.where(torch.isfinite(losses), losses, torch.inf)
    j = int(torch.argmin(losses))
    return float(grid[j]), float(losses[j])


class NGD(torch.optim.Optimizer):
    """NGD as a ``torch.optim.Optimizer`` over one parameter tensor (flattened row-major).

    ``step(closure)``: ``closure()`` returns ``(r, J)`` at the current parameters with
    ``J`` of shape (n, numel); the step returns the loss 1/2 |r|^2 at those parameters.
    With ``line_search = K > 0``, ``step(closure, loss_fn)``: ``loss_fn(w)`` is the loss at
    parameters ``w`` (shaped like the parameter); the step size is :func:`line_search_lr`'s
    and ``last_info["lr"]`` records it.
    """

    def __init__(self, params, lr: float = 0.1, damping: float = 0.0,
                 jitter: float | None = 1e-14, max_jitter: float = 1e-6,
                 rcond: float | None = None, mode: str = "cholesky",
                 line_search: int | None = None):
        if lr <= 0:
            raise ValueError(f"lr must be positive, got {lr}")
        super().__init__(params, dict(lr=lr, damping=damping, jitter=jitter,
                                      max_jitter=max_jitter, rcond=rcond,
                                      mode=mode, line_search=int(line_search or 0)))
        plist = [p for g in self.param_groups for p in g["params"]]
        if len(plist) != 1:
            raise ValueError("NGD handles exactly one parameter tensor")
        self.last_info: dict = {}

    @property
    def last_direction(self) -> Tensor | None:
        """d_k of the last step, shaped like the parameter. Kept in the optimizer's ``state``
        (per parameter, like Adam's moments), so it follows the parameter's device and
        checkpoints; never a bare tensor attribute."""
        param = self.param_groups[0]["params"][0]
        return self.state[param].get("direction")

    @torch.no_grad()
    def step(self, closure, loss_fn=None):  # type: ignore[override]
        group = self.param_groups[0]
        param = group["params"][0]
        r, jac = closure()
        d, info = ngd_direction(jac, r, group["damping"], group["jitter"],
                                group["max_jitter"], group["rcond"], group["mode"])
        lr = group["lr"]
        if group["line_search"]:
            if loss_fn is None:
                raise ValueError("NGD with a line search needs loss_fn in step()")
            lr, _ = line_search_lr(loss_fn, param.detach().clone(), d.reshape(param.shape),
                                   line_search_grid(group["line_search"]))
        info["lr"] = lr
        param.sub_(lr * d.reshape(param.shape))
        self.last_info = info
        self.state[param]["direction"] = d.reshape(param.shape)
        return 0.5 * float(r @ r)


__all__ = ["NGD", "ngd_direction", "line_search_grid", "line_search_lr"]
