"""The randomized method of the Taylor check, a Schwartz–Zippel identity test over GF(p).

The network is restricted to a random line x = a·t over GF(p), and the coefficient of t^k
is compared with p_k(a), the degree-k homogeneous part of the claim at a.  Each repetition
draws a fresh prime p ≡ 1 (mod 4) uniformly from [2^61, 2^62) (at least 2^53 of them) that
divides no denominator met by the computation, and a direction a ∈ (GF(p)^*)^n.  Let
D_k ≠ 0 be the lowest nonzero homogeneous part of network − claim over Q.  The repetition
misses it only if p divides the numerators of all its coefficients — at most h/61 primes, h
a bound on their bit size from :func:`~symdepth.check.height.taylor_height` — or a is a
root of D_k mod p, probability ≤ d/(p − 1) by Schwartz–Zippel (and 0 with one input, where
D_k(a) = c·a^k).  The reported error bound is the product over the repetitions; a reported
mismatch is always genuine.
"""

from __future__ import annotations

import concurrent.futures
import math
import multiprocessing
import random
import secrets
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import sympy

from ..errors import SymdepthError
from ..series import LineSeries, PrimeField, network_series
from .height import _claim_magnitude_bits, taylor_height
from .problem import _Problem, _stage
from .record import Mismatch, TaylorCheck


def _check_random(problem: _Problem, seed: int | None, repetitions: int, workers: int,
                  progress: Callable[[str, int, int], None] | None) -> TaylorCheck:
    """The randomized identity test of the module docstring: each repetition restricts the
    network to a random line over GF(p) for a fresh random prime p."""
    net, degree, claim = problem.net, problem.degree, problem.claim
    n = len(problem.variables)
    if not problem.rational:
        raise SymdepthError(
            "method='random' works over GF(p) and needs rational weights, rational Taylor coefficients of the "
            "activations at the expansion point and a rational claim; this network has symbolic or transcendental "
            "ones. Use method='exact'"
        )
    if repetitions < 1:
        raise SymdepthError(f"repetitions must be at least 1, got {repetitions}")
    if workers < 1:
        raise SymdepthError(f"workers must be at least 1, got {workers}")
    if seed is None:
        # the primes and lines are functions of the seed, so the error bound is a probability
        # over seeds: 128 bits keep it meaningful far below the bounds reported
        seed = secrets.randbits(128)
    rng = random.Random(seed)
    claim_nonconstant = problem.claim_nonconstant
    claim_denominators = math.lcm(*(Fraction(c).denominator for c in claim_nonconstant))
    bound = taylor_height(net, degree, problem.values)
    # A prime dividing no denominator keeps reduction mod p a ring map from everything the
    # series engine computes; a wrong claim then survives a repetition only if p divides the
    # numerator of its lowest-degree nonzero difference coefficient (at most bits/61 of the
    # admissible primes do) or the random direction is a root of that homogeneous part.
    forbidden = bound.scale * claim_denominators
    difference_bits = 1 + max(bound.magnitude_bits, _claim_magnitude_bits(claim_nonconstant)) + bound.denominator_bits
    difference_bits += claim_denominators.bit_length()
    admissible = _PRIMES_1_MOD_4 - forbidden.bit_length() // 61
    prime_failure = (difference_bits // 61) / admissible
    lines = []
    for _ in range(repetitions):
        p = _random_prime(rng, forbidden)
        lines.append((p, [rng.randrange(1, p) for _ in range(n)]))
    jobs = [(net, problem.values, claim, degree, p, direction) for p, direction in lines]
    if workers == 1 or repetitions == 1:
        outcomes = []
        for i, job in enumerate(jobs, start=1):
            outcomes.append(_random_line_mismatch(*job, _stage(progress, f"repetition {i}/{repetitions}")))
            if outcomes[-1] is not None:
                break
    else:
        with concurrent.futures.ProcessPoolExecutor(min(workers, repetitions), mp_context=_process_context()) as pool:
            futures = [pool.submit(_random_line_mismatch, *job) for job in jobs]
            for finished, _ in enumerate(concurrent.futures.as_completed(futures), start=1):
                if progress is not None:
                    progress("repetitions", finished, repetitions)
            outcomes = [f.result() for f in futures]
    first = next((m for m in outcomes if m is not None), None)
    used = len(outcomes) if first is None else outcomes.index(first) + 1
    primes = [p for p, _ in lines[:used]]
    error = 1.0
    for p in primes:
        # Schwartz–Zippel over nonzero directions; with one input a nonzero c·a^k never vanishes
        error *= min(1.0, prime_failure + (degree / (p - 1) if n > 1 else 0.0))
    first = problem.constant_mismatch or first
    return problem.record(ok=first is None, method="random", field="+".join(f"GF({p})" for p in primes),
                          error_probability=None if first is not None else error, seed=seed,
                          first_mismatch=first, mismatches=int(first is not None))


def _random_line_mismatch(net: Any, values: dict, claim: dict, degree: int, p: int, direction: list,
                          progress: Callable[[int, int], None] | None = None) -> Mismatch | None:
    """The first degree at which network and claim differ on the line x = direction·t mod p."""
    prime_field = PrimeField(p)
    ring = LineSeries(degree, direction, prime_field)
    coeffs = ring.coefficients(network_series(net, ring, values, progress))
    expected = [0] * (degree + 1)
    for mono, c in claim.items():
        if any(mono):
            term = int(prime_field.convert(c))
            for a, e in zip(direction, mono):
                term = term * pow(a, e, p) % p
            expected[sum(mono)] = (expected[sum(mono)] + term) % p
    for k in range(1, degree + 1):
        if coeffs[k] != expected[k]:
            return Mismatch(f"degree-{k} part on a random line mod {p}", coeffs[k], expected[k])
    return None


def _process_context() -> multiprocessing.context.BaseContext:
    # fork needs no re-import of the caller's __main__ (a script without a main guard works)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


# Primes p ≡ 1 (mod 4) in [2^61, 2^62): about 2.6·10^16 by the prime number theorem for
# arithmetic progressions; explicit error terms (Bennett, Martin, O'Bryant & Rechnitzer 2018)
# leave far more than this conservative count.
_PRIMES_1_MOD_4 = 2**53


def _random_prime(rng: random.Random, forbidden: int) -> int:
    """A uniformly random prime p ≡ 1 (mod 4) in [2^61, 2^62) not dividing ``forbidden``
    (rejection sampling; sympy's isprime is deterministic below 2^64)."""
    while True:
        p = 4 * rng.randrange(2**59, 2**60) + 1
        if sympy.isprime(p) and forbidden % p:
            return p
