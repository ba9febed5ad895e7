#!/usr/bin/env python3
"""Integrate a benchmark problem's gradient flow with SciPy's solve_ivp integrators.

Reads a spec written by bench/run.ts (a two-layer tanh network in NTK parametrization,
f(x) = (1/sqrt m) sum_j a_j tanh(<W_j, x> / sqrt d), centered h(w) = f(w) - f(w0), parameters
w = (W row-major, a)) and integrates

    dw/dt = J(w)^T r / alpha,   r = y - alpha (f(w) - f(w0)),

the gradient flow of the sum loss 1/2 ||alpha h(w) - y||^2 / alpha^2. The state is the
displacement w - w0, which obeys the same equation and keeps its small entries free of the
rounding of w0. E(t) = ||r(t) - rbar(t)|| uses the closed-form linearization
rbar(t) = V exp(-Lambda t) V^T r0 from the eigendecomposition K0 = J0 J0^T = V Lambda V^T.

Prints one JSON object: versions, thread settings and, per run, wall and CPU time, right-hand-side
evaluations (nfev), Jacobian evaluations (njev), accepted steps and the E(t) series.
Usage: scipy_baseline.py PROBLEM.json --run DOP853:1e-12 [--run DOP853:1e-12:deviation]
       [--run LSODA:1e-10 --time-cap 300]
"""

import os

# One BLAS thread, set before NumPy loads its BLAS, so the timings compare with one Node thread.
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy import integrate  # noqa: E402

SOLVER_CLASSES = {
    "DOP853": integrate.DOP853,
    "RK45": integrate.RK45,
    "LSODA": integrate.LSODA,
    "BDF": integrate.BDF,
    "Radau": integrate.Radau,
}
IMPLICIT_METHODS = {"LSODA", "BDF", "Radau"}


class TanhNetwork:
    """Two-layer tanh network in NTK parametrization evaluated on fixed inputs."""

    def __init__(self, spec):
        model = spec["model"]
        if model.get("type") != "mlp" or model.get("activation") != "tanh":
            raise ValueError(
                f"model must be an mlp with activation 'tanh', got type {model.get('type')!r} "
                f"and activation {model.get('activation')!r}"
            )
        weights = model["init"]["weights"]
        self.W0 = np.asarray(weights["W"], dtype=float)
        self.a0 = np.asarray(weights["a"], dtype=float)
        self.X = np.asarray(spec["data"]["x"], dtype=float)
        self.y = np.asarray(spec["data"]["y"], dtype=float)
        self.m, self.d = self.W0.shape
        self.n = self.X.shape[0]
        self.p = self.m * self.d + self.m
        self.alpha = float(spec["training"]["alpha"])
        self.scaled_inputs = self.X / np.sqrt(self.d)
        self.scaled_inputs_t = np.ascontiguousarray(self.scaled_inputs.T)
        self.f0 = self.outputs(np.zeros(self.p))

    def split(self, displacement):
        """Return W and a at w0 + displacement."""
        W = self.W0 + displacement[: self.m * self.d].reshape(self.m, self.d)
        a = self.a0 + displacement[self.m * self.d :]
        return W, a

    def layer(self, displacement):
        """Return a, tanh(X W^T / sqrt d) and tanh' at w0 + displacement: the one forward pass."""
        W, a = self.split(displacement)
        activations = np.tanh(self.scaled_inputs @ W.T)
        return a, activations, 1.0 - activations * activations

    def outputs(self, displacement):
        a, activations, _ = self.layer(displacement)
        return activations @ a / np.sqrt(self.m)

    def residual(self, displacement):
        return self.y - self.alpha * (self.outputs(displacement) - self.f0)

    def velocity(self, _t, displacement):
        """Return dw/dt = J(w)^T r / alpha without forming J (cost O(n m d))."""
        a, activations, slopes = self.layer(displacement)
        residual = self.y - self.alpha * (activations @ a / np.sqrt(self.m) - self.f0)
        return self.transpose_product(a, activations, slopes, residual / self.alpha)

    def gradient(self, displacement, vector):
        """Return J(w)^T v without forming J (cost O(n m d))."""
        return self.transpose_product(*self.layer(displacement), vector)

    def transpose_product(self, a, activations, slopes, vector):
        """Return J^T v from the forward pass of `layer`."""
        result = np.empty(self.p)
        result[self.m * self.d :] = vector @ activations / np.sqrt(self.m)
        weighted = slopes * a
        weighted *= vector[:, None]
        # X^T (weighted) is d x m; its transpose, raveled, is the row-major m x d block of W.
        result[: self.m * self.d] = (self.scaled_inputs_t @ weighted).T.ravel() / np.sqrt(self.m)
        return result

    def jacobian_product(self, displacement, vector):
        """Return J(w) v without forming J (cost O(n m d))."""
        return self.forward_product(*self.layer(displacement), vector)

    def forward_product(self, a, activations, slopes, vector):
        """Return J u from the forward pass of `layer`."""
        vector_W = vector[: self.m * self.d].reshape(self.m, self.d)
        vector_a = vector[self.m * self.d :]
        projections = self.scaled_inputs @ vector_W.T
        return (activations @ vector_a + (slopes * projections) @ a) / np.sqrt(self.m)

    def jacobian(self, displacement):
        """Return J(w) = Dh(w), n x p, columns ordered as (W row-major, a)."""
        W, a = self.split(displacement)
        activations = np.tanh(self.X @ W.T / np.sqrt(self.d))
        slopes = 1.0 - activations**2
        jacobian_W = (slopes * a)[:, :, None] * self.X[:, None, :] / np.sqrt(self.d * self.m)
        return np.concatenate(
            [jacobian_W.reshape(self.n, -1), activations / np.sqrt(self.m)], axis=1
        )

    def velocity_jacobian(self, _t, displacement):
        """Return d(velocity)/dw = -J^T J + (1/alpha) sum_i r_i Hess h_i, dense p x p.

        The Hessian of f(x_i) couples only parameters of the same hidden unit j:
        d2f/dW_j dW_j = a_j tanh''(z_ij) x_i x_i^T / (d sqrt m) and
        d2f/dW_j da_j = tanh'(z_ij) x_i / sqrt(d m), with tanh'' = -2 tanh tanh'.
        """
        W, a = self.split(displacement)
        activations = np.tanh(self.X @ W.T / np.sqrt(self.d))
        slopes = 1.0 - activations**2
        residual = self.y - self.alpha * (activations @ a / np.sqrt(self.m) - self.f0)
        jacobian = self.jacobian(displacement)
        result = -(jacobian.T @ jacobian)

        curvature = -2.0 * activations * slopes * residual[:, None]
        blocks = np.einsum("ij,ik,il->jkl", curvature, self.X, self.X)
        blocks *= (a / (self.d * np.sqrt(self.m)))[:, None, None] / self.alpha
        cross = (slopes * residual[:, None]).T @ self.X / np.sqrt(self.d * self.m) / self.alpha
        offset = self.m * self.d
        for j in range(self.m):
            rows = slice(j * self.d, (j + 1) * self.d)
            result[rows, rows] += blocks[j]
            result[rows, offset + j] += cross[j]
            result[offset + j, rows] += cross[j]
        return result


