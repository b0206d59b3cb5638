"""Where the PINN problems live and how many collocation points they get: torch-free.

The ground floor under :mod:`wideopt.pde`. A problem's *layout* is its box :class:`Domain`
(with the faces that carry Dirichlet data) and the catalogue's sampling of it
(``"grid"`` in low d, ``"sobol"`` in high d). :mod:`wideopt.pde` builds each problem on its
layout here (adding u* and the operator, which need torch); :mod:`wideopt.data.pinn_problems`
samples it; the workflow's planning (:mod:`wideopt.plan.pinn`) reads dimensions and point
counts from here without importing torch.

Point counts (:meth:`Layout.point_counts`), n = n1 + n2:

- grid: n1 = n_interior^d interior nodes; n2 = the nodes of a closed ``n_boundary``-point
  tensor grid that lie on a Dirichlet face, n_boundary^d - prod_i (n_boundary - k_i) with k_i
  the Dirichlet faces on axis i (0, 1 or 2); in 1-d the Dirichlet end points themselves;
- sobol: n1 = n_interior, n2 = n_boundary.

Parametric problems are named ``<family>-<param><value>`` (``helmholtz2d-a2``): they share
their family's layout. The default helmholtz2d is a = :data:`HELMHOLTZ_A`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

HELMHOLTZ_A = 4.0  # the catalogue's helmholtz2d: u* = sin(pi x) sin(4 pi y)

# family -> its parameter's letter in a parametric name: "helmholtz2d-a2"
PARAMETRIC = {"helmholtz2d": "a"}


@dataclass(frozen=True)
class Domain:
    """Box prod_i [lo_i, hi_i]; ``dirichlet`` lists faces (axis, side) with side 0 = lo, 1 = hi
    (default: every face)."""

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

    def from_unit(self, unit: np.ndarray) -> np.ndarray:
        """Points of the unit cube (n, d) mapped affinely onto the box: lo + unit (hi - lo)."""
        lo, hi = np.asarray(self.lo), np.asarray(self.hi)
        return lo + unit * (hi - lo)


@dataclass(frozen=True)
class Layout:
    """A problem's domain and the catalogue's sampling of it (``"grid"`` or ``"sobol"``)."""

    domain: Domain
    collocation: str = "grid"

    @property
    def dim(self) -> int:
        return self.domain.dim

    def point_counts(self, n_interior: int, n_boundary: int) -> tuple[int, int]:
        """(n1, n2): interior and boundary collocation points (formulas: module doc)."""
        if self.collocation == "sobol":
            return n_interior, n_boundary
        d = self.dim
        if d == 1:
            return n_interior, len(self.domain.dirichlet)
        faces = [sum(1 for axis, _ in self.domain.dirichlet if axis == i) for i in range(d)]
        off_faces = math.prod(max(n_boundary - k, 0) for k in faces)
        return n_interior**d, n_boundary**d - off_faces


def cube(dim: int) -> Layout:
    """[0, 1]^dim, Dirichlet on every face, Sobol points (section E's Poisson at any d)."""
    return Layout(Domain((0.0,) * dim, (1.0,) * dim), "sobol")


LAYOUTS: dict[str, Layout] = {
    "poisson1d": Layout(Domain((0.0,), (1.0,))),
    "poisson2d": Layout(Domain((0.0, 0.0), (1.0, 1.0))),
    # (t, x): Dirichlet data at t = 0 (initial condition) and x = 0, 1; none at t = 1
    "heat1d": Layout(Domain((0.0, 0.0), (1.0, 1.0), ((0, 0), (1, 0), (1, 1)))),
    "helmholtz2d": Layout(Domain((-1.0, -1.0), (1.0, 1.0))),
    "poisson10d": cube(10),
}


def helmholtz_name(a: float) -> str:
    """``helmholtz2d`` at the default a, else ``helmholtz2d-a<a>`` (``%g``)."""
    return "helmholtz2d" if float(a) == HELMHOLTZ_A else f"helmholtz2d-a{float(a):g}"


def parse_name(name: str) -> tuple[str, float | None]:
    """(family, parameter value) of a problem name: ``helmholtz2d-a2`` -> (helmholtz2d, 2.0),
    a registered name -> (name, None); a clear error for anything else."""
    if name in LAYOUTS:
        return name, None
    family, _, arg = name.partition("-")
    param = PARAMETRIC.get(family)
    if param is not None and arg.startswith(param):
        try:
            return family, float(arg[len(param):])
        except ValueError:
            pass
    raise ValueError(f"unknown problem {name!r}; choose from {sorted(LAYOUTS)} or "
                     f"{[f'{f}-{p}<value>' for f, p in PARAMETRIC.items()]}")


def get_layout(name: str) -> Layout:
    """The layout of a registered or parametric problem (:func:`parse_name`)."""
    return LAYOUTS[parse_name(name)[0]]


__all__ = ["Domain", "Layout", "LAYOUTS", "HELMHOLTZ_A", "PARAMETRIC", "cube", "get_layout",
           "helmholtz_name", "parse_name"]
