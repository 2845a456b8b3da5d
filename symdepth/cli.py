"""The ``symdepth`` command line: check, bounds, table, crossings, regions, constructions, plot, prove.

Exit codes: 0 when every check holds, 1 when one fails, 2 on bad input (a one-line
message; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TextIO

from . import __version__, bounds, certificates, constructions, models, piecewise, tables
from .certificates import CertificateFailed, NotCertifiable
from .check import DEFAULT_MAX_DEGREE, DEFAULT_MAX_MONOMIALS, check_taylor
from .cli_options import BOX_HELP, BoxAction, Parser, apply_budgets, box_option, budget_options, network_options
from .display import ProgressLine, neuron_lines
from .errors import SymdepthError
from .network import Network
from .parsing import parse_number, polynomial_terms
from .piecewise import algebraic
from .piecewise.certify import crossings_certificate

__all__ = ["main"]


def _read_network(args: argparse.Namespace) -> Network:
    """The network of a command: NET.json, or an ONNX file as exported (``--output`` picks
    one output, or a linear combination of them, as VNN properties compare outputs)."""
    path, output = args.network, args.output
    if path.lower().endswith(".onnx"):
        if output is not None and "," in output:
            return Network.from_onnx(path, output=[parse_number(c) for c in output.split(",")])
        if output is not None and not output.strip().isdigit():
            raise SymdepthError(f"--output {output!r}: give an output index K or coefficients C0,C1,... of the outputs")
        return Network.from_onnx(path, output=None if output is None else int(output))
    if output is not None:
        raise SymdepthError(f"--output picks an output of an ONNX file; {path!r} is a network file with one output")
    try:
        text = Path(path).read_bytes()
    except OSError as err:
        raise SymdepthError(f"cannot read network file {path!r}: {err.strerror}") from None
    try:
        return Network.from_json(text)
    except SymdepthError as err:
        raise type(err)(f"{path}: {err}") from None


def _cmd_check(args: argparse.Namespace) -> int:
    net = _read_network(args)
    line = ProgressLine(delay=1.0) if sys.stderr.isatty() else None  # long checks only

    def progress(stage: str, done: int, total: int) -> None:
        assert line is not None
        line.show(f"{stage}: {done}/{total} {'finished' if stage == 'repetitions' else 'neurons'}",
                  final=done >= total)

    try:
        result = check_taylor(net, args.poly, method=args.method, seed=args.seed, degree=args.degree,
                              repetitions=args.repetitions, workers=args.workers, max_monomials=args.max_monomials,
                              max_degree=args.max_degree, progress=progress if line is not None else None)
    finally:
        if line is not None:
            line.clear()
    # with --json -, stdout holds the JSON alone: the human lines go to stderr
    human = sys.stderr if args.json == "-" else sys.stdout
    lines = [repr(result), f"network model: {result.model} ({models.get(result.model).description})"]
    if result.method_reason:
        lines.append(f"method: {result.method} ({result.method_reason})")
    if result.hint:
        lines.append(f"hint: {result.hint}")
    for what in args.show or ():
        value = result.taylor if what == "taylor" else result.residual
        lines.append(f"{what}: not available from the randomized method (rerun with --method exact)" if value is None
                     else f"{what}: {value}")
    if args.latex:
        lines.append(result.to_latex())
    print("\n".join(lines), file=human)
    _write_certificates(args.certificate, lambda: [result.certificate()], human)
    if args.json:
        text = json.dumps(result.to_dict(), indent=1)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
            print(f"wrote {args.json}")
    return 0 if result.ok else 1


def _cmd_bounds(args: argparse.Namespace) -> int:
    variables, terms = polynomial_terms(args.poly)
    # everything is computed before anything is printed: a budget error ends the command
    # without a half-written answer
    rank, orders = bounds.derivative_ranks(terms, field=args.field, max_entries=args.max_entries)
    degree = len(orders) - 1
    nonconstant = [m for m in terms if any(m)]
    chosen = [args.model] if args.model else list(models.MODELS)
    widths: list
    if args.search:
        widths = [bounds.minimal_shallow_width(terms, args.activation, m, tries=args.tries, seed=args.seed)
                  for m in chosen]
    else:
        widths = [bounds.shallow_lower_bound(terms, args.activation, m) for m in chosen]
    lines = [f"polynomial: {args.poly}", f"variables: {', '.join(variables)}; monomials: {len(terms)}"]
    proven = "" if args.field == "QQ" else " (a rank mod p never exceeds the rank over Q)"
    lines.append(f"partial-derivative rank (all orders, {args.field}): {rank}{proven}")
    lines.append(f"rank by exact order 0..{degree}: {orders}")
    lines.append(f"one hidden layer, activation {args.activation}, Taylor approximation to degree {degree}:")
    for width in widths:
        model = models.get(width.model)
        if isinstance(width, bounds.MinimalWidth):
            shown = repr(width).split(": ", 1)[1][:-1]
            if width.witness is not None:
                shown += f"; verified network found ({width.witness.num_neurons} neurons)"
        else:
            shown = "no network" if width.value is None else f">= {width.value}"
        lines.append(f"  model {model.name:<17} {shown:<52} [{width.argument}]")
        if isinstance(width, bounds.MinimalWidth) and width.witness is not None:
            # the witness as its neurons: a closed form would simplify a constant neuron exp(0) away
            lines.append(f"    witness ({width.witness.num_neurons} neurons): "
                         + "; ".join(neuron_lines(width.witness)))
    if len(terms) == 1 and nonconstant:
        b = bounds.monomial_bounds(nonconstant[0])
        lines.append(f"monomial x^{b.exponents}: shallow = {b.shallow} in model rt (Thm 4.1/4.2), "
                     f"{b.shallow_output_bias} in model output-bias; Thm 4.4 >= {b.thm44} >= {b.thm44_simple} in any "
                     f"model; deep <= {b.deep_upper} in model rt (Thm 4.1 ii); deep construction {b.deep_construction} "
                     f"in model {b.deep_construction_model}")
    elif terms:
        sb = bounds.sparse_bound(terms, rank=rank if args.field == "QQ" else None)
        lines.append(f"sparse bound (Thm 4.3 i): m1 >= {sb.bound} = max_j m1(q_j)/c with c = {sb.monomials} "
                     "(model rt)")
    if args.save:
        found = [w for w in widths if isinstance(w, bounds.MinimalWidth) and w.witness is not None]
        if len(found) != 1:
            raise SymdepthError("--save writes one witness: give --search and one --model whose search found a network")
        found[0].save(args.save)
        lines.append(f"wrote {args.save} (model {found[0].model}, {found[0].witness.num_neurons} neurons)")
    print("\n".join(lines))
    _write_certificates(args.certificate, lambda: [bounds.rank._rank_certificate(rank, terms, field=args.field,
                                                                                  max_entries=args.max_entries)]
                        + [w.certificate() for w in widths])
    return 0


def _cmd_uniform(args: argparse.Namespace) -> int:
    from .uniform import check_uniform

    net = _read_network(args)
    box = box_option(args, net.num_inputs, f"the network's {net.num_inputs} input(s)")
    _check_plot(args.plot)
    line = ProgressLine(delay=1.0) if sys.stderr.isatty() else None  # long proofs only
    try:
        result = check_uniform(net, args.poly, parse_number(args.eps), box, max_cells=args.max_cells,
                               progress=(lambda cells, bound: line.show(f"uniform: {cells:,} cells, worst cell bound "
                                                                        f"{bound:.3g}")) if line is not None else None)
    finally:
        if line is not None:
            line.clear()
    print(repr(result))
    _write_certificates(args.certificate, lambda: [result.certificate()])
    if args.plot:
        from .plots import plot_error

        plot_error(net, args.poly, args.plot, box, proof=result)
        print(f"wrote {args.plot}")
    return 0 if result.ok else 1


def _cmd_table(args: argparse.Namespace) -> int:
    top = args.max
    if args.kind == "monomials":
        vectors = [(a, b) for a in range(1, top + 1) for b in range(0, a + 1)]
        text = tables.monomial_table(vectors, fmt=args.format)
    elif args.kind == "product":
        text = tables.product_table([2**i for i in range(1, top + 1)], [1, 2, 3, 4], fmt=args.format)
    elif args.kind == "minimal":
        line = ProgressLine(delay=1.0) if sys.stderr.isatty() else None
        workers = _workers(args.workers)
        try:
            text = tables.minimal_table(fmt=args.format, workers=workers, witnesses=args.witnesses, progress=(
                lambda done, total: line.show(f"table minimal: {done}/{total} rows", final=done == total))
                if line is not None else None)
        finally:
            if line is not None:
                line.clear()
        if args.witnesses:
            print(f"wrote the verified networks to {args.witnesses}/", file=sys.stderr)
    else:
        text = tables.power_table(list(range(1, top + 1)), fmt=args.format)
    if args.output:
        Path(args.output).write_text(text)
        print(f"wrote {args.output}")
    else:
        print(text)
    return 0


def _write_certificates(path: str | None, make: Callable[[], list], human: TextIO | None = None) -> None:
    """--certificate FILE: the verdicts' certificates (several: FILE, then FILE.2.json, …)."""
    if not path:
        return
    try:
        documents = make()
    except NotCertifiable as err:
        raise SymdepthError(f"--certificate: this verdict has no certificate: {err}") from None
    except CertificateFailed as err:
        raise SymdepthError(f"--certificate: the evidence for the verdict could not be produced: {err}") from None
    stem = path[:-5] if path.endswith(".json") else path
    for i, document in enumerate(documents):
        written = certificates.write(document, path if i == 0 else f"{stem}.{i + 1}.json")
        print(f"wrote the certificate {written} (python -m certcheck {written})", file=human or sys.stdout)


