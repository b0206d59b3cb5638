"""Uniform samples on the unit sphere S^{d-1}, seeded and vectorized."""

from __future__ import annotations

import numpy as np


def sample_sphere(n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points uniform on S^{dim-1}: normalized standard Gaussians. Shape ``(n, dim)``."""
    if n < 1 or dim < 2:
        raise ValueError(f"need n >= 1 and dim >= 2, got n={n}, dim={dim}")
    z = rng.standard_normal((n, dim))
    return z / np.linalg.norm(z, axis=1, keepdims=True)


def sign_labels(n: int, rng: np.random.Generator) -> np.ndarray:
    """Labels y_i uniform in {-1, +1}, float64, shape ``(n,)``."""
    return rng.choice(np.array([-1.0, 1.0]), size=n)
