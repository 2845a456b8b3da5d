"""The ``symdepth`` command line: check, bounds, table, crossings, regions, constructions, plot, prove.

Exit codes: 0 when every check holds, 1 when one fails, 2 on bad input (a one-line
message; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from . import bounds, constructions, piecewise, tables
from .check import check_taylor
from .display import ProgressLine
from .errors import SymdepthError
from .network import Network
from .parsing import parse_number, polynomial_terms

__all__ = ["main"]


def _read_network(path: str) -> Network:
    try:
        text = Path(path).read_bytes()
    except OSError as err:
        raise SymdepthError(f"cannot read network file {path!r}: {err.strerror}") from None
    return Network.from_json(text)


def _cmd_check(args: argparse.Namespace) -> int:
    net = _read_network(args.network)
    line = ProgressLine(delay=1.0) if sys.stderr.isatty() else None  # long checks only

    def progress(stage: str, done: int, total: int) -> None:
        assert line is not None
        line.show(f"{stage}: {done}/{total} {'finished' if stage == 'repetitions' else 'neurons'}",
                  final=done >= total)

    try:
        result = check_taylor(net, args.poly, method=args.method, seed=args.seed, degree=args.degree,
                              repetitions=args.repetitions, workers=args.workers,
                              progress=progress if line is not None else None)
    finally:
        if line is not None:
            line.clear()
    print(repr(result))
    if args.latex:
        print(result.to_latex())
    return 0 if result.ok else 1


def _cmd_bounds(args: argparse.Namespace) -> int:
    variables, terms = polynomial_terms(args.poly)
    print(f"polynomial: {args.poly}")
    print(f"variables: {', '.join(variables)}; monomials: {len(terms)}")
    rank = bounds.derivative_rank(terms, field=args.field)
    print(f"partial-derivative rank (all orders, {args.field}): {rank}   [lower bound on one-hidden-layer neurons]")
    degree = max((sum(m) for m in terms), default=0)
    orders = [bounds.derivative_rank(terms, order=k, field=args.field) for k in range(degree + 1)]
    print(f"rank by exact order 0..{degree}: {orders}")
    nonconstant = [m for m in terms if any(m)]
    if len(terms) == 1 and nonconstant:
        b = bounds.monomial_bounds(nonconstant[0])
        print(f"monomial x^{b.exponents}: shallow = {b.shallow} (Thm 4.1/4.2), Thm 4.4 >= {b.thm44} >= "
              f"{b.thm44_simple}, deep <= {b.deep_upper} (Thm 4.1 ii), deep construction {b.deep_construction}")
    elif terms:
        s = bounds.sparse_bound(terms)
        print(f"sparse bound (Thm 4.3 i): m1 >= {s.bound} = max_j m1(q_j)/c with c = {s.monomials}")
    return 0


def _cmd_table(args: argparse.Namespace) -> int:
    top = args.max
    if args.kind == "monomials":
        vectors = [(a, b) for a in range(1, top + 1) for b in range(0, a + 1)]
        text = tables.monomial_table(vectors, fmt=args.format)
    elif args.kind == "product":
        text = tables.product_table([2**i for i in range(1, top + 1)], [1, 2, 3, 4], fmt=args.format)
    else:
        text = tables.power_table(list(range(1, top + 1)), fmt=args.format)
    if args.output:
        Path(args.output).write_text(text)
        print(f"wrote {args.output}")
    else:
        print(text)
    return 0


def _cmd_crossings(args: argparse.Namespace) -> int:
    threshold = parse_number(args.threshold)
    if args.sawtooth is not None:
        f = piecewise.sawtooth_function(args.sawtooth)
        label = f"sawtooth({args.sawtooth})"
    elif args.network:
        net = _read_network(args.network)
        domain = (parse_number(args.domain[0]), parse_number(args.domain[1])) if args.domain else (-piecewise.INF,
                                                                                                     piecewise.INF)
        f = piecewise.from_network(net, domain)
        label = args.network
    else:
        raise SymdepthError("give a network file or --sawtooth L")
    t, alpha = piecewise.tapoly(f)
    cr = piecewise.crossings(f, threshold)
    print(f"{label}: {t} pieces of degree <= {alpha}; Cr(f) at threshold {threshold} = {cr}")
    if args.plot:
        from . import plots

        plots.plot_function(f, args.plot, threshold=threshold, title=label)
        print(f"wrote {args.plot}")
    return 0


def _cmd_regions(args: argparse.Namespace) -> int:
    net = _read_network(args.network)
    box = ((parse_number(args.box[0]), parse_number(args.box[1])), (parse_number(args.box[2]), parse_number(args.box[3])))
    plane = None
    if args.slice:
        plane = tuple(tuple(parse_number(c) for c in vector.split(",")) for vector in args.slice)
    result = piecewise.regions_2d(net, box, slice=plane, max_regions=args.max_regions)
    print(f"{args.network}: {result.num_regions} linear regions, {result.num_vertices} vertices, "
          f"{result.num_edges} edges on [{box[0][0]}, {box[0][1]}] x [{box[1][0]}, {box[1][1]}]")
    if args.list:
        for region in result.regions:
            corners = " ".join(f"({s}, {t})" for s, t in region.vertices)
            print(f"  pattern {''.join(map(str, region.pattern))}  output {region.gradient[0]}*s + "
                  f"{region.gradient[1]}*t + {region.constant}  vertices {corners}")
    if args.plot:
        from . import plots

        plots.plot_regions(result, args.plot, title=Path(args.network).name)
        print(f"wrote {args.plot}")
    return 0


def _cmd_constructions(args: argparse.Namespace) -> int:
    d, r, n = args.degree, tuple(args.exponents), args.n
    rows = [
        ("shallow_power", f"x^{d}", constructions.shallow_power(d).num_neurons, 1),
        ("deep_power", f"x^{d}", constructions.deep_power_count(d), constructions.deep_power(d).depth),
        ("shallow_monomial", f"x^{r}", constructions.shallow_monomial(r).num_neurons, 1),
        ("deep_monomial", f"x^{r}", constructions.deep_monomial(r).num_neurons, constructions.deep_monomial(r).depth),
        ("lin_product", f"x1...x{n}", 2**n, 1),
    ]
    widths = bounds.product_bound(n, 2).widths
    tree = constructions.product_tree(n, widths)
    rows.append(("product_tree", f"x1...x{n}, widths {widths}", tree.num_neurons, tree.depth))
    print(f"{'builder':<18}{'target':<28}{'neurons':>8}{'depth':>7}")
    for name, target, count, depth in rows:
        print(f"{name:<18}{target:<28}{count:>8}{depth:>7}")
    return 0


def _cmd_plot(args: argparse.Namespace) -> int:
    from . import plots

    out = args.output
    if args.what == "sawtooth":
        plots.plot_function(piecewise.sawtooth_function(args.layers), out, threshold=Fraction(1, 2),
                            title=f"sawtooth({args.layers})")
    elif args.what == "widths":
        plots.plot_optimal_widths(out)
    elif args.what == "neurons":
        plots.plot_neuron_counts(out)
    else:
        plots.plot_crossing_growth(out, args.layers)
    print(f"wrote {out}")
    return 0


def _cmd_prove(args: argparse.Namespace) -> int:
    from .prove import format_report, run_proofs

    line = ProgressLine() if not args.quiet and sys.stderr.isatty() else None

    def progress(module: str, nodeid: str, outcome: str) -> None:
        assert line is not None
        line.show(f"{Path(module).stem}: {nodeid.split('::')[-1][:60]} {outcome}")

    if args.scheduler and not args.slow:
        raise SymdepthError("--scheduler runs the long sweeps; add --slow")
    report = run_proofs(args.k, args.proofs, include_slow=args.slow, progress=progress if line is not None else None,
                        workers=args.workers, scheduler=args.scheduler)
    if line is not None:
        line.clear()
    if not report.results:
        raise SymdepthError(f"no claim matched -k {args.k!r}")
    print(format_report(report, args.format))
    return 0 if report.ok else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="symdepth", description="Exact checks of depth-separation claims.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="is POLY the Taylor polynomial of the network in NET.json?")
    p.add_argument("network")
    p.add_argument("poly")
    p.add_argument("--method", choices=["auto", "exact", "random"], default="auto")
    p.add_argument("--seed", type=int)
    p.add_argument("--degree", type=int)
    p.add_argument("--repetitions", type=int, default=2)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for the randomized repetitions (default: one per core)")
    p.add_argument("--latex", action="store_true", help="also print a LaTeX line")
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("bounds", help="derivative rank and the papers' bounds for a polynomial")
    p.add_argument("poly")
    p.add_argument("--field", default="QQ", help="QQ or GF(p)")
    p.set_defaults(run=_cmd_bounds)

    p = sub.add_parser("table", help="LaTeX/CSV/Markdown tables of bounds")
    p.add_argument("kind", choices=["monomials", "product", "power"])
    p.add_argument("--max", type=int, default=6, help="largest size (exponent, log2 n, or d)")
    p.add_argument("--format", choices=["latex", "csv", "markdown"], default="latex")
    p.add_argument("-o", "--output")
    p.set_defaults(run=_cmd_table)

    p = sub.add_parser("crossings", help="crossing number of a univariate ReLU network or a sawtooth")
    p.add_argument("network", nargs="?")
    p.add_argument("--sawtooth", type=int, metavar="L")
    p.add_argument("--domain", nargs=2, metavar=("A", "B"))
    p.add_argument("--threshold", default="1/2")
    p.add_argument("--plot", metavar="FILE.png")
    p.set_defaults(run=_cmd_crossings)

    p = sub.add_parser("regions", help="exact linear regions of a ReLU network on a 2-D box (or plane slice)")
    p.add_argument("network")
    p.add_argument("--box", nargs=4, metavar=("SMIN", "SMAX", "TMIN", "TMAX"), default=["-1", "1", "-1", "1"])
    p.add_argument("--slice", nargs=3, metavar=("X0", "U", "V"),
                   help="for n != 2 inputs: the plane x = X0 + s*U + t*V, each a comma-separated vector")
    p.add_argument("--max-regions", type=int, default=piecewise.DEFAULT_MAX_REGIONS)
    p.add_argument("--list", action="store_true", help="print every region")
    p.add_argument("--plot", metavar="FILE.png")
    p.set_defaults(run=_cmd_regions)

    p = sub.add_parser("constructions", help="the builders and their neuron counts")
    p.add_argument("--degree", type=int, default=15)
    p.add_argument("--exponents", type=int, nargs="+", default=[2, 3])
    p.add_argument("-n", type=int, default=8)
    p.set_defaults(run=_cmd_constructions)

    p = sub.add_parser("plot", help="figures (needs matplotlib)")
    p.add_argument("what", choices=["sawtooth", "widths", "neurons", "crossings"])
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(run=_cmd_plot)

    p = sub.add_parser("prove", help="run the proof suite and report claim by claim")
    p.add_argument("-k", help="only claims matching this pytest -k expression")
    p.add_argument("--format", choices=["text", "markdown", "latex", "json"], default="text")
    p.add_argument("--proofs", help="the proofs/ directory (default: ./proofs)")
    p.add_argument("--slow", action="store_true", help="include the long sweeps")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.add_argument("--workers", "-n", metavar="N|auto",
                   help="run the claim modules in N processes (pytest-xdist; 'auto': one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --slow: run the long sweeps on this dask.distributed scheduler (tcp://host:8786)")
    p.set_defaults(run=_cmd_prove)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SymdepthError as err:
        if args.debug:
            traceback.print_exc()
        print(f"symdepth: error: {err}", file=sys.stderr)
        return 2
    except (RecursionError, MemoryError) as err:
        if args.debug:
            traceback.print_exc()
        print(f"symdepth: error: input too large to process ({type(err).__name__})", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
