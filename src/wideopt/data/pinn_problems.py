"""PDE problems for two-layer PINNs (seed 002), composed from parts.

A :class:`Problem` is a box :class:`Domain` (with the faces that carry Dirichlet data), an exact
solution u* (a torch function of one point), and a constant-coefficient linear operator

    L u = c0 u + sum_i b_i d_i u + sum_i c_i d_ii u            (:class:`LinearOperator`),

which covers every problem of the catalogue:

==============  ==========================  ==================  ====================================
name            domain                      operator            u*
==============  ==========================  ==================  ====================================
poisson1d       [0, 1]                      -u''                sin(pi x)
poisson2d       [0, 1]^2                    -Delta u            sin(pi x) sin(pi y)
heat1d          (t, x) in [0, 1]^2          u_t - u_xx / 4      exp(-pi^2 t / 4) sin(pi x)
helmholtz2d     [-1, 1]^2                   Delta u + k^2 u     sin(pi x) sin(4 pi y), k = 1
poisson10d      [0, 1]^10                   -Delta u            sum_i sin(pi x_i / 2)
==============  ==========================  ==================  ====================================

The source f = L u* and the boundary data g = u* are *derived* from u* by automatic
differentiation (``torch.func``), never typed in by hand; the tests check them against the
closed forms. Residuals (normalized by the sample sizes, seed 002 eq. for L):

    r_int_i = (L u(x_i) - f(x_i)) / sqrt(n1),     r_bd_j = (u(x_j) - g(x_j)) / sqrt(n2),
    L(u) = 1/2 (|r_int|^2 + |r_bd|^2).

Heat: the time axis is coordinate 0 and Dirichlet data sit on t = 0 (initial condition) and on
x = 0, 1; the face t = 1 carries none.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from scipy.stats import qmc

Tensor = torch.Tensor


@dataclass(frozen=True)
class LinearOperator:
    """L u = c0 u + b . grad u + sum_i c_i d_ii u (constant coefficients, diagonal 2nd order)."""

    c0: float
    b: tuple[float, ...]
    c: tuple[float, ...]

    def apply(self, u: Tensor, grad: Tensor, hess_diag: Tensor) -> Tensor:
        """L u from u (n,), grad u (n, d) and the Hessian diagonal (n, d): (n,)."""
        b = torch.tensor(self.b, dtype=grad.dtype)
        c = torch.tensor(self.c, dtype=grad.dtype)
        return self.c0 * u + grad @ b + hess_diag @ c


@dataclass(frozen=True)
class Domain:
    """Box prod_i [lo_i, hi_i]; ``dirichlet`` lists faces (axis, side) with side 0 = lo, 1 = hi."""

    lo: tuple[float, ...]
    hi: tuple[float, ...]
    dirichlet: tuple[tuple[int, int], ...] = field(default=())

    @property
    def dim(self) -> int:
        return len(self.lo)

    def __post_init__(self):
        if not self.dirichlet:
            object.__setattr__(self, "dirichlet",
                               tuple((i, s) for i in range(self.dim) for s in (0, 1)))

    def _scale(self, unit: np.ndarray) -> np.ndarray:
        lo, hi = np.asarray(self.lo), np.asarray(self.hi)
        return lo + unit * (hi - lo)

    def interior_grid(self, per_axis: int) -> np.ndarray:
        """Tensor grid of the interior nodes of a uniform grid with ``per_axis`` + 2 nodes."""
        g = np.arange(1, per_axis + 1) / (per_axis + 1)
        mesh = np.meshgrid(*([g] * self.dim), indexing="ij")
        return self._scale(np.stack([m.ravel() for m in mesh], axis=1))

    def boundary_grid(self, per_face: int) -> np.ndarray:
        """``per_face``-point tensor grids (closed) on every Dirichlet face, duplicates removed."""
        if self.dim == 1:
            pts = [np.array([[float(s)]]) for _, s in self.dirichlet]
        else:
            g = np.linspace(0.0, 1.0, per_face)
            mesh = np.meshgrid(*([g] * (self.dim - 1)), indexing="ij")
            face = np.stack([m.ravel() for m in mesh], axis=1)
            pts = [np.insert(face, axis, float(side), axis=1) for axis, side in self.dirichlet]
        unit = np.unique(np.round(np.concatenate(pts), 14), axis=0)
        return self._scale(unit)

    def interior_sobol(self, n: int, seed: int) -> np.ndarray:
        """``n`` scrambled Sobol points in the box (quasi-random collocation for high d)."""
        return self._scale(qmc.Sobol(self.dim, scramble=True, seed=seed).random(n))

    def boundary_sobol(self, n: int, seed: int) -> np.ndarray:
        """``n`` points on the Dirichlet faces: face i gets points i, i+F, ... (F faces); the
        free coordinates are scrambled Sobol points in the face."""
        faces = self.dirichlet
        unit = qmc.Sobol(self.dim - 1, scramble=True, seed=seed).random(n)
        out = np.empty((n, self.dim))
        for k in range(n):
            axis, side = faces[k % len(faces)]
            out[k] = np.insert(unit[k], axis, float(side))
        return self._scale(out)

    def uniform(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` i.i.d. uniform points (independent test points)."""
        return self._scale(rng.random((n, self.dim)))