class Linearization:
    """Closed-form residual of the linearized flow, rbar(t) = exp(-K0 t) r0."""

    def __init__(self, network):
        jacobian = network.jacobian(np.zeros(network.p))
        kernel = jacobian @ jacobian.T
        eigenvalues, self.eigenvectors = np.linalg.eigh((kernel + kernel.T) / 2)
        # Rounding makes eigenvalues of a positive semidefinite kernel slightly negative.
        self.eigenvalues = np.maximum(eigenvalues, 0.0)
        self.coefficients = self.eigenvectors.T @ network.residual(np.zeros(network.p))

    def residual(self, t):
        return self.eigenvectors @ (np.exp(-self.eigenvalues * t) * self.coefficients)

    def kernel_residual(self, t):
        """Return K0 rbar(t)."""
        decay = np.exp(-self.eigenvalues * t)
        return self.eigenvectors @ (self.eigenvalues * decay * self.coefficients)


class DirectSystem:
    """The weights' flow itself; E is the difference of r and rbar taken afterwards."""

    name = "direct"

    def __init__(self, network, linearization):
        self.network = network
        self.linearization = linearization
        self.initial = np.zeros(network.p)
        self.rhs = network.velocity
        self.jac = network.velocity_jacobian

    def residuals(self, t, state):
        """Return r(t) and rbar(t)."""
        return self.network.residual(state), self.linearization.residual(t)

    def displacement(self, state):
        return state


class DeviationSystem:
    """The weights with the deviation e = r - rbar as extra state, so the solver controls E itself.

    du/dt = J(w)^T (rbar + e) / alpha and de/dt = -K(w) (rbar + e) + K0 rbar, with K = J J^T.
    E can be orders of magnitude below ||r||; integrating e directly keeps its relative accuracy
    where the difference of two separately integrated residuals loses it to cancellation.
    """

    name = "deviation"

    def __init__(self, network, linearization):
        self.network = network
        self.linearization = linearization
        self.initial = np.zeros(network.p + network.n)
        self.jac = None

    def rhs(self, t, state):
        displacement = state[: self.network.p]
        linear = self.linearization.residual(t)
        residual = linear + state[self.network.p :]
        layer = self.network.layer(displacement)
        gradient = self.network.transpose_product(*layer, residual)
        deviation_rate = -self.network.forward_product(*layer, gradient)
        deviation_rate += self.linearization.kernel_residual(t)
        return np.concatenate([gradient / self.network.alpha, deviation_rate])

    def residuals(self, t, state):
        linear = self.linearization.residual(t)
        return linear + state[self.network.p :], linear

    def displacement(self, state):
        return state[: self.network.p]


SYSTEMS = {"direct": DirectSystem, "deviation": DeviationSystem}


