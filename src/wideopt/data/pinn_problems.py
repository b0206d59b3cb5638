"""Collocation and test points of the PINN problems (seed 002): sampling only.

The problems themselves (domain, operator, exact solution) live on the ground floor,
:mod:`wideopt.pde`. Here a :class:`~wideopt.pde.Problem` is sampled into a
:class:`Collocation`:

- grid problems (low d): the interior nodes of a uniform grid with ``n_interior`` + 2 nodes per
  axis (``n_interior``^d points) and closed ``n_boundary``-point tensor grids on every Dirichlet
  face, duplicates (edges, corners) removed;
- Sobol problems (high d): ``n_interior`` scrambled Sobol points in the box and ``n_boundary``
  points on the Dirichlet faces (face i gets points i, i + F, ...; free coordinates Sobol);
- test points: ``n_test`` i.i.d. uniform points in the box from an independent stream
  (never the training points).

f = L u* at the interior points and g = u* at the boundary points come from
:meth:`Problem.source` and :meth:`Problem.u_exact`. Shapes: x_int (n1, d), f_int (n1,),
x_bd (n2, d), g_bd (n2,), x_test (n_test, d), u_test (n_test,); float64.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import torch
from scipy.stats import qmc

from wideopt.pde import Domain, Problem

Tensor = torch.Tensor


def interior_grid(dom: Domain, per_axis: int) -> np.ndarray:
    """Tensor grid of the interior nodes of a uniform grid with ``per_axis`` + 2 nodes."""
    g = np.arange(1, per_axis + 1) / (per_axis + 1)
    mesh = np.meshgrid(*([g] * dom.dim), indexing="ij")
    return dom.from_unit(np.stack([m.ravel() for m in mesh], axis=1))


def boundary_grid(dom: Domain, per_face: int) -> np.ndarray:
    """``per_face``-point tensor grids (closed) on every Dirichlet face, duplicates removed."""
    if dom.dim == 1:
        pts = [np.array([[float(s)]]) for _, s in dom.dirichlet]
    else:
        g = np.linspace(0.0, 1.0, per_face)
        mesh = np.meshgrid(*([g] * (dom.dim - 1)), indexing="ij")
        face = np.stack([m.ravel() for m in mesh], axis=1)
        pts = [np.insert(face, axis, float(side), axis=1) for axis, side in dom.dirichlet]
    unit = np.unique(np.round(np.concatenate(pts), 14), axis=0)
    return dom.from_unit(unit)


def interior_sobol(dom: Domain, n: int, seed: int) -> np.ndarray:
    """``n`` scrambled Sobol points in the box (quasi-random collocation for high d)."""
    return dom.from_unit(qmc.Sobol(dom.dim, scramble=True, seed=seed).random(n))


def boundary_sobol(dom: Domain, n: int, seed: int) -> np.ndarray:
    """``n`` points on the Dirichlet faces: face i gets points i, i+F, ... (F faces); the
    free coordinates are scrambled Sobol points in the face."""
    faces = dom.dirichlet
    unit = qmc.Sobol(dom.dim - 1, scramble=True, seed=seed).random(n)
    out = np.empty((n, dom.dim))
    for k in range(n):
        axis, side = faces[k % len(faces)]
        out[k] = np.insert(unit[k], axis, float(side))
    return dom.from_unit(out)


def uniform(dom: Domain, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` i.i.d. uniform points (independent test points)."""
    return dom.from_unit(rng.random((n, dom.dim)))


@dataclass(frozen=True)
class Collocation:
    """The training and test points of one problem, float64 tensors (shapes: module doc).

    A module that uses them registers them as buffers (:meth:`items`), so they follow it to
    any device; :meth:`arrays` / :meth:`from_arrays` convert to and from the ``.npz`` file.
    """

    x_int: Tensor
    f_int: Tensor
    x_bd: Tensor
    g_bd: Tensor
    x_test: Tensor
    u_test: Tensor

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Collocation:
        return cls(**{f.name: torch.as_tensor(arrays[f.name], dtype=torch.float64)
                      for f in fields(cls)})

    def items(self) -> list[tuple[str, Tensor]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: v.cpu().numpy() for k, v in self.items()}

    @property
    def sizes(self) -> tuple[int, int]:
        """(n1, n2): interior and boundary collocation points."""
        return self.x_int.shape[0], self.x_bd.shape[0]


def make_collocation(problem: Problem, n_interior: int, n_boundary: int, n_test: int,
                     seed: int) -> Collocation:
    """Collocation and test sets of ``problem`` (sizes as in the module doc; ``seed``: the
    Sobol scrambling and the test-point stream). The counts (n1, n2) are those of
    :meth:`wideopt.domains.Layout.point_counts`, which the workflow's planning reads."""
    dom = problem.domain
    n1, n2 = problem.layout.point_counts(n_interior, n_boundary)
    if problem.collocation == "grid":
        x_int, x_bd = interior_grid(dom, n_interior), boundary_grid(dom, n_boundary)
        if (len(x_int), len(x_bd)) != (n1, n2):
            raise RuntimeError(f"{problem.name}: the grids hold {len(x_int)} + {len(x_bd)} "
                               f"points, Layout.point_counts says {n1} + {n2}")
    else:
        x_int = interior_sobol(dom, n1, seed)
        x_bd = boundary_sobol(dom, n2, seed + 1)
    x_test = uniform(dom, n_test, np.random.default_rng([seed, 7919]))
    t = {k: torch.from_numpy(v) for k, v in dict(x_int=x_int, x_bd=x_bd, x_test=x_test).items()}
    return Collocation(x_int=t["x_int"], f_int=problem.source(t["x_int"]), x_bd=t["x_bd"],
                       g_bd=problem.u_exact(t["x_bd"]), x_test=t["x_test"],
                       u_test=problem.u_exact(t["x_test"]))


__all__ = ["Collocation", "make_collocation", "interior_grid", "boundary_grid",
           "interior_sobol", "boundary_sobol", "uniform"]