@dataclass(frozen=True)
class Problem:
    """A PINN problem: domain + exact solution + operator (+ Dirichlet data from u*)."""

    name: str
    domain: Domain
    exact: Callable[[Tensor], Tensor]  # one point (d,) -> scalar
    operator: LinearOperator
    collocation: str = "grid"  # "grid" (low d) or "sobol" (high d)

    @property
    def dim(self) -> int:
        return self.domain.dim

    def u_exact(self, x: Tensor) -> Tensor:
        """u*(x) for points (n, d): (n,)."""
        return torch.func.vmap(self.exact)(x)

    def exact_derivatives(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """u*, grad u* (n, d) and diag Hess u* (n, d) by torch.func (vmap of grad/hessian)."""
        u = self.u_exact(x)
        grad = torch.func.vmap(torch.func.grad(self.exact))(x)
        hess = torch.func.vmap(torch.func.hessian(self.exact))(x)
        return u, grad, torch.diagonal(hess, dim1=-2, dim2=-1)

    def source(self, x: Tensor) -> Tensor:
        """f = L u* at points (n, d), derived by automatic differentiation: (n,)."""
        return self.operator.apply(*self.exact_derivatives(x))

    def residuals(self, lu_int: Tensor, f_int: Tensor, u_bd: Tensor, g_bd: Tensor) -> Tensor:
        """Stacked normalized residuals (r_int / sqrt(n1), r_bd / sqrt(n2)): (n1 + n2,).

        ``lu_int`` is L u at the interior points, ``u_bd`` u at the boundary points; the same
        function serves the network (training) and u* (the zero-residual test).
        """
        n1, n2 = f_int.shape[-1], g_bd.shape[-1]
        return torch.cat([(lu_int - f_int) / math.sqrt(n1), (u_bd - g_bd) / math.sqrt(n2)], -1)


def _poisson1d(x: Tensor) -> Tensor:
    return torch.sin(math.pi * x[0])


def _poisson2d(x: Tensor) -> Tensor:
    return torch.sin(math.pi * x[0]) * torch.sin(math.pi * x[1])


def _heat1d(x: Tensor) -> Tensor:  # x = (t, x)
    return torch.exp(-(math.pi**2) * x[0] / 4) * torch.sin(math.pi * x[1])


def _helmholtz2d(x: Tensor) -> Tensor:
    return torch.sin(math.pi * x[0]) * torch.sin(4 * math.pi * x[1])


def _poisson10d(x: Tensor) -> Tensor:
    return torch.sin(math.pi * x / 2).sum()


HELMHOLTZ_K = 1.0

PROBLEMS: dict[str, Problem] = {
    "poisson1d": Problem("poisson1d", Domain((0.0,), (1.0,)), _poisson1d,
                         LinearOperator(0.0, (0.0,), (-1.0,))),
    "poisson2d": Problem("poisson2d", Domain((0.0, 0.0), (1.0, 1.0)), _poisson2d,
                         LinearOperator(0.0, (0.0, 0.0), (-1.0, -1.0))),
    "heat1d": Problem("heat1d", Domain((0.0, 0.0), (1.0, 1.0), ((0, 0), (1, 0), (1, 1))),
                      _heat1d, LinearOperator(0.0, (1.0, 0.0), (0.0, -0.25))),
    "helmholtz2d": Problem("helmholtz2d", Domain((-1.0, -1.0), (1.0, 1.0)), _helmholtz2d,
                           LinearOperator(HELMHOLTZ_K**2, (0.0, 0.0), (1.0, 1.0))),
    "poisson10d": Problem("poisson10d", Domain((0.0,) * 10, (1.0,) * 10), _poisson10d,
                          LinearOperator(0.0, (0.0,) * 10, (-1.0,) * 10), collocation="sobol"),
}


def get_problem(name: str) -> Problem:
    try:
        return PROBLEMS[name]
    except KeyError:
        raise ValueError(f"unknown problem {name!r}; choose from {sorted(PROBLEMS)}") from None


def make_data(problem: Problem, n_interior: int, n_boundary: int, n_test: int,
              seed: int) -> dict[str, np.ndarray]:
    """Collocation and test sets, float64.

    Grid problems: ``n_interior`` interior nodes per axis and ``n_boundary`` nodes per face
    axis; Sobol problems: ``n_interior`` and ``n_boundary`` points in total. Test points are
    i.i.d. uniform in the box from an independent stream (never the training points).
    Keys: ``x_int, f_int, x_bd, g_bd, x_test, u_test``.
    """
    dom = problem.domain
    if problem.collocation == "grid":
        x_int, x_bd = dom.interior_grid(n_interior), dom.boundary_grid(n_boundary)
    else:
        x_int = dom.interior_sobol(n_interior, seed)
        x_bd = dom.boundary_sobol(n_boundary, seed + 1)
    x_test = dom.uniform(n_test, np.random.default_rng([seed, 7919]))
    t = {k: torch.from_numpy(v) for k, v in dict(x_int=x_int, x_bd=x_bd, x_test=x_test).items()}
    return dict(
        x_int=x_int,
        f_int=problem.source(t["x_int"]).numpy(),
        x_bd=x_bd,
        g_bd=problem.u_exact(t["x_bd"]).numpy(),
        x_test=x_test,
        u_test=problem.u_exact(t["x_test"]).numpy(),
    )


__all__ = ["LinearOperator", "Domain", "Problem", "PROBLEMS", "get_problem", "make_data"]
