"""Coverage-guided fuzzing of symdepth's two untrusted-input entry points with atheris.

Optional (not part of the test suite, which fuzzes the same functions with hypothesis):

    pip install '.[fuzz]'
    python fuzz/fuzz_inputs.py -max_total_time=60            # both targets
    python fuzz/fuzz_inputs.py -atheris_runs=100000

Any exception other than ParseError / NetworkError, or a hang (libFuzzer's -timeout, default
here 5 s per input), is a bug: libFuzzer stops and writes the crashing input to crash-*.
"""

import sys

import atheris

with atheris.instrument_imports():
    from symdepth import Network, NetworkError, ParseError
    from symdepth.parsing import parse_number, parse_polynomial


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    choice = provider.ConsumeIntInRange(0, 2)
    text = provider.ConsumeUnicodeNoSurrogates(2000)
    try:
        if choice == 0:
            parse_polynomial(text)
        elif choice == 1:
            parse_number(text)
        else:
            Network.from_json(text)
    except (ParseError, NetworkError):
        pass


if __name__ == "__main__":
    if not any(arg.startswith("-timeout") for arg in sys.argv):
        sys.argv.append("-timeout=5")
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
