"""How the ``symdepth`` command line reads its options: exact numbers as users type them
(``-1/2``, ``-1e-3``, ``-1/2,1/2`` are values, not options), one box syntax for every command,
the options of the commands that read a network, and the limits every command takes."""

from __future__ import annotations

import argparse
import re
import sys

from . import bounds, numbers, parsing
from .errors import SymdepthError
from .parsing import parse_number
from .piecewise import algebraic

__all__ = ["Parser", "BoxAction", "BOX_HELP", "box_option", "network_options", "budget_options", "apply_budgets"]


# argparse reads a token that starts with "-" as an option unless it looks like a negative
# number, and to it only -1 and -0.5 do.  Exact numbers are also written -1/2 and -1e-3, and
# boxes and vectors as comma lists (-1/2,1/2); no option of symdepth looks like one of these,
# so every such token is a value.
_UNSIGNED = r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(/(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)?"
_NEGATIVE_VALUE = re.compile(rf"^-{_UNSIGNED}(,[+-]?{_UNSIGNED})*$")


class Parser(argparse.ArgumentParser):
    """An ArgumentParser (and, through ``add_subparsers``, every subcommand's) that takes
    ``-1/2``, ``-1e-3`` and ``-1/2,1/2`` as values, not as unknown options."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._negative_number_matcher = _NEGATIVE_VALUE


class BoxAction(argparse.Action):
    """``--box``: one ``LO,HI`` per input, in one list (``--box -1/2,1/2 0,1``), repeated
    (``--box=-1/2,1/2 --box=0,1``) or as bare numbers (``--box -1/2 1/2 0 1``); all are
    collected as one list of number strings, paired by :func:`box_option`."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        parts = [part.strip() for value in values for part in str(value).split(",")]  # type: ignore[attr-defined]
        for part in parts:
            try:
                parse_number(part)
            except SymdepthError:
                parser.error(f"{option_string} {' '.join(values)}: {part!r} is not a number; write the box as LO,HI "  # type: ignore[arg-type]
                             "per input, e.g. --box -1/2,1/2 0,1, after the network file")
        setattr(namespace, self.dest, (getattr(namespace, self.dest) or []) + parts)


BOX_HELP = ("one LO,HI per input, e.g. --box -1/2,1/2 0,1 (also accepted: --box LO HI LO HI ..., or --box=LO,HI "
             "once per input)")


def box_option(args: argparse.Namespace, dimension: int, what: str) -> list | None:
    """The --box of a command as exact intervals, ``dimension`` of them (None when not given)."""
    if args.box is None:
        return None
    if len(args.box) != 2 * dimension:
        raise SymdepthError(f"--box has {len(args.box)} number(s), {what} needs {dimension} interval(s): one LO,HI "
                            f"per {'input' if what.startswith('the network') else 'coordinate'}, e.g. --box "
                            + " ".join(["-1/2,1/2"] * dimension))
    return [(parse_number(lo), parse_number(hi)) for lo, hi in zip(args.box[::2], args.box[1::2])]


def network_options() -> argparse.ArgumentParser:
    """Options of the commands that read a network."""
    common = Parser(add_help=False)
    common.add_argument("--output", metavar="K|C0,C1,...",
                        help="for a model.onnx with several outputs: the output K (0-based), or the coefficients of "
                             "a linear combination of the outputs, e.g. 1,-1,0,0,0 for y0 - y1")
    return common


def budget_options() -> argparse.ArgumentParser:
    """Options every command takes: the limits on what a user string may expand to."""
    common = Parser(add_help=False)
    group = common.add_argument_group("limits (a larger input is refused with exit 2, never a hang)")
    group.add_argument("--max-terms", type=int, default=parsing.MAX_TERMS, metavar="N",
                       help=f"terms a polynomial string may expand to (default {parsing.MAX_TERMS:,}; the term "
                            "products of one multiplication may be 100 times that)")
    group.add_argument("--max-digits", type=int, default=numbers.MAX_DIGITS, metavar="N",
                       help=f"digits of one weight, bias or number (default {numbers.MAX_DIGITS:,})")
    return common


def apply_budgets(args: argparse.Namespace) -> None:
    """The limits that live in modules (read when a string is parsed or roots are isolated)."""
    parsing.MAX_TERMS = args.max_terms
    parsing.MAX_TERM_PRODUCTS = 100 * args.max_terms
    numbers.MAX_DIGITS = args.max_digits
    if args.max_digits > 4000:  # Python refuses int <-> str beyond 4300 digits unless told
        sys.set_int_max_str_digits(args.max_digits + 300)
    if getattr(args, "max_equations", None) is not None:
        bounds.search.MAX_SEARCH_EQUATIONS = args.max_equations
    if getattr(args, "max_root_degree", None) is not None:
        algebraic.MAX_ROOT_DEGREE = args.max_root_degree
