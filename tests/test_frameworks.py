"""Trained networks in: ONNX graphs built with onnx.helper (and, where torch is installed, a
torch nn.Sequential) load exactly and agree with the framework's own evaluation."""

from fractions import Fraction

import numpy as np
import pytest

from symdepth import Network, NetworkError, check_taylor

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper  # noqa: E402
from onnx.reference import ReferenceEvaluator  # noqa: E402


def _tensor(name, array):
    return helper.make_tensor(name, TensorProto.FLOAT, list(array.shape), array.astype(np.float32).ravel().tolist())


def _dense_model(path, sizes, activation, matmul=False, seed=0, alpha=None):
    rng = np.random.default_rng(seed)
    nodes, inits, current = [], [], "x"
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        w = rng.normal(size=(b, a)).astype(np.float32)
        bias = rng.normal(size=(b,)).astype(np.float32)
        if matmul:
            inits += [_tensor(f"W{i}", w.T), _tensor(f"B{i}", bias)]
            nodes += [helper.make_node("MatMul", [current, f"W{i}"], [f"m{i}"]),
                      helper.make_node("Add", [f"m{i}", f"B{i}"], [f"z{i}"])]
        else:
            inits += [_tensor(f"W{i}", w), _tensor(f"B{i}", bias)]
            nodes.append(helper.make_node("Gemm", [current, f"W{i}", f"B{i}"], [f"z{i}"], transB=1))
        current = f"z{i}"
        if i < len(sizes) - 2:
            kwargs = {"alpha": alpha} if alpha is not None else {}
            nodes.append(helper.make_node(activation, [current], [f"h{i}"], **kwargs))
            current = f"h{i}"
    graph = helper.make_graph(nodes, "dense", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, sizes[0]])],
                              [helper.make_tensor_value_info(current, TensorProto.FLOAT, [1, 1])], inits)
    onnx.save(helper.make_model(graph), str(path))
    return ReferenceEvaluator(str(path))


@pytest.mark.parametrize("activation,matmul,alpha", [("Tanh", False, None), ("Relu", True, None),
                                                     ("Sigmoid", False, None), ("Softplus", True, None),
                                                     ("LeakyRelu", False, 0.1)])
def test_onnx_network_agrees_with_onnx(tmp_path, activation, matmul, alpha):
    path = tmp_path / "m.onnx"
    reference = _dense_model(path, [3, 5, 4, 1], activation, matmul, alpha=alpha)
    net = Network.from_onnx(str(path))
    assert net.layer_sizes == [5, 4] and net.num_inputs == 3
    rng = np.random.default_rng(1)
    for _ in range(10):
        x = rng.uniform(-2, 2, size=3).astype(np.float32)
        theirs = float(reference.run(None, {"x": x.reshape(1, 3)})[0][0, 0])
        ours = float(net.evaluate([Fraction(float(v)) for v in x], dps=30))
        assert abs(ours - theirs) <= 1e-5 * max(1.0, abs(theirs))  # float32 arithmetic on their side


def test_onnx_weights_are_the_exact_float32_values(tmp_path):
    path = tmp_path / "m.onnx"
    _dense_model(path, [1, 2, 1], "Tanh")
    model = onnx.load(str(path))
    w0 = onnx.numpy_helper.to_array(model.graph.initializer[0])
    net = Network.from_onnx(str(path))
    assert net.graph.edges["x1", "h1"]["weight"] == Fraction(float(w0[0, 0]))  # exact, no rounding


def test_loaded_network_is_checked_like_any_other(tmp_path):
    path = tmp_path / "m.onnx"
    _dense_model(path, [2, 3, 1], "Tanh")
    net = Network.from_onnx(str(path))
    taylor = check_taylor(net, 0, degree=2).taylor
    assert check_taylor(net, taylor).ok


def test_unsupported_operator_is_named(tmp_path):
    w = _tensor("W", np.ones((1, 2)))
    graph = helper.make_graph([helper.make_node("Gemm", ["x", "W"], ["z"], transB=1),
                               helper.make_node("Softmax", ["z"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])], [w])
    path = tmp_path / "bad.onnx"
    onnx.save(helper.make_model(graph), str(path))
    with pytest.raises(NetworkError, match="Softmax"):
        Network.from_onnx(str(path))
    with pytest.raises(NetworkError, match="cannot read"):
        Network.from_onnx(str(tmp_path / "missing.onnx"))


def test_torch_sequential():
    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    net = Network.from_torch(model)
    x = torch.tensor([[0.3, -0.7]])
    assert abs(float(net.evaluate([Fraction(0.3), Fraction(-0.7)], dps=30)) - float(model(x))) < 1e-5


@pytest.mark.parametrize("dynamo", [False, True], ids=["torchscript exporter", "dynamo exporter"])
def test_torch_onnx_export_loads_and_agrees(tmp_path, dynamo):
    """A file as torch.onnx.export writes it, with either exporter (the dynamo one, torch's
    default, needs onnxscript), loads exactly and computes what the module computes."""
    torch = pytest.importorskip("torch")
    if dynamo:
        pytest.importorskip("onnxscript")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 4), torch.nn.ReLU(),
                                torch.nn.Linear(4, 1)).eval()
    path = tmp_path / "exported.onnx"
    torch.onnx.export(model, (torch.zeros(1, 3),), str(path), dynamo=dynamo)
    net = Network.from_onnx(str(path))
    assert net.layer_sizes == [5, 4] and net.num_inputs == 3
    assert net.graph.edges["x1", "h1"]["weight"] == Fraction(float(model[0].weight[0, 0]))
    rng = np.random.default_rng(2)
    for _ in range(5):
        x = rng.uniform(-2, 2, size=3).astype(np.float32)
        theirs = float(model(torch.tensor(x).reshape(1, 3)))
        ours = float(net.evaluate([Fraction(float(v)) for v in x], dps=30))
        assert abs(ours - theirs) <= 1e-5 * max(1.0, abs(theirs))
