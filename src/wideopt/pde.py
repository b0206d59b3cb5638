"""PDE problems for two-layer PINNs (seed 002), composed from parts: the ground floor.

A :class:`Problem` is a box :class:`Domain` (with the faces that carry Dirichlet data), an exact
solution u* (a torch function of one point), and a constant-coefficient linear operator

    L u = c0 u + sum_i b_i d_i u + sum_i c_i d_ii u            (:class:`LinearOperator`),

which covers every problem of the catalogue (:data:`PROBLEMS`):

==============  ==========================  ==================  ====================================
name            domain                      operator            u*
==============  ==========================  ==================  ====================================
poisson1d       [0, 1]                      -u''                sin(pi x)
poisson2d       [0, 1]^2                    -Delta u            sin(pi x) sin(pi y)
heat1d          (t, x) in [0, 1]^2          u_t - u_xx / 4      exp(-pi^2 t / 4) sin(pi x)
helmholtz2d     [-1, 1]^2                   Delta u + k^2 u     sin(pi x) sin(a pi y), a = 4, k = 1
poisson10d      [0, 1]^10                   -Delta u            sum_i sin(pi x_i / 2)
==============  ==========================  ==================  ====================================

Parametric problems (:data:`FACTORIES`) take a parameter in their name,
``<family>-<param><value>``: ``helmholtz2d-a2`` is :func:`helmholtz2d` with a = 2
(u* = sin(pi x) sin(2 pi y), source f = (k^2 - (1 + a^2) pi^2) u*); the bare family name is its
default (a = :data:`HELMHOLTZ_A`).

The source f = L u* and the boundary data g = u* are *derived* from u* by automatic
differentiation (``torch.func``), never typed in by hand; the tests check them against the
closed forms. Heat: the time axis is coordinate 0 and Dirichlet data sit on t = 0 (initial
condition) and on x = 0, 1; the face t = 1 carries none.

Domains, samplings and point counts (torch-free) live one floor down, :mod:`wideopt.domains`:
each problem here is built on its layout there.

Nothing here samples points (``wideopt.data.pinn_problems``), knows a network
(``wideopt.models.pinn_two_layer``) or assembles residuals (``wideopt.training.pinn.residual``).
Shapes: points (n, d), values (n,); float64 throughout.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import torch

from wideopt.domains import (
    HELMHOLTZ_A,
    LAYOUTS,
    PARAMETRIC,
    Domain,
    Layout,
    cube,
    helmholtz_name,
    parse_name,
)

Tensor = torch.Tensor


@dataclass(frozen=True)
class LinearOperator:
    """L u = c0 u + b . grad u + sum_i c_i d_ii u (constant coefficients, diagonal 2nd order)."""

    c0: float
    b: tuple[float, ...]
    c: tuple[float, ...]

    def apply(self, u: Tensor, grad: Tensor, hess_diag: Tensor) -> Tensor:
        """L u from u (n,), grad u (n, d) and the Hessian diagonal (n, d): (n,)."""
        b = torch.tensor(self.b, dtype=grad.dtype, device=grad.device)
        c = torch.tensor(self.c, dtype=grad.dtype, device=grad.device)
        return self.c0 * u + grad @ b + hess_diag @ c


@dataclass(frozen=True)
class Problem:
    """A PINN problem: domain + exact solution + operator (+ Dirichlet data from u*).

    ``collocation`` names the sampling the catalogue uses for it: "grid" (low d) or "sobol"
    (high d); :mod:`wideopt.data.pinn_problems` implements both.
    """

    name: str
    domain: Domain
    exact: Callable[[Tensor], Tensor]  # one point (d,) -> scalar
    operator: LinearOperator
    collocation: str = "grid"

    @property
    def dim(self) -> int:
        return self.domain.dim

    @property
    def layout(self) -> Layout:
        """Its domain and sampling (point counts: :meth:`wideopt.domains.Layout.point_counts`)."""
        return Layout(self.domain, self.collocation)

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


def _poisson1d(x: Tensor) -> Tensor:
    return torch.sin(math.pi * x[0])


def _poisson2d(x: Tensor) -> Tensor:
    return torch.sin(math.pi * x[0]) * torch.sin(math.pi * x[1])


def _heat1d(x: Tensor) -> Tensor:  # x = (t, x)
    return torch.exp(-(math.pi**2) * x[0] / 4) * torch.sin(math.pi * x[1])


def _helmholtz2d(x: Tensor, a: float) -> Tensor:
    return torch.sin(math.pi * x[0]) * torch.sin(a * math.pi * x[1])


def _poisson10d(x: Tensor) -> Tensor:
    return torch.sin(math.pi * x / 2).sum()


HELMHOLTZ_K = 1.0


def _on_layout(name: str, exact: Callable[[Tensor], Tensor], operator: LinearOperator,
               family: str | None = None) -> Problem:
    """The problem ``name`` on its (family's) layout of :data:`wideopt.domains.LAYOUTS`."""
    layout = LAYOUTS[family or name]
    return Problem(name, layout.domain, exact, operator, layout.collocation)


def helmholtz2d(a: float = HELMHOLTZ_A, k: float = HELMHOLTZ_K) -> Problem:
    """Delta u + k^2 u = f on [-1, 1]^2 with u* = sin(pi x) sin(a pi y) (a = frequency in y;
    ``a`` periods / 2 across the domain). Named ``helmholtz2d`` at the default a, else
    ``helmholtz2d-a<a>``."""
    return _on_layout(helmholtz_name(a), partial(_helmholtz2d, a=float(a)),
                      LinearOperator(k**2, (0.0, 0.0), (1.0, 1.0)), family="helmholtz2d")


# family -> factory of its parametric problems (``get_problem("<family>-<param><value>")``;
# the parameter's letter: wideopt.domains.PARAMETRIC)
FACTORIES: dict[str, Callable[..., Problem]] = {"helmholtz2d": helmholtz2d}

PROBLEMS: dict[str, Problem] = {
    "poisson1d": _on_layout("poisson1d", _poisson1d, LinearOperator(0.0, (0.0,), (-1.0,))),
    "poisson2d": _on_layout("poisson2d", _poisson2d,
                            LinearOperator(0.0, (0.0, 0.0), (-1.0, -1.0))),
    "heat1d": _on_layout("heat1d", _heat1d, LinearOperator(0.0, (1.0, 0.0), (0.0, -0.25))),
    "helmholtz2d": helmholtz2d(),
    "poisson10d": _on_layout("poisson10d", _poisson10d,
                             LinearOperator(0.0, (0.0,) * 10, (-1.0,) * 10)),
}


def _sum_sines(x: Tensor) -> Tensor:
    return torch.sin(math.pi * x / 2).sum()


def poisson_cube(dim: int) -> Problem:
    """Section E's Poisson in d dimensions (``open_ngd_dimension``), section C's poisson10d at
    any d: -Delta u = f on [0, 1]^dim, u* = sum_i sin(pi x_i / 2), Dirichlet on every face."""
    layout = cube(dim)
    return Problem(f"poisson_cube{dim}", layout.domain, _sum_sines,
                   LinearOperator(0.0, (0.0,) * dim, (-1.0,) * dim), layout.collocation)


def get_problem(name: str) -> Problem:
    """The registered problem ``name``, or a parametric one ``<family>-<param><value>``
    (:func:`wideopt.domains.parse_name`); a clear error naming the choices otherwise."""
    if name in PROBLEMS:
        return PROBLEMS[name]
    family, value = parse_name(name)
    return FACTORIES[family](**{PARAMETRIC[family]: value})


__all__ = ["LinearOperator", "Domain", "Problem", "PROBLEMS", "FACTORIES", "HELMHOLTZ_A",
           "helmholtz2d", "poisson_cube", "get_problem"]
