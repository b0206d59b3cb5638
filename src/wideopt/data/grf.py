"""Gaussian random fields on [0, 1] for the operator-learning data sets (seed 000).

Two fields, both sampled in one vectorized draw for all samples:

* :class:`RBFField` — u ~ GP(0, k), k(x, y) = exp(-(x - y)^2 / (2 l^2)) (DeepONet convention,
  l = 0.2). A sample is represented *exactly* as a polynomial: its values at ``n_nodes``
  Chebyshev points of the first kind on [0, 1] are drawn from the kernel's covariance there
  (eigen-decomposition, negative round-off eigenvalues clipped), and the sample is their
  interpolant of degree ``n_nodes - 1``. For l = 0.2 the kernel's spectrum decays like
  exp(-omega^2 l^2 / 2), so 64 nodes resolve the field to round-off, and because each sample *is*
  a polynomial, integrals (the antiderivative problem) and point values on any grid are
  exact for it.
* :func:`periodic_field` — u0 ~ N(0, sigma^2 (-Delta + tau^2 I)^{-alpha}) on the periodic
  interval [0, 1) (FNO Burgers convention: sigma^2 = 625, tau^2 = 25, alpha = 2), sampled
  in the real Fourier basis {1, sqrt(2) cos(2 pi k x), sqrt(2) sin(2 pi k x)}, whose
  eigenvalues are lambda_k = sigma^2 ((2 pi k)^2 + tau^2)^{-alpha}.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.polynomial import chebyshev as C


def chebyshev_nodes(n: int) -> np.ndarray:
    """Chebyshev points of the first kind mapped to [0, 1], increasing, shape ``(n,)``."""
    t = -np.cos((2 * np.arange(n) + 1) * np.pi / (2 * n))  # on (-1, 1), increasing
    return 0.5 * (t + 1.0)


def chebyshev_operators(n_nodes: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Matrices mapping node values of a degree ``n_nodes-1`` polynomial p on [0, 1] to
    ``p(x)`` and to ``int_0^x p(t) dt``.

    Returns:
        ``(E, A)``, each of shape ``(len(x), n_nodes)``: ``p(x) = E @ p(nodes)`` and
        ``int_0^x p = A @ p(nodes)``, exact in exact arithmetic for every polynomial of
        degree < ``n_nodes``.
    """
    x = np.asarray(x, dtype=np.float64)
    nodes = chebyshev_nodes(n_nodes)
    # Coefficients in T_j(2x - 1) from node values: solve the (well-conditioned) Vandermonde.
    vander = C.chebvander(2 * nodes - 1, n_nodes - 1)
    to_coef = np.linalg.inv(vander)  # (n_nodes, n_nodes); condition number ~ sqrt(2)
    eval_mat = C.chebvander(2 * x - 1, n_nodes - 1) @ to_coef
    # d/dx = 2 d/dt, so int_0^x p dx = (1/2) int_{-1}^{2x-1} p dt.
    int_coef = np.stack(
        [0.5 * C.chebint(np.eye(n_nodes)[j], lbnd=-1) for j in range(n_nodes)], axis=1
    )  # (n_nodes + 1, n_nodes): antiderivative coefficients of each basis polynomial
    int_mat = C.chebvander(2 * x - 1, n_nodes) @ int_coef @ to_coef
    return eval_mat, int_mat


@dataclass(frozen=True)
class RBFField:
    """Zero-mean GP on [0, 1] with RBF kernel of length scale ``length_scale`` (variance 1).

    Samples are exact polynomials of degree ``n_nodes - 1`` (see module docstring).
    """

    length_scale: float = 0.2
    n_nodes: int = 64

    def __post_init__(self):
        if not self.length_scale > 0:
            raise ValueError(f"length_scale must be > 0, got {self.length_scale}")
        if self.n_nodes < 2:
            raise ValueError(f"n_nodes must be >= 2, got {self.n_nodes}")

    @property
    def nodes(self) -> np.ndarray:
        return chebyshev_nodes(self.n_nodes)

    def covariance(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.exp(-0.5 * ((x[:, None] - y[None, :]) / self.length_scale) ** 2)

    def sample_nodes(self, n_samples: int, rng: np.random.Generator) -> np.ndarray:
        """Values at the Chebyshev nodes, shape ``(n_samples, n_nodes)``, float64."""
        if n_samples < 1:
            raise ValueError(f"n_samples must be >= 1, got {n_samples}")
        nodes = self.nodes
        lam, vec = np.linalg.eigh(self.covariance(nodes, nodes))
        root = vec * np.sqrt(np.clip(lam, 0.0, None))  # K = root @ root.T up to round-off
        z = rng.standard_normal((n_samples, self.n_nodes))
        return z @ root.T


def periodic_field(
    n_samples: int,
    n_grid: int,
    rng: np.random.Generator,
    sigma2: float = 625.0,
    tau2: float = 25.0,
    alpha: float = 2.0,
) -> np.ndarray:
    """Samples of N(0, sigma2 (-Delta + tau2 I)^{-alpha}) on the grid j/n_grid, j < n_grid.

    Every Fourier mode the grid resolves (|k| < n_grid/2) is drawn; the Nyquist mode is
    omitted so the samples are exactly band-limited and real.

    Returns:
        Array of shape ``(n_samples, n_grid)``, float64.
    """
    if n_samples < 1:
        raise ValueError(f"n_samples must be >= 1, got {n_samples}")
    if n_grid < 4 or n_grid % 2:
        raise ValueError(f"n_grid must be even and >= 4, got {n_grid}")
    if not (sigma2 > 0 and tau2 > 0 and alpha > 0):
        raise ValueError("sigma2, tau2 and alpha must be > 0")
    kmax = n_grid // 2 - 1
    k = np.arange(0, kmax + 1)
    lam = sigma2 * ((2 * np.pi * k) ** 2 + tau2) ** (-alpha)
    xi = rng.standard_normal((n_samples, kmax + 1))
    eta = rng.standard_normal((n_samples, kmax + 1))
    # Orthonormal real basis {1, sqrt2 cos, sqrt2 sin} -> complex rfft coefficients.
    coef = np.zeros((n_samples, n_grid // 2 + 1), dtype=np.complex128)
    coef[:, 0] = np.sqrt(lam[0]) * xi[:, 0]
    s = np.sqrt(lam[1:] / 2.0)
    coef[:, 1 : kmax + 1] = s * (xi[:, 1:] - 1j * eta[:, 1:])
    return np.fft.irfft(coef, n=n_grid, axis=-1) * n_grid
