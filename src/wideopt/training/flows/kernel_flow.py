"""The infinite-width kernel flow that a trained network is compared with (claim B3, seed 001).

Gradient flow on L = (1/2n) Σ_i (f(x_i) − y_i)² at time t (the training runs' t = η·step,
:mod:`wideopt.training.flows.gradient_flow`) moves a model that is linear in its parameters,
with a fixed NTK Θ, as f' = −(1/n) Θ(·, X)(f(X) − y). Its solution from f_0 is

    f_∞(t) = f_0 + Θ(·, X) Θ(X, X)⁻¹ (I − e^{−t Θ(X, X)/n}) (y − f_0(X)).

With Θ(X, X) = V diag(λ) Vᵀ (eigh, float64) the matrix function is
V diag(φ_t(λ)) Vᵀ, φ_t(λ) = (1 − e^{−tλ/n})/λ = −expm1(−tλ/n)/λ: no inverse is formed,
φ_t stays bounded by t/n, and eigenvalues at round-off level (|λ| ≤ n ε λ_max) take the
λ → 0 limit t/n. At t = 0 f_∞ = f_0 exactly; as t → ∞, φ → 1/λ and f_∞ interpolates y on X.
All times and all runs of one problem share the eigendecomposition (batched over times).
"""

from __future__ import annotations

import torch


class KernelFlow:
    """f_∞(t) on test points for the kernel Gram ``k_train`` = Θ(X, X) (n, n) and
    ``k_test`` = Θ(X_test, X) (n_test, n), both float64; computed on the Grams' device
    (the training job's: CPU), whatever device the predictions come from."""

    def __init__(self, k_train: torch.Tensor, k_test: torch.Tensor):
        k_train = torch.as_tensor(k_train, dtype=torch.float64)
        self.n = k_train.shape[0]
        self.lam, self.vec = torch.linalg.eigh(k_train)
        self.floor = self.n * torch.finfo(torch.float64).eps * float(self.lam.abs().max())
        self.k_test = torch.as_tensor(k_test, dtype=torch.float64).to(k_train.device)

    def phi(self, times: torch.Tensor) -> torch.Tensor:
        """φ_t(λ) = (1 − e^{−tλ/n})/λ for every time and eigenvalue: (T, n)."""
        t = torch.as_tensor(times, dtype=torch.float64, device=self.lam.device)[:, None]
        lam = self.lam[None, :]
        live = lam.abs() > self.floor
        safe = torch.where(live, lam, torch.ones_like(lam))
        out = -torch.expm1(-t * safe / self.n) / safe
        return torch.where(live, out, (t / self.n).expand_as(out))

    def predict(self, times, f0_train: torch.Tensor, f0_test: torch.Tensor,
                y: torch.Tensor) -> torch.Tensor:
        """f_∞(t) on the test points for each t in ``times``: (T, n_test).

        ``f0_train`` (n,), ``f0_test`` (n_test,): the initial function on X and on the test
        points; ``y`` (n,): the training targets.
        """
        y, f0_train, f0_test = (torch.as_tensor(v).to(self.vec.device, torch.float64)
                                for v in (y, f0_train, f0_test))
        coef = (self.phi(times) * (self.vec.T @ (y - f0_train))) @ self.vec.T  # V φ_t Vᵀ r
        return f0_test + coef @ self.k_test.T