def integrate_problem(system, times, run, time_cap):
    """Integrate to max(times) step by step, sampling the dense output at the report times."""
    options = {"rtol": run["rtol"], "atol": run["atol"]}
    if run["method"] in IMPLICIT_METHODS:
        options["jac"] = system.jac
    started = time.perf_counter()
    cpu_started = time.process_time()
    solver = SOLVER_CLASSES[run["method"]](
        system.rhs, 0.0, system.initial.copy(), float(times[-1]), **options
    )
    states = []
    steps = 0
    next_index = 0
    status = "finished"
    while next_index < len(times):
        message = solver.step()
        if solver.status == "failed":
            status = f"failed: {message}"
            break
        steps += 1
        interpolant = None
        while next_index < len(times) and times[next_index] <= solver.t:
            if times[next_index] == solver.t:
                states.append(solver.y.copy())
            else:
                interpolant = interpolant or solver.dense_output()
                states.append(interpolant(times[next_index]))
            next_index += 1
        if time_cap is not None and time.perf_counter() - started > time_cap:
            status = f"stopped at t = {solver.t:.6g} after the time cap of {time_cap} s"
            break
    wall_time = time.perf_counter() - started
    cpu_time = time.process_time() - cpu_started

    pairs = [system.residuals(t, state) for t, state in zip(times, states)]
    return {
        **run,
        "system": system.name,
        "status": status,
        "wallTimeMs": wall_time * 1000.0,
        "cpuTimeMs": cpu_time * 1000.0,
        "nfev": int(solver.nfev),
        "njev": int(getattr(solver, "njev", 0)),
        "steps": steps,
        "times": [float(t) for t in times[: len(states)]],
        "err": [float(np.linalg.norm(r - linear)) for r, linear in pairs],
        "normR": [float(np.linalg.norm(r)) for r, _ in pairs],
        "normRbar": [float(np.linalg.norm(linear)) for _, linear in pairs],
        "normDw": [float(np.linalg.norm(system.displacement(state))) for state in states],
    }


def parse_run(text):
    """Parse METHOD:RTOL[:SYSTEM]."""
    fields = text.split(":")
    usage = (
        f"expected METHOD:RTOL[:SYSTEM] with METHOD one of {', '.join(SOLVER_CLASSES)} and "
        f"SYSTEM one of {', '.join(SYSTEMS)}, for example DOP853:1e-12 or DOP853:1e-12:deviation"
    )
    if len(fields) not in (2, 3) or fields[0] not in SOLVER_CLASSES:
        raise argparse.ArgumentTypeError(f"invalid run {text!r}: {usage}")
    system = fields[2] if len(fields) == 3 else "direct"
    if system not in SYSTEMS:
        raise argparse.ArgumentTypeError(f"invalid system {system!r} in run {text!r}: {usage}")
    if system == "deviation" and fields[0] in IMPLICIT_METHODS:
        raise argparse.ArgumentTypeError(
            f"invalid run {text!r}: the deviation system has no analytic Jacobian, "
            "so use an explicit method (DOP853 or RK45) with it"
        )
    try:
        rtol = float(fields[1])
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid rtol {fields[1]!r} in run {text!r}: {usage}")
    return {"method": fields[0], "rtol": rtol, "system": system}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("problem", help="benchmark spec JSON written by bench/run.ts")
    parser.add_argument(
        "--run", action="append", type=parse_run, required=True,
        help="METHOD:RTOL[:SYSTEM], repeatable; METHOD is DOP853, RK45, LSODA, BDF or Radau; "
        "SYSTEM is direct (the weights' flow, default) or deviation (weights and e = r - rbar)",
    )
    parser.add_argument(
        "--atol", type=float, default=1e-15,
        help="absolute tolerance on every state entry of the direct system (w - w0)",
    )
    parser.add_argument(
        "--deviation-atol", type=float, default=1e-20,
        help="absolute tolerance on every state entry of the deviation system (w - w0 and e)",
    )
    parser.add_argument(
        "--time-cap", type=float, default=None,
        help="stop a run after this many seconds of wall time and report where it stopped",
    )
    args = parser.parse_args()

    with open(args.problem, encoding="utf-8") as file:
        spec = json.load(file)
    network = TanhNetwork(spec)
    linearization = Linearization(network)
    times = np.asarray(spec["analysis"]["times"], dtype=float)

    runs = []
    for run in args.run:
        system = SYSTEMS[run["system"]](network, linearization)
        atol = args.atol if run["system"] == "direct" else args.deviation_atol
        runs.append(integrate_problem(system, times, {**run, "atol": atol}, args.time_cap))
    json.dump(
        {
            "problem": spec.get("name"),
            "parameterCount": network.p,
            "outputCount": network.n,
            "lambdaMaxK0": float(linearization.eigenvalues[-1]),
            "lambdaMinK0": float(linearization.eigenvalues[0]),
            "scipyVersion": scipy.__version__,
            "numpyVersion": np.__version__,
            "threads": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
            "runs": runs,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