def _workers(value: str) -> int:
    """--workers N|auto as a number of processes."""
    if value == "auto":
        return os.cpu_count() or 1
    if not value.isdigit() or int(value) < 1:
        raise SymdepthError(f"--workers must be a positive integer or 'auto', got {value!r}")
    return int(value)


def _check_plot(path: str | None) -> None:
    """--plot FILE: matplotlib and the file's format checked before any work."""
    if path:
        from .drawing import check_path

        check_path(path)


def _interval_text(lo: object, hi: object) -> str:
    """An interval as printed: infinite ends as ∞, the whole line said so."""
    if lo == -piecewise.INF and hi == piecewise.INF:
        return "the whole line (-∞, ∞)"
    left = "(-∞" if lo == -piecewise.INF else f"[{lo}"
    right = "∞)" if hi == piecewise.INF else f"{hi}]"
    return f"{left}, {right}"


def _cmd_crossings(args: argparse.Namespace) -> int:
    threshold = parse_number(args.threshold)
    _check_plot(args.plot)
    if args.sawtooth is not None:
        f = piecewise.sawtooth_function(args.sawtooth, max_pieces=args.max_pieces)
        label = f"sawtooth({args.sawtooth})"
    elif args.network:
        net = _read_network(args)
        domain = (parse_number(args.domain[0]), parse_number(args.domain[1])) if args.domain else (-piecewise.INF,
                                                                                                     piecewise.INF)
        f = piecewise.from_network(net, domain, max_pieces=args.max_pieces)
        label = args.network
    else:
        raise SymdepthError("give a network file or --sawtooth L")
    t, alpha = piecewise.tapoly(f)
    cr = piecewise.crossings(f, threshold)
    lo, hi = f.domain
    print(f"{label}: {t} pieces of degree <= {alpha} on {_interval_text(lo, hi)}; Cr(f) at threshold {threshold} "
          f"= {cr}")
    _write_certificates(args.certificate, lambda: [crossings_certificate(cr, f, threshold)])
    if args.plot:
        from . import plots

        plots.plot_function(f, args.plot, threshold=threshold, title=label)
        print(f"wrote {args.plot}")
    return 0


