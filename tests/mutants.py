"""Deliberate breakages of the library and the checks that must catch them.

Each :class:`Mutant` replaces one function (or method) of symdepth or certcheck by a
plausible wrong one (:mod:`tests.breakages`: a wrong constant, an off-by-one, a function
returning a plausible constant) and names the proof modules or test files that must then fail.  ``tests/test_mutations.py`` runs every
mutant against its killers in a fresh process.

Used as a pytest plugin (``-p tests.mutants --mutant NAME``): the breakage is installed in
``pytest_configure``, before any test module is imported, in every loaded symdepth module
that holds the original object, so ``from symdepth.x import f`` sees it too.  A file stops
at its first failure (the rest of it is skipped), and ``--mutant-report FILE`` writes the
failed test ids as JSON.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest

from .breakages import (
    _always_nonzero,
    _batched_relu_slope_one_on_a_kink,
    _block_rank_mod_small_prime,
    _bound_shifted,
    _bound_without_prime_term,
    _cell_bound_halved,
    _checker_misses_a_root_at_a_breakpoint,
    _checker_relu_slope_one_on_a_kink,
    _checker_remainder_at_the_centre,
    _checker_reuses_stale_pieces,
    _coarse_radial,
    _completion_order,
    _compose_ignores_outer,
    _constant_property,
    _crossings_one_if_curved,
    _cut_moved,
    _drop_last_root,
    _drop_one_cut,
    _edges_minus_one,
    _equal_widths,
    _every_region_disagrees,
    _falling_pieces_read_higher,
    _float_signs_trusted,
    _fold_drops_the_bias,
    _fold_transposed,
    _half_box,
    _html_always_holds,
    _keep_collinear,
    _last_interval_open,
    _leaky_as_relu,
    _leftover_value_charged,
    _magnitude_of_constant_only,
    _matmul_unwidened,
    _merged_knots,
    _moment_rank_is_row_count,
    _no_assumptions,
    _one_more_triangle,
    _one_summand,
    _output_weights_scaled,
    _overlapping_passes,
    _perturbed_widths,
    _plus_one,
    _printed_first_line,
    _random_ignores_top_degree,
    _rank_is_row_count,
    _rank_over_q_mod_small_prime,
    _regions_by_affine_output,
    _relu_slope_one_on_a_kink,
    _remainder_dropped,
    _replace_field,
    _rescale_wrong_power,
    _rounded_to_nearest,
    _rule_off_at_powers_of_ten,
    _sawtooth_not_a_tent,
    _scaled_gate,
    _serial_proofs,
    _sigmoid_cubic_sign,
    _sign_at_left_end,
    _tapoly_overstated,
    _triangles_plus_one,
    _unscaled_output,
    _unthrottled,
    _values_hide_failures,
    _vertex_bounds_zero,
    _zero_function,
    _zero_where_bias_zero,
)


@dataclass(frozen=True)
class Mutant:
    target: str                  # "module:attribute" or "module:Class.method"
    make: Callable[[Any], Any]   # original -> replacement
    killers: tuple               # files or test ids (relative to the repository) that must fail
    what: str



P = "proofs/"
MUTANTS = {
    "crossings+1": Mutant("symdepth.piecewise.crossing_numbers:crossings", _plus_one,
                          (P + "test_tel_cr.py", P + "test_tel_tri.py", P + "test_q_comp.py", P + "test_tel_sep.py",
                           P + "test_tel_net.py", P + "test_tel_poly.py", P + "test_tel_lem.py"), "off by one"),
    "crossings=1 if curved": Mutant("symdepth.piecewise.crossing_numbers:crossings", _crossings_one_if_curved,
                                    (P + "test_tel_poly.py", P + "test_tel_cr.py"), "a plausible constant"),
    "tapoly overstated": Mutant("symdepth.piecewise.crossing_numbers:tapoly", _tapoly_overstated, (P + "test_tel_poly.py",),
                                "(t+1, α+1): the bound gets easier"),
    "from_network = 0": Mutant("symdepth.piecewise.networks:from_network", _zero_function,
                               (P + "test_tel_net.py", P + "test_q_comp.py", P + "test_tel_sep.py",
                                P + "test_tel_cr.py"), "a plausible constant function"),
    "every region disagrees": Mutant("symdepth.piecewise.crossing_numbers:disagreement", _every_region_disagrees,
                                     (P + "test_tel_lem.py",), "overcounts the lemma's left side"),
    "triangles+1": Mutant("symdepth.piecewise.crossing_numbers:count_triangles", _triangles_plus_one, (P + "test_tel_tri.py",),
                          "off by one"),
    "compose ignores f": Mutant("symdepth.piecewise.polynomial:compose", _compose_ignores_outer,
                                (P + "test_tel_tri.py", P + "test_tel_cr.py"), "returns the inner function"),
    "sawtooth not a tent": Mutant("symdepth.piecewise.networks:sawtooth", _sawtooth_not_a_tent,
                                  (P + "test_q_comp.py", P + "test_tel_sep.py", P + "test_tel_cr.py",
                                   P + "test_tel_net.py"), "output weights (1, −1) instead of (1, −2)"),
    "square gate /2": Mutant("symdepth.constructions:square_gate", _scaled_gate(Fraction(1, 2)),
                             (P + "test_rt_sq_square_gate.py", P + "test_rt_p46_power.py",
                              P + "test_rt_thm41_monomial.py"), "the printed normaliser 1/(2σ''(0))"),
    "product gate x2": Mutant("symdepth.constructions:lin_gate", _scaled_gate(2),
                              (P + "test_rt_prod_gate.py", P + "test_rt_thm51_product_tree.py",
                               P + "test_rt_thm41_monomial.py"), "a wrong constant"),
    "identity gate x2": Mutant("symdepth.constructions:identity_gate", _scaled_gate(2),
                               (P + "test_rt_id_gate.py", P + "test_rt_p46_power.py"), "a wrong constant"),
    "rescale by d-1": Mutant("symdepth.check.rescale:rescale", _rescale_wrong_power,
                             (P + "test_rt_p33_rescale.py", P + "test_rt_t34_limit.py"), "A_k/δ^(d−1)"),
    # (a monomial's derivatives are distinct monomials: only sums of monomials can catch this;
    # forms, monomials included, take the moment-matrix path: "moment rank = rows")
    "rank = rows": Mutant("symdepth.bounds.rank:_block_rank", _rank_is_row_count,
                          (P + "test_rt_thm43_sparse.py",),
                          "counts derivatives instead of their span"),
    "random ignores top degree": Mutant("symdepth.check.randomized:_random_line_mismatch", _random_ignores_top_degree,
                                        (P + "test_rt_p46_power.py", P + "test_rt_thm51_product_tree.py"),
                                        "the randomized method compares only degrees below d"),
    "sigmoid cubic sign": Mutant("symdepth.activations:Activation.recipe", _sigmoid_cubic_sign,
                                 (P + "test_rt_sq_square_gate.py", P + "test_rt_id_gate.py",
                                  P + "test_rt_prod_gate.py"), "sigmoid's order-3 coefficient with the wrong sign"),
    "shallow bound + 1": Mutant("symdepth.bounds.formulas:monomial_bounds", _replace_field(shallow=lambda b: b.shallow + 1),
                                (P + "test_rt_thm41_monomial.py",), "the shallow monomial bound record off by one"),
    "leftover value charged": Mutant("symdepth.constructions:product_tree_count", _leftover_value_charged,
                                     (P + "test_rt_thm51_product_tree.py",),
                                     "product_tree_count wrong when a value is left over"),
    "compose drops a preimage": Mutant("symdepth.piecewise.polynomial:_linear_cuts", _drop_one_cut, (P + "test_tel_poly.py",),
                                       "compose drops the preimage of one breakpoint under a linear inner piece"),
    "leaky ReLU as ReLU": Mutant("symdepth.piecewise.linear:linear_activation", _leaky_as_relu,
                                 (P + "test_tel_net.py", P + "test_q_comp.py"),
                                 "leaky ReLU treated as ReLU in from_network"),
    "uniform half box": Mutant("symdepth.uniform.search:box_intervals", _half_box,
                               (P + "test_rt_p33_rescale.py", P + "test_rt_t34_limit.py"),
                               "the uniform proofs covering half the box"),
    "regions = distinct outputs": Mutant("symdepth.piecewise.regions:regions_2d", _regions_by_affine_output,
                                         ("tests/test_regions.py",),
                                         "regions_2d counting distinct affine outputs, not regions"),
    "output-bias bound + 1": Mutant("symdepth.bounds.shallow:shallow_lower_bound", _bound_shifted("output-bias", 1),
                                    (P + "test_rt_models_width.py",), "a model's shallow bound off by one, up"),
    "rt bound - 1": Mutant("symdepth.bounds.shallow:shallow_lower_bound", _bound_shifted("rt", -1),
                           (P + "test_rt_models_width.py",), "a model's shallow bound off by one, down"),
    "skip bound + 1": Mutant("symdepth.bounds.shallow:shallow_lower_bound", _bound_shifted("output-bias+skip", 1),
                             (P + "test_rt_models_width.py",), "the skip model's shallow bound off by one, up"),
    "uniform cell bound / 2": Mutant("symdepth.uniform.enclosure:_cell_bound", _cell_bound_halved, ("tests/test_uniform.py",),
                                     "the cell bound of the uniform proof shrunk by half"),
    "ReLU slope 1 on a kink": Mutant("symdepth.series.balls:activation_balls", _relu_slope_one_on_a_kink,
                                     ("tests/test_uniform.py::test_a_relu_kink_inside_a_cell_takes_the_derivative_hull[balls]",),
                                     "a ReLU's derivative over a cell holding its kink taken as 1, not [0, 1] (issue 28)"),
    "batched: ReLU slope 1 on a kink": Mutant(
        "symdepth.uniform.batched:_activate", _batched_relu_slope_one_on_a_kink,
        ("tests/test_uniform.py::test_a_relu_kink_inside_a_cell_takes_the_derivative_hull[auto]",),
        "the batched engine's ReLU derivative over a cell holding its kink taken as 1, not [0, 1]"),
    "batched: products not widened": Mutant(
        "symdepth.uniform.outward:matmul", _matmul_unwidened, ("tests/test_uniform_batched.py",),
        "the batched engine's matrix products without the rounding and radius bound (plain float)"),
    "uniform bound rounded to nearest": Mutant("symdepth.uniform.enclosure:float_up", _rounded_to_nearest,
                                               ("tests/test_uniform.py::test_a_bound_within_a_float_ulp_of_eps_is_compared_exactly[balls]",),
                                               "the proven bound rounded to the nearest float, not up (issue 29)"),
    "ONNX fold drops a bias": Mutant("symdepth.frameworks.onnx_graph:_Chain.matrix", _fold_drops_the_bias,
                                     ("tests/test_onnx_graph.py::test_consecutive_affine_maps_are_composed_exactly",),
                                     "consecutive affine maps composed without the later map's bias"),
    "ONNX fold transposes a square weight": Mutant(
        "symdepth.frameworks.onnx_graph:_Chain.matrix", _fold_transposed,
        ("tests/test_onnx_graph.py::test_a_wide_fold_is_fast_enough_and_a_huge_one_is_a_budget",),
        "a square weight transposed when folded into the map before it"),
    "uniform remainder dropped": Mutant("symdepth.uniform.enclosure:_remainder", _remainder_dropped,
                                        ("tests/test_uniform.py",), "the Taylor model without its remainder term"),
    "ball series: constant term only": Mutant("symdepth.series:BallSeries.magnitude", _magnitude_of_constant_only,
                                              ("tests/test_uniform.py",),
                                              "the Taylor model's polynomial part bounded by its value at the centre"),
    "moment rank = rows": Mutant("symdepth.bounds.rank:_moment_rank", _moment_rank_is_row_count,
                                 (P + "test_rt_thm41_monomial.py", P + "test_rt_thm43_sparse.py"),
                                 "counts a form's order-s derivatives instead of their span"),
    "rank over Q mod 3001 (forms)": Mutant("symdepth.bounds.rank:_rank_over_q", _rank_over_q_mod_small_prime,
                                           (P + "test_rt_thm43_sparse.py",),
                                           "the rank over Q computed modulo a prime of a few thousand"),
    "rank over Q mod 3001": Mutant("symdepth.bounds.rank:_block_rank", _block_rank_mod_small_prime,
                                   (P + "test_rt_thm43_sparse.py",),
                                   "the rank over Q computed modulo a prime of a few thousand"),
    "thm44 simple /d": Mutant("symdepth.bounds.formulas:monomial_bounds",
                              _replace_field(thm44_simple=lambda b: Fraction(b.shallow, sum(b.exponents))),
                              (P + "test_rt_thm44.py",), "the printed ∏(r_i+1)/d"),
    "thm44 + 1": Mutant("symdepth.bounds.formulas:monomial_bounds", _replace_field(thm44=lambda b: b.thm44 + 1),
                        (P + "test_rt_thm44.py", P + "test_rt_thm42_taylor.py"), "off by one"),
    "sparse bound /(c+1)": Mutant("symdepth.bounds.formulas:sparse_bound",
                                  _replace_field(bound=lambda b: b.bound * b.monomials / (b.monomials + 1)),
                                  (P + "test_rt_thm43_sparse.py",), "a wrong constant"),
    "vandermonde weight": Mutant("symdepth.constructions:univariate_shallow", _output_weights_scaled(Fraction(101, 100)),
                                 (P + "test_rt_p45_vandermonde.py",), "one output weight 1% off"),
    "shallow monomial weight": Mutant("symdepth.constructions:shallow_monomial", _output_weights_scaled(-1),
                                      (P + "test_rt_thm41_monomial.py", P + "test_rt_thm42_taylor.py",
                                       P + "test_rt_t34_limit.py"), "one output weight negated"),
    "deep_power_count+1": Mutant("symdepth.constructions:deep_power_count", _plus_one, (P + "test_rt_p46_power.py",),
                                 "off by one"),
    "eq2+1": Mutant("symdepth.bounds.products:eq2_neurons", _plus_one, (P + "test_rt_thm51_product_tree.py",), "off by one"),
    "product_bound+1": Mutant("symdepth.bounds.products:product_bound", _replace_field(neurons=lambda b: b.neurons + 1),
                              (P + "test_rt_thm51_product_tree.py",), "not the optimum"),
    "widths all n^(1/k)": Mutant("symdepth.bounds.products:recursion_widths", _equal_widths,
                                 (P + "test_rt_eq5_recursion.py", P + "test_rt_fig1_widths.py"),
                                 "a plausible constant"),
    "lagrange widths 1e-12 off": Mutant("symdepth.bounds.products:lagrange_widths", _perturbed_widths,
                                        (P + "test_rt_eq5_recursion.py",), "a wrong constant"),
    "rule off at 10^m": Mutant("symdepth.bounds.products:depth_rule_of_thumb", _rule_off_at_powers_of_ten,
                               (P + "test_rt_c52_rule.py",), "the printed strict inequality"),
    "closed form n^(1/k)": Mutant("symdepth.bounds.products:product_bound",
                                  _replace_field(closed_form=lambda b: b.closed_form / b.n ** ((b.k - 1) / b.k)),
                                  (P + "test_rt_fig2_empirical.py",), "drops the factor n^((k−1)/k)"),
    "radial net coarse": Mutant("symdepth.constructions:radial_net", _coarse_radial, (P + "test_es_rad.py",),
                                "knots/8"),
    "overparametrization first line": Mutant("symdepth.dynamics:scalar_overparametrization", _printed_first_line,
                                             (P + "test_ach_op.py",), "w1^(t+1) w2^(t)"),
    "end-to-end one summand": Mutant("symdepth.dynamics:end_to_end_residual", _one_summand,
                                     (P + "test_ach_e2e.py",), "the printed Σ_i with fixed j"),
    "sign at left end": Mutant("symdepth.piecewise.algebraic:RealAlgebraic.sign_of", _sign_at_left_end,
                               (P + "test_tel_cr.py", "tests/test_algebraic.py"), "sign decided at the interval end"),
    "assumptions dropped": Mutant("symdepth.check.taylor:check_taylor", _no_assumptions,
                                  (P + "test_rt_thm42_taylor.py", P + "test_rt_prod_gate.py"), "forgets σ_k ≠ 0"),
    "canonical keeps collinear knots": Mutant("symdepth.piecewise.linear:Knots.canonical", _keep_collinear,
                                              (P + "test_tel_net.py", "tests/test_piecewise.py"),
                                              "overcounts pieces"),
    "cut moved by one unit": Mutant("symdepth.piecewise.affine_maps:PatternMaps.line", _cut_moved, ("tests/test_regions.py",),
                                    "a boundary moved by one unit of the layer's denominator"),
    "float signs trusted": Mutant("symdepth.piecewise.cells:_SPARE", _float_signs_trusted,
                                  ("tests/test_regions.py::test_vertices_on_lines_with_non_dyadic_coefficients",),
                                  "the sign of a rounded value taken as exact"),
    "map error bounds dropped": Mutant("symdepth.piecewise.affine_maps:_SPARE", _float_signs_trusted,
                                       ("tests/test_regions_float.py::test_float_maps_enclose_the_exact_maps",),
                                       "float maps taken as exact"),
    "crossing vertices taken as floats": Mutant("symdepth.piecewise.cells:_crossing_vertices", _vertex_bounds_zero,
                                                ("tests/test_regions_float.py::test_vertex_bounds_hold[0-float64]",),
                                                "a new vertex's rounding ignored"),
    "cuts of one pass overlap": Mutant("symdepth.piecewise.regions:_passes", _overlapping_passes,
                                       ("tests/test_regions.py::test_regions_against_exact_evaluation[0]",),
                                       "two lines cut the same cell in one pass"),
    "zero maps from the bias alone": Mutant("symdepth.piecewise.affine_maps:float_layer", _zero_where_bias_zero,
                                           ("tests/test_regions_float.py::test_float_maps_enclose_the_exact_maps",),
                                           "a neuron with bias 0 taken as silent"),
    "edges-1": Mutant("symdepth.piecewise.cells:_graph_counts", _edges_minus_one, ("tests/test_regions.py",), "off by one"),
    "certificate pieces from merged knots": Mutant("symdepth.piecewise.certify:network_knots", _merged_knots,
                                                   ("tests/test_certificates.py::"
                                                    "test_network_crossings_certificates_of_random_networks",),
                                                   "a neuron switching inside a certificate's piece"),
    "checker drops the output's divisors": Mutant("certcheck.network:_scaled_output", _unscaled_output,
                                                  ("tests/test_certificates.py::test_output_weights_over_sums_of_constants",),
                                                  "a network stated over log(3/2) read as if not"),
    "checker takes every divisor as nonzero": Mutant("certcheck.numbers:nonzero", _always_nonzero,
                                                     ("tests/test_certificates.py::test_output_weights_over_sums_of_constants",),
                                                     "a divisor equal to 0 accepted"),
    "checker counts a triangle more": Mutant("certcheck.crossings:_triangles", _one_more_triangle,
                                             ("tests/test_certificates.py::test_tapoly_and_triangle_certificates_and_tampering",),
                                             "off by one"),
    "checker misreads falling pieces": Mutant("certcheck.crossings:_value", _falling_pieces_read_higher,
                                              ("tests/test_certificates.py::test_disagreement_certificates_against_the_engine_and_tampering",),
                                              "an indicator read on the wrong side"),
    "checker: ReLU slope 1 on a kink": Mutant("certcheck.uniform:IV", _checker_relu_slope_one_on_a_kink,
                                              ("tests/test_certcheck_uniform.py::test_a_kink_inside_the_cell_keeps_the_slopes_hull[1]",),
                                              "the issue's planted bug, in the checker"),
    "checker: remainder at the centre": Mutant("certcheck.uniform:Difference.__call__", _checker_remainder_at_the_centre,
                                               ("tests/test_certcheck_uniform.py::test_a_kink_inside_the_cell_keeps_the_slopes_hull[4]",),
                                               "Taylor's remainder enclosed at the centre, not over the cell"),
    "checker reuses a neuron's stale piece": Mutant("certcheck.network:affine_pass", _checker_reuses_stale_pieces,
                                                    ("tests/test_certificates.py::test_crossings_certificates_and_tampering",),
                                                    "a pattern read from the previous piece"),
    "checker misses a root at a breakpoint": Mutant("certcheck.crossings:_Algebraic.around",
                                                    _checker_misses_a_root_at_a_breakpoint,
                                                    ("tests/test_certificates.py::test_algebraic_breakpoints_and_their_tampering",),
                                                    "f = τ at an algebraic breakpoint read as f < τ"),
    "every constant difference nonzero": Mutant("symdepth.check.values:_ball_excludes_zero", lambda orig: lambda expr: True,
                                                ("tests/test_check.py::test_a_constant_difference_is_decided_rigorously[difference0-False]",),
                                                "log(4) - 2 log(2) taken as a mismatch"),
    "last root dropped": Mutant("symdepth.piecewise.algebraic:real_roots", _drop_last_root,
                                ("tests/test_algebraic.py", P + "test_tel_poly.py", P + "test_tel_cr.py"),
                                "loses a root"),
    "prime count 2^62": Mutant("symdepth.check.randomized:_PRIMES_1_MOD_4", _bound_without_prime_term,
                               ("tests/test_check.py::test_error_bound_covers_primes_dividing_the_difference",),
                               "overstates the admissible primes"),
    "sweep in completion order": Mutant("symdepth.sweeps:sweep", _completion_order,
                                        ("tests/test_sweeps.py::test_thread_pool_and_progress",),
                                        "results as they finish, not in input order"),
    "sweep values hide failures": Mutant("symdepth.sweeps:SweepResult.values", _values_hide_failures,
                                         ("tests/test_sweeps.py::test_thread_pool_and_progress",),
                                         "None for a failed parameter instead of an error"),
    "html verdict holds": Mutant("symdepth.check.record:TaylorCheck._repr_html_", _html_always_holds,
                                 ("tests/test_display.py::test_taylor_check",), "a plausible constant"),
    "cases last interval open": Mutant("symdepth.piecewise.polynomial:PiecewisePolynomial._repr_latex_", _last_interval_open,
                                       ("tests/test_display.py",),
                                       "the closed domain's right end left out"),
    "prove ignores workers": Mutant("symdepth.prove:run_proofs", _serial_proofs,
                                    ("tests/test_prove.py::test_workers_really_run_in_xdist_workers",),
                                    "--workers silently serial"),
    "constant term not compared": Mutant(
        "symdepth.check.problem:_Problem.constant_mismatch", _constant_property(None),
        ("tests/test_check.py::test_constant_term_is_compared_in_the_randomized_check_too",), "a plausible constant"),
    "everything rational": Mutant("symdepth.check.problem:_Problem.rational", _constant_property(True),
                                  ("tests/test_check.py::test_random_method_refuses_symbolic_coefficients",),
                                  "symbolic coefficients sent to GF(p)"),
    "progress line unthrottled": Mutant("symdepth.display:ProgressLine.show", _unthrottled,
                                        ("tests/test_display.py::test_progress_line_throttles_and_clears",),
                                        "every update written"),
}


def pytest_addoption(parser: Any) -> None:
    parser.addoption("--mutant", help="install this breakage from tests/mutants.py before collection")
    parser.addoption("--mutant-report", help="write the failures per file (JSON) here")


def install(name: str) -> None:
    """Replace the mutant's target in every loaded symdepth or certcheck module that holds it."""
    mutant = MUTANTS[name]
    module_name, attribute = mutant.target.split(":")
    module = importlib.import_module(module_name)
    owner: Any = module
    *path, last = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, last)
    replacement = mutant.make(original)
    setattr(owner, last, replacement)
    if path:
        return
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").startswith(("symdepth", "certcheck")):
            for key, value in list(vars(loaded).items()):
                if value is original:
                    setattr(loaded, key, replacement)


class _Recorder:
    def __init__(self, path: str | None) -> None:
        self.path = path
        self.failed: list = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: Any) -> None:
        if any(f.split("::")[0] == item.nodeid.split("::")[0] for f in self.failed):
            pytest.skip("this file already failed under the mutant")

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            self.failed.append(report.nodeid)

    def pytest_sessionfinish(self) -> None:
        if self.path:
            with open(self.path, "w") as handle:
                json.dump(self.failed, handle)


def pytest_configure(config: Any) -> None:
    name = config.getoption("--mutant")
    if name:
        install(name)
    if name or config.getoption("--mutant-report"):
        config.pluginmanager.register(_Recorder(config.getoption("--mutant-report")), "mutant-recorder")
