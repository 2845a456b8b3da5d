"""Networks as certificates state them: symdepth's network-file format, read by the checker's
own code.  A neuron may read only inputs and neurons listed before it (so the order of the
list is a topological order and no cycle can hide); the output reads any of them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .errors import Unreadable
from .numbers import parse, rational

MAX_NEURONS = 100_000
MAX_EDGES = 2_000_000
ANALYTIC = ("exp", "tanh", "sigmoid", "softplus", "sin", "cos", "arctan")
PIECEWISE_LINEAR = ("relu", "hard_tanh")


@dataclass(frozen=True)
class Activation:
    name: str                  # one of ANALYTIC, "polynomial", "generic", "relu", "leaky_relu", "hard_tanh"
    coefficients: tuple = ()   # polynomial: ascending rationals; leaky_relu: (slope,)
    symbol: str = ""           # generic: the prefix of its coefficients sigma_0, sigma_1, ...


@dataclass(frozen=True)
class Neuron:
    name: str
    activation: Activation | None   # None for the output
    bias: dict
    inputs: tuple                   # ((source, weight), ...)


@dataclass(frozen=True)
class Network:
    inputs: tuple
    neurons: tuple          # in a topological order
    output: Neuron
    nonzero: frozenset      # symbols the network's verdicts assume nonzero


def activation(spec: object, where: str) -> Activation:
    if isinstance(spec, str) and (spec in ANALYTIC or spec in PIECEWISE_LINEAR):
        return Activation(spec)
    if isinstance(spec, dict) and len(spec) == 1:
        ((key, value),) = spec.items()
        if key == "polynomial" and isinstance(value, list) and len(value) <= 1000:
            return Activation("polynomial", tuple(rational(c, f"{where}: coefficient") for c in value))
        if key == "generic" and isinstance(value, str) and value.isidentifier():
            return Activation("generic", symbol=value)
        if key == "leaky_relu":
            return Activation("leaky_relu", (rational(value, f"{where}: slope"),))
    raise Unreadable(f"{where}: unknown activation {spec!r}")


def _assumed_nonzero(items: object) -> frozenset:
    if not isinstance(items, list) or not all(isinstance(a, str) and a.endswith(" != 0") for a in items):
        raise Unreadable("'assumptions' must be a list of \"symbol != 0\"")
    names = [a[:-5].strip() for a in items]
    if not all(n.isidentifier() for n in names):
        raise Unreadable("an assumption is not of the form \"symbol != 0\"")
    return frozenset(names)


def read_network(doc: object, extra_nonzero: frozenset = frozenset()) -> Network:
    """The network of a certificate (``extra_nonzero``: symbols the verdict assumes nonzero)."""
    if not isinstance(doc, dict) or not {"inputs", "neurons", "output"} <= set(doc):
        raise Unreadable("'network' must be an object with inputs, neurons and output")
    nonzero = extra_nonzero | _assumed_nonzero(doc.get("assumptions", []))
    inputs = doc["inputs"]
    if not isinstance(inputs, list) or not inputs or not all(isinstance(x, str) for x in inputs):
        raise Unreadable("the network's 'inputs' must be a nonempty list of names")
    if not isinstance(doc["neurons"], list) or len(doc["neurons"]) > MAX_NEURONS:
        raise Unreadable(f"the network's 'neurons' must be a list of at most {MAX_NEURONS}")
    known, neurons, edges = set(inputs), [], 0
    if len(known) != len(inputs):
        raise Unreadable("two inputs have the same name")

    def node(item: object, where: str, activation: object) -> Neuron:
        nonlocal edges
        if not isinstance(item, dict) or not isinstance(item.get("inputs"), dict):
            raise Unreadable(f"{where} must be an object with 'inputs'")
        edges += len(item["inputs"])
        if edges > MAX_EDGES:
            raise Unreadable(f"the network has more than {MAX_EDGES} edges")
        for source in item["inputs"]:
            if source not in known:
                raise Unreadable(f"{where} reads {source!r}, which is not an input or an earlier neuron")
        weights = tuple((u, parse(w, f"{where}: weight from {u}", nonzero)) for u, w in item["inputs"].items())
        bias = parse(item.get("bias", 0), f"{where}: bias", nonzero)
        return Neuron(str(item.get("name", "output")), activation, bias, weights)

    for i, item in enumerate(doc["neurons"]):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or name in known:
            raise Unreadable(f"neuron #{i} has no name or a name used before")
        neurons.append(node(item, f"neuron {name!r}", activation(item.get("activation"), f"neuron {name!r}")))
        known.add(name)
    return Network(tuple(inputs), tuple(neurons), node(doc["output"], "the output", None), nonzero)


def linear_pieces(act: Activation) -> tuple:
    """(cuts c_1 < … < c_m, [(slope, intercept) of piece k = 0..m]) of a piecewise-linear
    activation; piece k is [c_k, c_(k+1)] (c_0 = −∞, c_(m+1) = +∞)."""
    one, zero = Fraction(1), Fraction(0)
    if act.name == "relu":
        return (zero,), [(zero, zero), (one, zero)]
    if act.name == "leaky_relu":
        return (zero,), [(act.coefficients[0], zero), (one, zero)]
    if act.name == "hard_tanh":
        return (-one, one), [(zero, -one), (one, zero), (zero, one)]
    if act.name == "polynomial" and len(act.coefficients) <= 2:
        a = (*act.coefficients, zero, zero)
        return (), [(a[1], a[0])]
    raise Unreadable(f"the activation {act.name} is not piecewise linear")


def polynomial(items: object, n: int, what: str, nonzero: frozenset = frozenset()) -> dict:
    """A polynomial as a certificate writes it, [[exponents, coefficient], ...], as a dict
    exponent tuple → element of L (repeated monomials are an error)."""
    if not isinstance(items, list) or len(items) > 1_000_000:
        raise Unreadable(f"{what} must be a list of [exponents, coefficient] pairs")
    out: dict = {}
    for item in items:
        if (not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], list) or len(item[0]) != n
                or not all(isinstance(e, int) and not isinstance(e, bool) and 0 <= e <= 10_000 for e in item[0])):
            raise Unreadable(f"{what}: {item!r} is not [exponents of {n} variables, coefficient]")
        key = tuple(item[0])
        if key in out:
            raise Unreadable(f"{what}: the monomial {key} appears twice")
        value = parse(item[1], f"{what}: coefficient", nonzero)
        if value:
            out[key] = value
    return out


def rational_list(items: object, n: int | None, what: str) -> list:
    if not isinstance(items, list) or (n is not None and len(items) != n):
        raise Unreadable(f"{what} must be a list of {n if n is not None else 'some'} rationals")
    return [rational(x, what) for x in items]


def integer(value: object, what: str, low: int = 0, high: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Unreadable(f"{what} must be an integer in [{low}, {high}]")
    return value


def fraction_or_infinity(value: object, what: str) -> Fraction | None:
    """A rational, or None for "-inf"/"inf" (the caller knows which end)."""
    if value in ("-inf", "inf"):
        return None
    return rational(value, what)