def _cmd_regions(args: argparse.Namespace) -> int:
    _check_plot(args.plot)
    net = _read_network(args)
    box = tuple(box_option(args, 2, "a 2-D region count (the inputs, or --slice's coordinates)") or ((-1, 1), (-1, 1)))
    plane = None
    if args.slice:
        plane = tuple(tuple(parse_number(c) for c in vector.split(",")) for vector in args.slice)
    line = ProgressLine(delay=1.0) if sys.stderr.isatty() else None  # long counts only
    try:
        result = piecewise.regions_2d(net, box, slice=plane, max_regions=args.max_regions,
                                      max_memory=args.max_memory * 2**20, progress=(
                                          lambda level, levels, count: line.show(
                                              f"regions: layer {level}/{levels}, {count:,} regions"))
                                      if line is not None else None)
    finally:
        if line is not None:
            line.clear()
    print(f"{args.network}: {result.num_regions} linear regions, {result.num_vertices} vertices, "
          f"{result.num_edges} edges on [{box[0][0]}, {box[0][1]}] x [{box[1][0]}, {box[1][1]}]")
    _write_certificates(args.certificate, lambda: [result.certificate()])
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


_BUILDERS = ("shallow_power", "deep_power", "shallow_monomial", "deep_monomial", "lin_product", "product_tree")


