"""Networks as certificates state them (symdepth's network-file format), and the readers of
the other fields.  A neuron reads only inputs and neurons listed before it, so the list is a
topological order and no cycle can hide; the output reads any of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from .errors import Rejected, Unreadable
from .numbers import as_rational, const, mul, parse, parse_quotient, rational

MAX_NEURONS = 100_000
MAX_EDGES = 2_000_000
ANALYTIC = ("exp", "tanh", "sigmoid", "softplus", "sin", "cos", "arctan")
PIECEWISE_LINEAR = ("relu", "hard_tanh")


@dataclass(frozen=True)
class Activation:
    name: str                  # ANALYTIC, PIECEWISE_LINEAR, "polynomial", "generic" or "leaky_relu"
    coefficients: tuple = ()   # polynomial: ascending rationals; leaky_relu: (slope,)
    symbol: str = ""           # generic: the prefix of its coefficients sigma_0, sigma_1, ...


@dataclass(frozen=True)
class Neuron:
    name: str
    activation: Activation | None   # None for the output
    bias: dict
    inputs: tuple                   # ((source, weight), ...), weights in L


@dataclass(frozen=True)
class Network:
    """``output_scale``: the output's weights and bias are stated over denominators that are
    sums of constants (``8/log(3/2)``); ``output`` holds them times ``output_scale``, the
    product of those denominators (nonzero), so the network's output is output/output_scale
    (only the Taylor kinds read such a network: :func:`read_network`)."""

    inputs: tuple
    neurons: tuple          # in a topological order
    output: Neuron
    nonzero: frozenset      # symbols the verdict assumes nonzero
    output_scale: dict      # an element of L, const(1) but for such an output


def activation(spec: object, where: str) -> Activation:
    if spec in ANALYTIC or spec in PIECEWISE_LINEAR:
        return Activation(spec)
    ((key, value),) = spec.items() if isinstance(spec, dict) and len(spec) == 1 else ((None, None),)
    if key == "polynomial" and isinstance(value, list) and len(value) <= 1000:
        return Activation("polynomial", tuple(rational(c, f"{where}: coefficient") for c in value))
    if key == "generic" and isinstance(value, str) and value.isidentifier():
        return Activation("generic", symbol=value)
    if key == "leaky_relu":
        return Activation("leaky_relu", (rational(value, f"{where}: slope"),))
    raise Unreadable(f"{where}: unknown activation {str(spec)[:80]}")


def read_network(doc: object, output_quotients: bool = False) -> Network:
    """The certificate's network; an output stated over sums of constants is refused unless
    the kind reads it as a quotient (``output_quotients``: the Taylor kinds)."""
    if not isinstance(doc, dict) or not {"inputs", "neurons", "output"} <= set(doc):
        raise Unreadable("'network' must be an object with inputs, neurons and output")
    assumed = doc.get("assumptions", [])
    if not isinstance(assumed, list) or not all(isinstance(a, str) and a.endswith(" != 0")
                                                and a[:-5].strip().isidentifier() for a in assumed):
        raise Unreadable("'assumptions' must be a list of \"symbol != 0\"")
    nonzero = frozenset(a[:-5].strip() for a in assumed)
    inputs, items = doc["inputs"], doc["neurons"]
    if not isinstance(inputs, list) or not inputs or not all(isinstance(x, str) for x in inputs):
        raise Unreadable("the network's 'inputs' must be a nonempty list of names")
    if not isinstance(items, list) or len(items) > MAX_NEURONS:
        raise Unreadable(f"the network's 'neurons' must be a list of at most {MAX_NEURONS}")
    if len(set(inputs)) != len(inputs):
        raise Unreadable("two inputs have the same name")
    known, neurons, edges = set(inputs), [], 0

    def node(item: object, where: str, act: Activation | None) -> Neuron:
        nonlocal edges
        if not isinstance(item, dict) or not isinstance(item.get("inputs"), dict):
            raise Unreadable(f"{where} must be an object with 'inputs'")
        edges += len(item["inputs"])
        if edges > MAX_EDGES:
            raise Unreadable(f"the network has more than {MAX_EDGES} edges")
        unknown = [u for u in item["inputs"] if u not in known]
        if unknown:
            raise Unreadable(f"{where} reads {unknown[0]!r}, which is not an input or an earlier neuron")
        # the output's numbers are read as quotients (numerator, denominator): _scaled_output
        read = parse if act is not None else parse_quotient
        weights = tuple((u, read(w, f"{where}: weight from {u}", nonzero)) for u, w in item["inputs"].items())
        return Neuron(str(item.get("name", "output")), act, read(item.get("bias", 0), f"{where}: bias", nonzero),
                      weights)

    for i, item in enumerate(items):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or name in known:
            raise Unreadable(f"neuron #{i} has no name or a name used before")
        neurons.append(node(item, f"neuron {name!r}", activation(item.get("activation"), f"neuron {name!r}")))
        known.add(name)
    output, scale = _scaled_output(node(doc["output"], "the output", None))
    if scale != const(1) and not output_quotients:
        raise Unreadable("the output's weights are divided by sums of constants; only Taylor certificates "
                         "read such a network")
    return Network(tuple(inputs), tuple(neurons), output, nonzero, scale)


def _scaled_output(output: Neuron) -> tuple:
    """(the output times the product D of its distinct denominators, D) for an output whose
    weights and bias the reader left as quotients."""
    quotients = [output.bias, *(w for _, w in output.inputs)]
    divisors: list = []
    for _, den in quotients:
        if den != const(1) and den not in divisors:
            divisors.append(den)

    def times_scale(quotient: tuple) -> dict:
        num, den = quotient
        for divisor in divisors:
            if divisor != den:
                num = mul(num, divisor)
        return num

    scale = const(1)
    for divisor in divisors:
        scale = mul(scale, divisor)
    return (Neuron(output.name, None, times_scale(output.bias), tuple((u, times_scale(w)) for u, w in output.inputs)),
            scale)


def linear_pieces(act: Activation) -> tuple:
    """(cuts c_1 < … < c_m, [(slope, intercept) on piece k = 0..m]) of a piecewise-linear
    activation; piece k is [c_k, c_(k+1)] (c_0 = −∞, c_(m+1) = +∞)."""
    one, zero = Fraction(1), Fraction(0)
    if act.name in ("relu", "leaky_relu"):
        return (zero,), [((act.coefficients or (zero,))[0], zero), (one, zero)]
    if act.name == "hard_tanh":
        return (-one, one), [(zero, -one), (one, zero), (zero, one)]
    if act.name == "polynomial" and len(act.coefficients) <= 2:
        a = (*act.coefficients, zero, zero)
        return (), [(a[1], a[0])]
    raise Unreadable(f"the activation {act.name} is not piecewise linear")


def piecewise_layers(net: Network) -> list:
    """(name, cuts, lines, bias, [(source, weight)]) per neuron and the output (cuts and lines
    None), all rational: a piecewise-linear network ready for :func:`affine_pass`."""
    return [(n.name, *(linear_pieces(n.activation) if n.activation else (None, None)), as_rational(n.bias, "a bias"),
             [(u, as_rational(w, "a weight")) for u, w in n.inputs]) for n in (*net.neurons, net.output)]


def affine_pass(layers: list, maps: dict, pieces: list, inside: Callable, reuse: dict | None = None) -> tuple:
    """The output of a piecewise-linear network as an affine map of some parameters, with
    neuron k on its piece ``pieces[k]``: ``maps`` gives each input as (coefficients...,
    constant); ``inside(name, pre-activation's map, low, high)`` must confirm that the
    pre-activation stays in [low, high] (None: unbounded) wherever the parameters range.
    ``reuse``, kept across calls, keeps a neuron's maps while its sources' maps (the same
    objects) and its piece stay: then the same objects are passed on, so that a caller
    walking adjacent pieces recomputes only the neurons downstream of a change."""
    maps, reuse = dict(maps), {} if reuse is None else reuse
    for k, (name, cuts, lines, bias, sources) in enumerate(layers):
        inputs = tuple(maps[u] for u, _ in sources)
        kept = reuse.get(name)
        if kept is not None and all(x is y for x, y in zip(kept[0], inputs)):
            pre = kept[1]
        else:
            pre = [Fraction(0)] * (len(next(iter(maps.values()))) - 1) + [bias]
            for (_, w), source in zip(sources, inputs):
                pre = [x + w * y for x, y in zip(pre, source)]
            kept = None
        if cuts is None:
            return tuple(pre)
        j = pieces[k]
        if not 0 <= j < len(lines):
            raise Rejected(f"neuron {name!r} has no piece {j}")
        inside(name, pre, cuts[j - 1] if j > 0 else None, cuts[j] if j < len(cuts) else None)
        if kept is None or kept[2] != j:
            slope, intercept = lines[j]
            kept = (inputs, pre, j, (*(slope * x for x in pre[:-1]), slope * pre[-1] + intercept))
            reuse[name] = kept
        maps[name] = kept[3]
    raise Unreadable("the network has no output")  # pragma: no cover - read_network adds one


def polynomial(items: object, n: int, what: str, nonzero: frozenset = frozenset()) -> dict:
    """[[exponents, coefficient], ...] as a dict exponent tuple → element of L."""
    if not isinstance(items, list) or len(items) > 1_000_000:
        raise Unreadable(f"{what} must be a list of [exponents, coefficient] pairs")
    out: dict = {}
    for item in items:
        if not isinstance(item, list) or len(item) != 2:
            raise Unreadable(f"{what}: {str(item)[:80]} is not [exponents, coefficient]")
        key = exponents(item[0], n, what)
        if key in out:
            raise Unreadable(f"{what}: the monomial {key} appears twice")
        out[key] = parse(item[1], f"{what}: coefficient", nonzero)
    return {m: c for m, c in out.items() if c}


def exponents(item: object, n: int, what: str) -> tuple:
    if not isinstance(item, list) or len(item) != n or not all(
            isinstance(e, int) and not isinstance(e, bool) and 0 <= e <= 10_000 for e in item):
        raise Unreadable(f"{what}: {str(item)[:80]} is not an exponent vector of {n} variables")
    return tuple(item)


def rational_list(items: object, n: int | None, what: str) -> list:
    if not isinstance(items, list) or (n is not None and len(items) != n):
        raise Unreadable(f"{what} must be a list of {n if n is not None else 'some'} rationals")
    return [rational(x, what) for x in items]


def integer(value: object, what: str, low: int = 0, high: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Unreadable(f"{what} must be an integer in [{low}, {high}]")
    return value
