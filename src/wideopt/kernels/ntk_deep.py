"""NTK of the frozen-ends MLP (:mod:`wideopt.models.frozen_mlp`): empirical and infinite-width.

Empirical. Each trained matrix enters as z = W a / √m, so the per-sample gradient is the
outer product ∂f/∂W = g aᵀ/√m with g = ∂f/∂z (n × m) and a the layer input (n × m). The
Gram matrix of the Jacobian w.r.t. all trained weights is therefore, exactly,

    H = J Jᵀ = Σ_k (G_k G_kᵀ) ⊙ (A_k A_kᵀ) / m,

which costs O(n² m) instead of the O(n² m²) of forming J. G_k comes from torch.func
(``vmap`` of ``grad`` w.r.t. zero perturbations of z, in chunks of points).

Infinite width, ReLU (arc-cosine recursion, Cho & Saul 2009; Jacot et al. 2018). On the
sphere every quantity depends on t = ⟨x, x'⟩ only. With Σ¹ = q (1 + t)/2 (diagonal q) and,
for a centred Gaussian pair of variance v and covariance c, θ = arccos(c/v):

    E[σ(u)σ(u')] = v (sin θ + (π − θ) cos θ)/(2π),  E[σ'(u)σ'(u')] = (π − θ)/(2π),

the layer covariances are Σ_a^j = E[σσ](Σ^j), Σ^{j+1} = Σ_a^j, Σ̇^j = E[σ'σ'](Σ^j), and the
NTK w.r.t. the trained W^k (k = 2..H) is Θ = Σ_k Σ_a^{k−1} Π_{j=k}^{H} Σ̇^j.

Infinite width, any activation (:func:`ntk_infinite`): the same recursion with the dual
activations E[σ(u)σ(u')] and E[σ'(u)σ'(u')] of a centred Gaussian pair (variance v_j, the
same for every point of the sphere, and correlation ρ_j = Σ^j/v_j) computed by the polar
Gauss rule :func:`wideopt.kernels.ntk_two_layer.gaussian_pair_expectation` (arcs split
where u = 0 or u' = 0, Gauss-Legendre radial rule), v_{j+1} = E[σ(u)²]. The frozen first
layer enters only through Σ¹ = q(1 + t)/2, the frozen last layer only through the final
Σ̇^H factor. Θ depends on t = ⟨x, x'⟩ alone: :class:`SphereNTK` tabulates it once on a
uniform grid of the angle arccos t and interpolates the Gram matrices from the table.
"""

from __future__ import annotations

import logging
import resource
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch.func import grad, vmap

from wideopt.activations import get_activation
from wideopt.kernels.ntk_two_layer import gaussian_pair_expectation
from wideopt.kernels.spectra import gram_eigenvalues
from wideopt.models.frozen_mlp import FrozenEndsMLP

log = logging.getLogger(__name__)


def layer_output_grads(net: FrozenEndsMLP, x: torch.Tensor, chunk: int = 256
                       ) -> list[torch.Tensor]:
    """G_k = ∂f(x_i)/∂z^{k+2} for each trained layer k: list of (n, m), via torch.func."""
    n_layers = len(net.hidden)

    def f_one(eps: tuple[torch.Tensor, ...], x1: torch.Tensor) -> torch.Tensor:
        return net(x1[None], eps=[e[None] for e in eps])[0]

    per_sample = vmap(grad(f_one), in_dims=(0, 0))
    out: list[list[torch.Tensor]] = [[] for _ in range(n_layers)]
    for s in range(0, len(x), chunk):
        xc = x[s:s + chunk]
        eps = tuple(torch.zeros(len(xc), net.width, dtype=x.dtype, device=x.device)
                    for _ in range(n_layers))
        for k, g in enumerate(per_sample(eps, xc)):
            out[k].append(g)
    return [torch.cat(g) for g in out]