def _build(name: str, args: argparse.Namespace) -> Network:
    d, r, n, act = args.degree, tuple(args.exponents), args.n, args.activation
    if name == "shallow_power":
        return constructions.shallow_power(d, act)
    if name == "deep_power":
        return constructions.deep_power(d, act)
    if name == "shallow_monomial":
        return constructions.shallow_monomial(r, act)
    if name == "deep_monomial":
        return constructions.deep_monomial(r, act)
    if name == "lin_product":
        return constructions.lin_product(n, act)
    return constructions.product_tree(n, bounds.product_bound(n, 2).widths, act)


def _cmd_constructions(args: argparse.Namespace) -> int:
    if args.builder:
        net = _build(args.builder, args)
        print(f"{args.builder}: {net.num_neurons} neurons, depth {net.depth}, inputs {', '.join(net.inputs)}")
        if args.save:
            Path(args.save).write_text(net.to_json())
            print(f"wrote {args.save}")
        return 0
    if args.save:
        raise SymdepthError("--save writes one network: name the builder, e.g. 'symdepth constructions deep_power "
                            "--degree 6 --save net.json'")
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
    plots.check_path(out)
    if args.what == "sawtooth":
        plots.plot_function(piecewise.sawtooth_function(args.layers, max_pieces=args.max_pieces), out,
                            threshold=Fraction(1, 2), title=f"sawtooth({args.layers})")
    elif args.what == "widths":
        plots.plot_optimal_widths(out, ks=tuple(range(1, args.layers + 1)))
    elif args.what == "neurons":
        plots.plot_neuron_counts(out, max_degree=2**args.layers)
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
                        workers=args.workers, scheduler=args.scheduler, certificates=args.certificates)
    if line is not None:
        line.clear()
    if not report.results:
        from .prove import claim_ids

        known = sorted(claim_ids(args.proofs))
        words = [w.strip() for w in (args.k or "").replace(",", " or ").split(" or ") if w.strip()]
        close = sorted({m for w in words for m in difflib.get_close_matches(w.upper(), known, n=3, cutoff=0.5)}
                       | {c for w in words for c in known if w.upper() in c})
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise SymdepthError(f"no claim matched -k {args.k!r}; {hint}the claims are {', '.join(known)}")
    print(format_report(report, args.format))
    return 0 if report.ok else 1


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="symdepth", description="Exact checks of depth-separation claims.",
        epilog="Exit codes: 0 every check holds, 1 a check fails, 2 bad input or a limit reached. "
               "--debug (anywhere on the line) shows tracebacks.")
    parser.add_argument("--version", action="version", version=f"symdepth {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors (may also follow the command)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", help="what to do (COMMAND -h: its options)")
    common = [budget_options()]
    reads_network = [*common, network_options()]

    p = sub.add_parser("check", parents=reads_network, help="is POLY the Taylor polynomial of the network in NET.json?",
                       description="Decide whether POLY is the degree-d Taylor polynomial of the network at the "
                                   "origin (Rolnick & Tegmark, Def. 3.2).")
    p.add_argument("network", metavar="NETWORK",
                   help="NET.json (format: README, 'The network file') or model.onnx (with --output K)")
    p.add_argument("poly", metavar="POLY", help="the claimed polynomial in the network's input names, e.g. 'x1*x2'")
    p.add_argument("--method", choices=["auto", "exact", "random"], default="auto",
                   help="exact coefficients, or a randomized test over GF(p) with a stated error bound "
                        "(default auto: the cheaper by an estimate of the work)")
    p.add_argument("--seed", type=int, help="seed of the randomized method (default: 128 random bits, reported)")
    p.add_argument("--degree", type=int, help="truncation degree d (default: the degree of POLY)")
    p.add_argument("--repetitions", type=int, default=2,
                   help="independent repetitions of the randomized method (default 2)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for the randomized repetitions (default: one per core)")
    p.add_argument("--show", action="append", choices=["taylor", "residual"],
                   help="also print the network's Taylor polynomial or taylor - POLY (exact method; repeatable)")
    p.add_argument("--json", metavar="FILE", help="write the result as JSON to FILE ('-': standard output)")
    p.add_argument("--latex", action="store_true", help="also print a LaTeX line")
    p.add_argument("--max-monomials", type=int, default=DEFAULT_MAX_MONOMIALS, metavar="N",
                   help=f"limit of the exact method: monomials of degree <= d (default {DEFAULT_MAX_MONOMIALS:,})")
    p.add_argument("--max-degree", type=int, default=DEFAULT_MAX_DEGREE, metavar="N",
                   help=f"limit on the truncation degree d (default {DEFAULT_MAX_DEGREE:,})")
    p.add_argument("--certificate", metavar="FILE",
                   help="write the verdict's certificate, for python -m certcheck FILE (docs/certificates.md)")
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser("bounds", parents=common, help="derivative rank and the papers' bounds for a polynomial")
    p.add_argument("poly", metavar="POLY", help="a polynomial, e.g. 'x1^2*x2^3' or '(x1+x2+x3)^4'")
    p.add_argument("--field", default="QQ", help="QQ (default) or GF(p): ranks over the rationals or mod a prime")
    p.add_argument("--model", choices=list(models.MODELS),
                   help="network model of the one-hidden-layer bounds (default: every model)")
    p.add_argument("--activation", default="generic",
                   help="activation of the one-hidden-layer bounds (default generic: every σ with σ_0..σ_d != 0)")
    p.add_argument("--search", action="store_true",
                   help="also search the smallest verified one-hidden-layer network (exact when it meets the bound)")
    p.add_argument("--tries", type=int, default=600, help="direction sets tried per width by --search (default 600)")
    p.add_argument("--seed", type=int, default=0, help="seed of --search (default 0)")
    p.add_argument("--save", metavar="FILE.json", help="with --search and one --model: write the witness network")
    p.add_argument("--max-equations", type=int, default=bounds.search.MAX_SEARCH_EQUATIONS, metavar="N",
                   help=f"limit of --search: Taylor equations per system (default {bounds.search.MAX_SEARCH_EQUATIONS})")
    p.add_argument("--max-entries", type=int, default=bounds.DEFAULT_MAX_ENTRIES, metavar="N",
                   help=f"limit on the derivative matrix (default {bounds.DEFAULT_MAX_ENTRIES:,} entries)")
    p.add_argument("--certificate", metavar="FILE",
                   help="write the verdict's certificate, for python -m certcheck FILE (docs/certificates.md)")
    p.set_defaults(run=_cmd_bounds)

    p = sub.add_parser("uniform", parents=reads_network,
                       help="prove sup over a box of |N - POLY| <= EPS (Def. 3.1) by ball arithmetic, or find a point")
    p.add_argument("network", metavar="NETWORK", help="NET.json or model.onnx (with --output K)")
    p.add_argument("poly", metavar="POLY", help="the target polynomial in the network's input names")
    p.add_argument("--eps", required=True, help="the tolerance, an exact number such as 1/1000")
    p.add_argument("--box", nargs="+", action=BoxAction, metavar="LO,HI",
                   help=f"the box: {BOX_HELP}; default -1,1 for every input")
    p.add_argument("--max-cells", type=int, default=20_000, metavar="N",
                   help="limit on the cells of the subdivision (default 20,000)")
    p.add_argument("--plot", metavar="FILE",
                   help="draw |N - POLY| over the box with the proven bound (1 or 2 inputs; needs the plot extra)")
    p.add_argument("--certificate", metavar="FILE",
                   help="write the verdict's certificate, for python -m certcheck FILE (docs/certificates.md)")
    p.set_defaults(run=_cmd_uniform)

    p = sub.add_parser("table", parents=common, help="LaTeX/CSV/Markdown tables of bounds")
    p.add_argument("kind", choices=["monomials", "product", "power", "minimal"],
                   help="monomials x1^a x2^b, products x1...xn (n = 2^i), powers x^d, or minimal one-hidden-layer "
                        "widths by activation and network model (about a minute)")
    p.add_argument("--max", type=int, default=6, help="largest size: exponent a, log2 n, or d (default 6)")
    p.add_argument("--format", choices=["latex", "csv", "markdown"], default="latex",
                   help="output format (default latex, booktabs)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--workers", "-n", default="auto", metavar="N|auto",
                   help="minimal: compute the rows in N processes (default auto: one per core)")
    p.add_argument("--witnesses", metavar="DIR",
                   help="minimal: save every verified network as DIR/<polynomial>__<activation>__<model>.json")
    p.set_defaults(run=_cmd_table)

    p = sub.add_parser("crossings", parents=reads_network,
                       help="crossing number of a univariate ReLU network or a sawtooth")
    p.add_argument("network", nargs="?", metavar="NETWORK",
                   help="NET.json or model.onnx: a network with one input and ReLU-like activations")
    p.add_argument("--sawtooth", type=int, metavar="L", help="the L-layer sawtooth on [0, 1] instead of a network")
    p.add_argument("--domain", nargs=2, metavar=("A", "B"),
                   help="interval of the network's input (default: the whole real line); printed with the count")
    p.add_argument("--threshold", default="1/2", help="threshold of Cr(f) (default 1/2); printed with the count")
    p.add_argument("--plot", metavar="FILE.png", help="also draw f and the threshold (needs matplotlib)")
    p.add_argument("--max-pieces", type=int, default=piecewise.DEFAULT_MAX_PIECES, metavar="N",
                   help=f"limit on the pieces of f (default {piecewise.DEFAULT_MAX_PIECES:,})")
    p.add_argument("--max-root-degree", type=int, default=algebraic.MAX_ROOT_DEGREE, metavar="N",
                   help=f"limit on the degree of polynomials whose roots are isolated (default "
                        f"{algebraic.MAX_ROOT_DEGREE})")
    p.add_argument("--certificate", metavar="FILE",
                   help="write the verdict's certificate, for python -m certcheck FILE (docs/certificates.md)")
    p.set_defaults(run=_cmd_crossings)

    p = sub.add_parser("regions", parents=reads_network,
                       help="exact linear regions of a ReLU network on a 2-D box (or plane slice)")
    p.add_argument("network", metavar="NETWORK",
                   help="NET.json or model.onnx: a ReLU-like network with two inputs (or use --slice)")
    p.add_argument("--box", nargs="+", action=BoxAction, metavar="LO,HI",
                   help=f"the rectangle: {BOX_HELP}; default -1,1 -1,1")
    p.add_argument("--slice", nargs=3, metavar=("X0", "U", "V"),
                   help="for n != 2 inputs: the plane x = X0 + s*U + t*V, each a comma-separated vector")
    p.add_argument("--max-regions", type=int, default=piecewise.DEFAULT_MAX_REGIONS, metavar="N",
                   help=f"limit on the regions (default {piecewise.DEFAULT_MAX_REGIONS:,})")
    p.add_argument("--max-memory", type=int, default=piecewise.DEFAULT_MAX_MEMORY // 2**20, metavar="MiB",
                   help=f"limit on the regions' arrays (default {piecewise.DEFAULT_MAX_MEMORY // 2**20} MiB)")
    p.add_argument("--list", action="store_true", help="print every region")
    p.add_argument("--plot", metavar="FILE.png", help="draw the regions (needs matplotlib)")
    p.add_argument("--certificate", metavar="FILE",
                   help="write the verdict's certificate, for python -m certcheck FILE (docs/certificates.md)")
    p.set_defaults(run=_cmd_regions)

    p = sub.add_parser("constructions", parents=common,
                       help="the builders and their neuron counts; with BUILDER, build (and --save) one network")
    p.add_argument("builder", nargs="?", choices=_BUILDERS, metavar="BUILDER",
                   help="one of " + ", ".join(_BUILDERS))
    p.add_argument("--degree", type=int, default=15, help="d of the power builders (default 15)")
    p.add_argument("--exponents", type=int, nargs="+", default=[2, 3], help="r of the monomial builders (default 2 3)")
    p.add_argument("-n", type=int, default=8, help="n of the product builders (default 8)")
    p.add_argument("--activation", default="exp", help="activation of a built network (default exp)")
    p.add_argument("--save", metavar="FILE.json", help="write the built network to FILE.json")
    p.set_defaults(run=_cmd_constructions)

    p = sub.add_parser("plot", parents=common, help="figures (needs matplotlib: pip install 'symdepth[plot]')")
    p.add_argument("what", choices=["sawtooth", "widths", "neurons", "crossings"],
                   help="sawtooth(L); RT Fig. 1 widths for k = 1..L; neuron counts of x^d for d <= 2^L; Cr growth")
    p.add_argument("--layers", type=int, default=4, help="L (default 4)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="image file (.png, .pdf, .svg, ...)")
    p.add_argument("--max-pieces", type=int, default=piecewise.DEFAULT_MAX_PIECES, metavar="N",
                   help=f"limit on the pieces of a sawtooth (default {piecewise.DEFAULT_MAX_PIECES:,})")
    p.set_defaults(run=_cmd_plot)

    p = sub.add_parser("prove", parents=common, help="run the proof suite and report claim by claim")
    p.add_argument("-k", metavar="IDS",
                   help="only these claims: ids as the report prints them (RT-SQ, 'RT-T4.1,TEL-CR') or a pytest "
                        "-k expression")
    p.add_argument("--format", choices=["text", "markdown", "latex", "json"], default="text",
                   help="report format (default text; latex needs booktabs and longtable)")
    p.add_argument("--proofs", metavar="DIR", help="the claim modules (default: those installed with symdepth)")
    p.add_argument("--slow", action="store_true", help="include the long sweeps")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.add_argument("--workers", "-n", metavar="N|auto",
                   help="run the claim modules in N processes (pytest-xdist; 'auto': one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --slow: run the long sweeps on this dask.distributed scheduler (tcp://host:8786)")
    p.add_argument("--certificates", metavar="DIR",
                   help="write a certificate for every verdict that has one into DIR/<claim>/ and verify them with "
                        "certcheck in the same run (re-check later: python -m certcheck DIR)")
    p.set_defaults(run=_cmd_prove)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 holds, 1 fails, 2 bad input or a limit)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    args = _parser().parse_args(argv)
    try:
        apply_budgets(args)
        return args.run(args)
    except SymdepthError as err:
        return _fail(debug, str(err))
    except (RecursionError, MemoryError) as err:
        return _fail(debug, f"input too large to process ({type(err).__name__}); raise no limit, shrink the input")
    except KeyboardInterrupt:
        return _fail(debug, "interrupted", code=130)
    except BrokenPipeError:  # the reader (| head) stopped reading: nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as err:  # noqa: BLE001 - no input may end in a traceback without --debug
        return _fail(debug, f"unexpected {type(err).__name__}: {err}; if the input is valid, rerun with --debug and "
                            "report the traceback")


def _fail(debug: bool, message: str, code: int = 2) -> int:
    if debug:
        traceback.print_exc()
    print(f"symdepth: error: {' '.join(message.split())[:2000]}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
