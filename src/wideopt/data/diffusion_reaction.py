"""Diffusion-reaction operator u -> s(., T) (DeepONet convention, seed 000).

    s_t = D s_xx + k s^2 + u(x),   x in [0, 1], t in [0, T],   s(x, 0) = 0,  s(0, t) = s(1, t) = 0

with D = k = 0.01, T = 1 (note the + sign of the reaction). Solver: second-order central
differences on a uniform grid of ``n_fine`` intervals (method of lines), and the IMEX
second-order backward differentiation formula in time (SBDF2; one IMEX Euler start step):

    (3 s^{n+1} - 4 s^n + s^{n-1}) / (2 dt) = D L s^{n+1} + 2 f(s^n) - f(s^{n-1}),  f = k s^2 + u,

whose implicit part is L-stable (no Crank-Nicolson ringing from the boundary layer that the
incompatible source u(0), u(1) != 0 creates). Each step is one tridiagonal solve with all
samples as right-hand sides (LAPACK gttrf once, gttrs per step): no Python
loop over samples. Errors: O(h^2 + dt^2) — see ``tests/test_operators_data.py``.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import lapack

from wideopt.data.grf import RBFField, chebyshev_operators


class _Tridiagonal:
    """LU factors of ``I - coef * L_h`` (L_h the Dirichlet second difference), reused."""

    def __init__(self, n_interior: int, h: float, coef: float):
        off = np.full(n_interior - 1, -coef / h**2)
        diag = np.full(n_interior, 1.0 + 2.0 * coef / h**2)
        self.lu = lapack.dgttrf(off, diag, off.copy())
        if self.lu[-1] != 0:
            raise np.linalg.LinAlgError("tridiagonal factorization failed")

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        """Solve for ``rhs`` of shape ``(n_interior, n_rhs)``."""
        dl, d, du, du2, ipiv, _ = self.lu
        x, info = lapack.dgttrs(dl, d, du, du2, ipiv, rhs)
        if info != 0:
            raise np.linalg.LinAlgError("tridiagonal solve failed")
        return x


def apply_laplacian(s: np.ndarray, h: float) -> np.ndarray:
    """Dirichlet (zero boundary) second difference of interior values ``(..., n_interior)``."""
    pad = np.zeros(s.shape[:-1] + (s.shape[-1] + 2,))
    pad[..., 1:-1] = s
    return (pad[..., 2:] - 2.0 * pad[..., 1:-1] + pad[..., :-2]) / h**2


def solve(
    u_interior: np.ndarray, n_fine: int, n_steps: int, D: float = 0.01, k: float = 0.01,
    T: float = 1.0,
) -> np.ndarray:
    """SBDF2 solution at time T on the fine grid.

    Args:
        u_interior: source at the interior nodes x_i = i/n_fine, i = 1..n_fine-1,
            shape ``(n_samples, n_fine - 1)``.
        n_fine: number of intervals of the uniform grid.
        n_steps: number of time steps (dt = T / n_steps).

    Returns:
        s(., T) at all n_fine + 1 nodes (boundary zeros included), ``(n_samples, n_fine+1)``.
    """
    if D <= 0:
        raise ValueError(f"diffusivity D must be > 0, got {D}")
    if n_fine < 2 or n_steps < 2:
        raise ValueError("need n_fine >= 2 and n_steps >= 2")
    h, dt = 1.0 / n_fine, T / n_steps
    # Work in (n_interior, n_samples) layout: contiguous right-hand sides for LAPACK.
    u = np.asfortranarray(np.asarray(u_interior, dtype=np.float64).T)
    n_int = u.shape[0]
    euler = _Tridiagonal(n_int, h, D * dt)
    bdf2 = _Tridiagonal(n_int, h, 2.0 * D * dt / 3.0)
    s_prev = np.zeros_like(u)
    f_prev = u.copy()  # f(s=0) = u
    # Start: one IMEX Euler step, (s1 - s0)/dt = D L s1 + f(s0) (local error O(dt^2)).
    s = euler.solve(dt * f_prev)
    for _ in range(n_steps - 1):
        f = k * s * s + u
        rhs = (4.0 * s - s_prev + 2.0 * dt * (2.0 * f - f_prev)) / 3.0
        s_prev, s, f_prev = s, bdf2.solve(rhs), f
    s = s.T
    out = np.zeros((s.shape[0], n_fine + 1))
    out[:, 1:-1] = s
    return out


def method_of_lines_rhs(u_interior: np.ndarray, n_fine: int, D: float = 0.01,
                        k: float = 0.01):
    """The semi-discrete right-hand side ds/dt = D L_h s + k s^2 + u (for solve_ivp)."""
    h = 1.0 / n_fine

    def rhs(_t, s):
        return D * apply_laplacian(s, h) + k * s * s + u_interior

    return rhs


def generate(
    n_train: int, n_test: int, n_points: int, seed: int, length_scale: float = 0.2,
    refine: int = 8, n_steps: int = 400, D: float = 0.01, k: float = 0.01, T: float = 1.0,
    n_nodes: int = 64,
) -> tuple[dict[str, np.ndarray], dict]:
    """Draw u ~ RBF GRF, solve, and keep u and s(., T) on x_j = j/(n_points-1).

    The fine grid has ``refine * (n_points - 1)`` intervals so the sensors are grid nodes.
    """
    if n_train < 1 or n_test < 1:
        raise ValueError(f"need n_train >= 1 and n_test >= 1, got {n_train}, {n_test}")
    if n_points < 2 or refine < 1:
        raise ValueError("need n_points >= 2 and refine >= 1")
    field = RBFField(length_scale, n_nodes)
    rng = np.random.default_rng(seed)
    nodes_u = field.sample_nodes(n_train + n_test, rng)
    n_fine = refine * (n_points - 1)
    x_fine = np.linspace(0.0, 1.0, n_fine + 1)
    eval_fine, _ = chebyshev_operators(n_nodes, x_fine)
    u_fine = nodes_u @ eval_fine.T
    s_fine = solve(u_fine[:, 1:-1], n_fine, n_steps, D=D, k=k, T=T)
    arrays = dict(x=x_fine[::refine], u=u_fine[:, ::refine], s=s_fine[:, ::refine])
    meta = dict(problem="diffusion_reaction", n_train=n_train, n_test=n_test,
                n_points=n_points, seed=seed, length_scale=length_scale, n_fine=n_fine,
                n_steps=n_steps, D=D, k=k, T=T, n_nodes=n_nodes,
                solver="2nd-order FD + IMEX BDF2 (SBDF2)")
    return arrays, meta
