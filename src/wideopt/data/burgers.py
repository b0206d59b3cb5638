"""Viscous Burgers operator u0 -> u(., T) on the periodic interval [0, 1) (FNO, seed 000).

    u_t + (u^2 / 2)_x = nu u_xx,   nu = 0.1,   T = 1,   u0 ~ N(0, 625 (-Delta + 25 I)^{-2}).

Solver: Fourier pseudo-spectral on ``n_fine`` points (>= 1024), 2/3-rule dealiasing of the
quadratic term, and ETDRK4 (Cox & Matthews 2002) with the phi-function coefficients
evaluated by contour integrals (Kassam & Trefethen 2005), which is stable for the stiff
linear part -nu k^2. All samples advance together (batched FFTs along the last axis).
Reference: the Cole-Hopf transform u = -2 nu phi_x / phi, phi_t = nu phi_xx
(:func:`cole_hopf`).
"""

from __future__ import annotations

import numpy as np

from wideopt.data.grf import periodic_field


def etdrk4_coefficients(lin: np.ndarray, dt: float, n_contour: int = 32):
    """ETDRK4 scalars for the diagonal linear operator ``lin`` (Kassam-Trefethen eq. 2.5)."""
    E = np.exp(dt * lin)
    E2 = np.exp(dt * lin / 2)
    r = np.exp(1j * np.pi * (np.arange(1, n_contour + 1) - 0.5) / n_contour)
    LR = dt * lin[:, None] + r[None, :]
    Q = dt * np.real(np.mean((np.exp(LR / 2) - 1) / LR, axis=1))
    f1 = dt * np.real(np.mean((-4 - LR + np.exp(LR) * (4 - 3 * LR + LR**2)) / LR**3, axis=1))
    f2 = dt * np.real(np.mean((2 + LR + np.exp(LR) * (-2 + LR)) / LR**3, axis=1))
    f3 = dt * np.real(np.mean((-4 - 3 * LR - LR**2 + np.exp(LR) * (4 - LR)) / LR**3, axis=1))
    return E, E2, Q, f1, f2, f3


def solve(u0: np.ndarray, nu: float = 0.1, T: float = 1.0, n_steps: int = 1000) -> np.ndarray:
    """ETDRK4 pseudo-spectral solution at time T.

    Args:
        u0: initial values on the grid j/n, shape ``(n_samples, n)``, n even.
        nu: viscosity (> 0).
        n_steps: number of time steps, dt = T / n_steps.

    Returns:
        u(., T) on the same grid, shape ``(n_samples, n)``.
    """
    if not nu > 0:
        raise ValueError(f"viscosity nu must be > 0, got {nu}")
    if n_steps < 1:
        raise ValueError(f"n_steps must be >= 1, got {n_steps}")
    u0 = np.atleast_2d(np.asarray(u0, dtype=np.float64))
    n = u0.shape[-1]
    if n % 2:
        raise ValueError(f"grid size must be even, got {n}")
    dt = T / n_steps
    k = 2 * np.pi * np.fft.rfftfreq(n, d=1.0 / n)  # angular wavenumbers, (n/2+1,)
    lin = -nu * k**2
    E, E2, Q, f1, f2, f3 = etdrk4_coefficients(lin, dt)
    dealias = np.abs(np.fft.rfftfreq(n, d=1.0 / n)) < n / 3  # 2/3 rule
    g = -0.5j * k * dealias

    def nonlin(v_hat):
        v = np.fft.irfft(v_hat, n=n, axis=-1)
        return g * np.fft.rfft(v * v, axis=-1)

    v = np.fft.rfft(u0, axis=-1)
    v = v * dealias  # keep the state band-limited
    for _ in range(n_steps):
        Nv = nonlin(v)
        a = E2 * v + Q * Nv
        Na = nonlin(a)
        b = E2 * v + Q * Na
        Nb = nonlin(b)
        c = E2 * a + Q * (2 * Nb - Nv)
        Nc = nonlin(c)
        v = E * v + Nv * f1 + 2 * (Na + Nb) * f2 + Nc * f3
    return np.fft.irfft(v, n=n, axis=-1)


def cole_hopf(phi0: np.ndarray, nu: float, t: float) -> np.ndarray:
    """Exact Burgers solution u = -2 nu phi_x / phi from phi(., 0) on a periodic grid.

    ``phi0`` (positive, periodic, shape ``(n,)``) is evolved exactly by the heat equation
    in Fourier space; spectrally accurate when phi0 is resolved by the grid.
    """
    n = phi0.shape[-1]
    k = 2 * np.pi * np.fft.rfftfreq(n, d=1.0 / n)
    ph = np.fft.rfft(phi0) * np.exp(-nu * k**2 * t)
    phi = np.fft.irfft(ph, n=n)
    phix = np.fft.irfft(1j * k * ph, n=n)
    return -2 * nu * phix / phi


def generate(
    n_train: int, n_test: int, n_points: int, seed: int, n_fine: int = 1024,
    nu: float = 0.1, T: float = 1.0, n_steps: int = 1000,
) -> tuple[dict[str, np.ndarray], dict]:
    """Draw u0 on ``n_fine`` points, solve, subsample both to ``n_points`` (x_j = j/n_points)."""
    if n_train < 1 or n_test < 1:
        raise ValueError(f"need n_train >= 1 and n_test >= 1, got {n_train}, {n_test}")
    if n_fine < 1024:
        raise ValueError(f"n_fine must be >= 1024 (catalogue), got {n_fine}")
    if n_points < 2 or n_fine % n_points:
        raise ValueError(f"n_points ({n_points}) must divide n_fine ({n_fine})")
    rng = np.random.default_rng(seed)
    u0 = periodic_field(n_train + n_test, n_fine, rng)
    u = solve(u0, nu=nu, T=T, n_steps=n_steps)
    step = n_fine // n_points
    arrays = dict(x=np.arange(n_points) / n_points, u0=u0[:, ::step], u=u[:, ::step])
    meta = dict(problem="burgers", n_train=n_train, n_test=n_test, n_points=n_points,
                seed=seed, n_fine=n_fine, nu=nu, T=T, n_steps=n_steps,
                initial_condition="N(0, 625 (-Delta + 25 I)^-2)",
                solver="Fourier pseudo-spectral, 2/3 dealiasing, ETDRK4")
    return arrays, meta