@torch.no_grad()
def _gram(gs: list[torch.Tensor], as_: list[torch.Tensor], width: int) -> torch.Tensor:
    h = torch.zeros(len(gs[0]), len(gs[0]), dtype=gs[0].dtype, device=gs[0].device)
    for g, a in zip(gs, as_, strict=True):
        h += (g @ g.T) * (a @ a.T)
    return h / width


def empirical_ntk(net: FrozenEndsMLP, x: torch.Tensor, chunk: int = 256) -> torch.Tensor:
    """Empirical NTK w.r.t. the trained matrices, H_ij = ⟨∂f(x_i)/∂θ, ∂f(x_j)/∂θ⟩: (n, n).

    The package's one generic empirical NTK (torch.func gradients). The two-layer net of
    section D has its Gram in closed form,
    :func:`wideopt.kernels.ntk_two_layer.two_layer_ntk_gram`.
    """
    gs = layer_output_grads(net, x, chunk)
    with torch.no_grad():
        as_ = net.trained_layer_inputs(x)
    return _gram(gs, as_, net.width)


RADIAL_MAX = 10.0  # radial cut of the Gaussian rule: the dropped mass is e^{-50} ~ 2e-22


def _pointwise_derivative(psi):
    """σ' of a pointwise activation by torch.func (vmap of grad over the flattened input)."""
    d = vmap(grad(psi))
    return lambda z: d(z.reshape(-1)).reshape(z.shape)


def _combine(sig_a: list, sig_dot: list):
    """Θ = Σ_{k=1}^{H−1} Σ_a^k Π_{j=k+1}^{H} Σ̇^j (0-based lists over the H hidden layers)."""
    total = 0.0
    for k in range(1, len(sig_a)):  # trained matrix k+1 takes layer k's activations
        term = sig_a[k - 1]
        for j in range(k, len(sig_a)):
            term = term * sig_dot[j]
        total = total + term
    return total


def relu_ntk_infinite(t: np.ndarray, preact_var: float = 1.0, hidden_layers: int = 3
                      ) -> np.ndarray:
    """Infinite-width NTK Θ(t) of the ReLU net w.r.t. its trained matrices, any shape of t."""
    t = np.clip(np.asarray(t, dtype=np.float64), -1.0, 1.0)
    cov, var = preact_var * (1.0 + t) / 2.0, preact_var
    sig_a, sig_dot = [], []
    for _ in range(hidden_layers):
        theta = np.arccos(np.clip(cov / var, -1.0, 1.0))
        sig_a.append(var * (np.sin(theta) + (np.pi - theta) * np.cos(theta)) / (2 * np.pi))
        sig_dot.append((np.pi - theta) / (2 * np.pi))
        cov, var = sig_a[-1], var / 2.0
    return _combine(sig_a, sig_dot) + np.zeros_like(t)


@torch.no_grad()
def ntk_infinite(t: np.ndarray, activation: str, preact_var: float = 1.0,
                 hidden_layers: int = 3, nodes: int = 48, chunk: int = 256) -> np.ndarray:
    """Infinite-width NTK Θ(t) w.r.t. the trained matrices for any registered activation.

    Recursion of the module doc with Σ¹ = q(1 + t)/2, v_1 = q; per layer j the pair
    expectations at (v_j, ρ_j = Σ^j/v_j) by the polar rule (``nodes`` angular nodes per arc
    and radial nodes; 48 reach ~1e-13 for ELU). Any shape of t ∈ [−1, 1]; float64.
    """
    psi = get_activation(activation).psi
    dpsi = _pointwise_derivative(psi)
    t = np.clip(np.asarray(t, dtype=np.float64), -1.0, 1.0)
    flat = torch.as_tensor(t.reshape(-1))
    one = torch.ones(1, dtype=torch.float64)

    def pair(fn, var, cov):
        v = torch.full_like(cov, var)
        return torch.cat([gaussian_pair_expectation(fn, v[s:s + chunk], v[s:s + chunk],
                                                    cov[s:s + chunk], nodes, RADIAL_MAX)
                          for s in range(0, len(cov), chunk)])

    var, cov = float(preact_var), preact_var * (1.0 + flat) / 2.0
    sig_a, sig_dot = [], []
    for _ in range(hidden_layers):
        sig_a.append(pair(psi, var, cov))
        sig_dot.append(pair(dpsi, var, cov))
        var_next = float(pair(psi, var, var * one)[0])  # E[σ(u)²], the next layer's variance
        cov, var = sig_a[-1], var_next
    return _combine(sig_a, sig_dot).numpy().reshape(t.shape)


