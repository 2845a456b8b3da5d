"""The fewest neurons of a one-hidden-layer network that Taylor-approximates a polynomial, in
each network model: a proven lower bound next to a network found and verified by exact
computation ("exactly" when they meet, an interval otherwise).

Run: python examples/minimal_shallow_width.py
"""

from symdepth import bounds, check_taylor, models

for poly in ("x1*x2", "x1^2 + x2^2", "x1^2*x2"):
    for model in models.MODELS:
        result = bounds.minimal_shallow_width(poly, "exp", model)
        if result.witness is not None:
            assert check_taylor(result.witness, poly).ok and model in result.witness.models
        print(f"{poly:>12}  {model:<17} {repr(result).split(': ', 1)[1][:-1]:<14} [{result.argument}]")
