"""The NTK of a two-layer network with trained first layer (seed 003, "The NTK").

Network (:class:`wideopt.models.two_layer.TwoLayerNet`, NTK parameterization):
f(x) = m^{-1/2} sum_r a_r psi(<w_r, x>), a_r = +-1 fixed, w_r ~ N(0, I_d). Its empirical NTK
on points x_1..x_n, in closed form (:func:`two_layer_ntk_gram`, checked against the Gram of
torch.func's Jacobian in the tests), is

    H(W)_ij = <df(x_i)/dW, df(x_j)/dW> = c^2 <x_i, x_j> sum_r psi'(<w_r,x_i>) psi'(<w_r,x_j>),

with c the output scale (m^{-1/2}; m^{-1} under mean-field scaling) and a_r^2 = 1. As m -> oo
(NTK scaling) H(0) -> H*, H*_ij = <x_i, x_j> E_{w~N(0,I)}[psi'(<w,x_i>) psi'(<w,x_j>)].

The expectation depends only on (u, v) = (<w,x_i>, <w,x_j>) ~ N(0, [[|x_i|^2, s], [s, |x_j|^2]])
with s = <x_i, x_j>. Closed forms:
  ReLU: E = (pi - theta_ij) / (2 pi), theta_ij the angle between x_i and x_j;
  erf:  E = (4/pi) / sqrt((1 + 2|x_i|^2)(1 + 2|x_j|^2) - 4 s^2).
Any other psi: 2-D Gaussian quadrature (:func:`gaussian_pair_expectation`).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from wideopt.activations import get_activation
from wideopt.models.two_layer import TwoLayerNet


def _gram(x: torch.Tensor) -> torch.Tensor:
    return x @ x.T


def h_star_closed_form(x: torch.Tensor, activation: str) -> torch.Tensor:
    """Infinite-width NTK H* for ReLU or erf. ``x``: (n, d) float64 -> (n, n)."""
    g = _gram(x)
    norms = torch.sqrt(torch.diagonal(g))
    if activation == "relu":
        cos = (g / torch.outer(norms, norms)).clamp(-1.0, 1.0)
        return g * (math.pi - torch.arccos(cos)) / (2 * math.pi)
    if activation == "erf":
        sq = norms**2
        det = torch.outer(1 + 2 * sq, 1 + 2 * sq) - 4 * g**2
        return g * (4 / math.pi) / torch.sqrt(det)
    raise ValueError(f"no closed form for {activation!r}; use h_star_quadrature")


def gaussian_pair_expectation(
    dpsi, var_u: torch.Tensor, var_v: torch.Tensor, cov: torch.Tensor, nodes: int,
    radial_max: float | None = None,
) -> torch.Tensor:
    """E[dpsi(u) dpsi(v)] for (u, v) ~ N(0, [[var_u, cov], [cov, var_v]]), batched.

    Polar Gauss rule: write (u, v) = L z with z ~ N(0, I_2), z = r (cos phi, sin phi). Then
        E = (1/2pi) int_0^{2pi} dphi int_0^oo e^{-s} g(sqrt(2 s) (cos phi, sin phi)) ds,
    with s = r^2/2: Gauss-Laguerre in s (``nodes`` points) times Gauss-Legendre in phi on
    the four arcs between the rays where u = 0 or v = 0. psi' may jump only there (ReLU), so
    each arc's integrand is smooth and the rule is exact to round-off for ReLU's step
    derivative, where a tensor Gauss-Hermite rule converges only like O(1/nodes).

    With ``radial_max = R`` the radial rule is instead Gauss-Legendre in r on [0, R] with
    the weight r e^{-r^2/2} folded in (the same integral, dropped tail ~e^{-R^2/2}). For a
    psi that is analytic off 0 but not homogeneous (ELU: g contains e^{a r}), g is smooth in
    r but not in s = r^2/2, so the Laguerre rule converges only algebraically (ELU's
    E[psi'psi'] is off by ~2e-4 at 64 nodes) while the Legendre rule converges exponentially.
    Shapes: ``var_u, var_v, cov`` broadcast to (...); returns (...).
    """
    if radial_max is None:
        s_nodes, s_weights = np.polynomial.laguerre.laggauss(nodes)
        r_nodes, r_weights = np.sqrt(2 * s_nodes), s_weights
    else:
        x_nodes, x_weights = np.polynomial.legendre.leggauss(nodes)
        r_nodes = radial_max * (x_nodes + 1) / 2
        r_weights = radial_max / 2 * x_weights * r_nodes * np.exp(-r_nodes**2 / 2)
    t_nodes, t_weights = np.polynomial.legendre.leggauss(nodes)
    dtype = var_u.dtype
    su = torch.sqrt(var_u)
    rho = (cov / (su * torch.sqrt(var_v))).clamp(-1.0, 1.0)
    sv = torch.sqrt(var_v)
    sin_part = torch.sqrt((1 - rho**2).clamp_min(0.0))
    # u = su * z1, v = sv * (rho z1 + sqrt(1-rho^2) z2). Rays u = 0: phi = pi/2, 3pi/2;
    # v = 0: phi = atan2(-rho, sqrt(1-rho^2)) (+ pi).
    phi_v = torch.atan2(-rho, sin_part) % math.pi  # in [0, pi)
    cuts = torch.stack(
        [torch.full_like(phi_v, math.pi / 2), phi_v, phi_v + math.pi,
         torch.full_like(phi_v, 3 * math.pi / 2)], dim=-1)
    cuts, _ = torch.sort(cuts, dim=-1)
    bounds = torch.cat([cuts[..., -1:] - 2 * math.pi, cuts], dim=-1)  # 5 bounds, 4 arcs
    lo, hi = bounds[..., :-1], bounds[..., 1:]  # (..., 4)
    t = torch.as_tensor(t_nodes, dtype=dtype)
    tw = torch.as_tensor(t_weights, dtype=dtype)
    half = (hi - lo) / 2
    phi = (lo + hi)[..., None] / 2 + half[..., None] * t  # (..., 4, q)
    wphi = half[..., None] * tw  # (..., 4, q)
    r = torch.as_tensor(r_nodes, dtype=dtype)  # (q,)
    ws = torch.as_tensor(r_weights, dtype=dtype)
    z1 = torch.cos(phi)[..., None] * r  # (..., 4, q, q)
    z2 = torch.sin(phi)[..., None] * r
    expand = (...,) + (None,) * 3
    u = su[expand] * z1
    v = sv[expand] * (rho[expand] * z1 + sin_part[expand] * z2)
    integrand = dpsi(u) * dpsi(v)
    total = (integrand * ws).sum(-1)  # over radial nodes
    total = (total * wphi).sum((-1, -2))  # over angular nodes and arcs
    return total / (2 * math.pi)


def h_star_quadrature(x: torch.Tensor, activation: str, nodes: int = 64) -> torch.Tensor:
    """H* for any activation by :func:`gaussian_pair_expectation`. ``x``: (n, d) -> (n, n)."""
    dpsi = get_activation(activation).dpsi
    g = _gram(x)
    sq = torch.diagonal(g)
    iu = torch.triu_indices(len(x), len(x))
    e = gaussian_pair_expectation(dpsi, sq[iu[0]], sq[iu[1]], g[iu[0], iu[1]], nodes)
    out = torch.zeros_like(g)
    out[iu[0], iu[1]] = e
    out[iu[1], iu[0]] = e
    return g * out


def h_star(x: torch.Tensor, activation: str, nodes: int = 64) -> torch.Tensor:
    """H*: closed form where one exists (ReLU, erf), quadrature otherwise."""
    if activation in ("relu", "erf"):
        return h_star_closed_form(x, activation)
    return h_star_quadrature(x, activation, nodes)


def two_layer_ntk_gram(net: TwoLayerNet, x: torch.Tensor) -> torch.Tensor:
    """Empirical NTK of ``net`` w.r.t. its first layer W, every seed at once, closed form.

    ``x``: (n, d); ``net.w``: (S, m, d) -> (S, n, n). H = c^2 (X X^T) * (D D^T), with c the
    output scale and D = psi'(X W^T) of shape (S, n, m) (a_r^2 = 1 drops out): one batched
    matmul, no loop over neurons or points.
    """
    d = get_activation(net.activation).dpsi(net.preactivations(x))
    return net.scale**2 * _gram(x) * (d @ d.transpose(-1, -2))