@dataclass(frozen=True)
class SphereNTK:
    """Θ∞(t) tabulated at t = cos θ_i on a uniform grid θ_i ∈ [0, π]; Grams by interpolation.

    Linear interpolation in θ (not in t): the kernel's non-smooth terms at t → 1 are
    powers of (1 − t)^{1/2} ~ θ, smooth in θ, so the error is ~h²/8·|Θ''(θ)| with
    h = π/(grid − 1) (~3e-7 at 2049 points); the diagonal t = 1 is a grid point (exact).
    """

    theta: np.ndarray
    values: np.ndarray

    @classmethod
    def tabulate(cls, activation: str, preact_var: float = 1.0, hidden_layers: int = 3,
                 grid: int = 2049, nodes: int = 48) -> SphereNTK:
        theta = np.linspace(0.0, np.pi, grid)
        return cls(theta, ntk_infinite(np.cos(theta), activation, preact_var, hidden_layers,
                                       nodes))

    def __call__(self, x1: np.ndarray | torch.Tensor, x2: np.ndarray | torch.Tensor,
                 rows: int = 2048) -> torch.Tensor:
        """Θ∞(X1, X2) for unit vectors, (n1, d) × (n2, d) -> (n1, n2) float64, in row blocks."""
        x1, x2 = (np.asarray(torch.as_tensor(a, dtype=torch.float64)) for a in (x1, x2))
        out = np.empty((len(x1), len(x2)))
        for s in range(0, len(x1), rows):
            ang = np.arccos(np.clip(x1[s:s + rows] @ x2.T, -1.0, 1.0))
            out[s:s + rows] = np.interp(ang, self.theta, self.values)
        return torch.from_numpy(out)


def spectra(x: np.ndarray, activation: str, width: int, seeds: list[int],
            preact_var: float = 1.0) -> pd.DataFrame:
    """Eigenvalues of H/n at initialization for each seed (and, for ReLU, the infinite-width
    closed form on the same points, ``kind = infinite``, ``width = 0``).

    Returns tidy columns ``activation, kind, width, seed, k, eigenvalue`` (k = 1..n).
    """
    xt = torch.as_tensor(x, dtype=torch.float64)
    n = len(xt)
    k = np.arange(1, n + 1)
    parts = []
    for seed in seeds:
        net = FrozenEndsMLP(xt.shape[1], width, activation, preact_var, seed=seed)
        t0 = time.perf_counter()
        h = empirical_ntk(net, xt)
        t_gram = time.perf_counter() - t0
        lam = gram_eigenvalues(h, per_point=True)
        log.info("%s m=%d seed=%d n=%d: Gram %.2f s, eigvalsh %.2f s, peak RSS %.0f MiB",
                 activation, width, seed, n, t_gram, time.perf_counter() - t0 - t_gram,
                 resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        parts.append(pd.DataFrame(dict(activation=activation, kind="empirical", width=width,
                                       seed=seed, k=k, eigenvalue=lam)))
    if activation == "relu":
        lam = gram_eigenvalues(relu_ntk_infinite(x @ x.T, preact_var), per_point=True)
        parts.append(pd.DataFrame(dict(activation=activation, kind="infinite", width=0,
                                       seed=0, k=k, eigenvalue=lam)))
    return pd.concat(parts, ignore_index=True)
