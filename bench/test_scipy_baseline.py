"""Tests of bench/scipy_baseline.py on a small random network.

Run with `python3 -m unittest bench/test_scipy_baseline.py` from the repository root.
"""

import importlib.util
import pathlib
import unittest

import numpy as np

_PATH = pathlib.Path(__file__).with_name("scipy_baseline.py")
_SPEC = importlib.util.spec_from_file_location("scipy_baseline", _PATH)
baseline = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(baseline)


def random_spec(seed=0, d=3, m=8, n=5, alpha=10.0, T=50.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    return {
        "name": "test",
        "model": {
            "type": "mlp",
            "activation": "tanh",
            "init": {"weights": {"W": rng.normal(size=(m, d)).tolist(), "a": rng.normal(size=m).tolist()}},
        },
        "data": {"x": x.tolist(), "y": np.sin(x[:, 0]).tolist()},
        "training": {"alpha": alpha, "T": T},
        "analysis": {"times": np.geomspace(T / 100, T, 5).tolist()},
    }


def central_difference(function, point, step=1e-6):
    """Return the Jacobian of function at point by central differences, one column per entry."""
    columns = []
    for k in range(point.size):
        offset = np.zeros_like(point)
        offset[k] = step
        columns.append((function(point + offset) - function(point - offset)) / (2 * step))
    return np.stack(columns, axis=1)


class TanhNetworkTest(unittest.TestCase):
    def setUp(self):
        self.network = baseline.TanhNetwork(random_spec())
        self.point = np.random.default_rng(1).normal(size=self.network.p) * 0.1

    def test_jacobian_matches_central_differences(self):
        numeric = central_difference(self.network.outputs, self.point)
        error = np.abs(self.network.jacobian(self.point) - numeric).max()
        self.assertLess(error, 1e-8, f"max |J - J_fd| = {error}, tolerance 1e-8")

    def test_velocity_is_jacobian_transpose_residual(self):
        jacobian = self.network.jacobian(self.point)
        expected = jacobian.T @ self.network.residual(self.point) / self.network.alpha
        error = np.abs(self.network.velocity(0.0, self.point) - expected).max()
        self.assertLess(error, 1e-14, f"max |velocity - J^T r / alpha| = {error}, tolerance 1e-14")

    def test_jacobian_product_matches_dense_product(self):
        vector = np.random.default_rng(2).normal(size=self.network.p)
        expected = self.network.jacobian(self.point) @ vector
        error = np.abs(self.network.jacobian_product(self.point, vector) - expected).max()
        self.assertLess(error, 1e-13, f"max |J v - dense J v| = {error}, tolerance 1e-13")

    def test_velocity_jacobian_matches_central_differences(self):
        numeric = central_difference(lambda w: self.network.velocity(0.0, w), self.point)
        analytic = self.network.velocity_jacobian(0.0, self.point)
        error = np.abs(analytic - numeric).max()
        self.assertLess(error, 1e-7, f"max |dv/dw - fd| = {error}, tolerance 1e-7")


class SystemsTest(unittest.TestCase):
    def test_direct_and_deviation_systems_agree(self):
        spec = random_spec()
        network = baseline.TanhNetwork(spec)
        linearization = baseline.Linearization(network)
        times = np.asarray(spec["analysis"]["times"])
        results = {}
        for name, system_class in baseline.SYSTEMS.items():
            run = {"method": "DOP853", "rtol": 1e-12, "system": name, "atol": 1e-18}
            results[name] = baseline.integrate_problem(system_class(network, linearization), times, run, None)
        direct = np.asarray(results["direct"]["err"])
        deviation = np.asarray(results["deviation"]["err"])
        error = np.abs(direct - deviation).max() / deviation.max()
        self.assertLess(error, 1e-8, f"E direct {direct} vs deviation {deviation}: {error}, tolerance 1e-8")

    def test_linearization_starts_at_initial_residual(self):
        network = baseline.TanhNetwork(random_spec())
        linearization = baseline.Linearization(network)
        error = np.abs(linearization.residual(0.0) - network.y).max()
        self.assertLess(error, 1e-14, f"max |rbar(0) - y| = {error}, tolerance 1e-14")


if __name__ == "__main__":
    unittest.main()
