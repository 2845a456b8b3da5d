"""The checker's two outcomes besides "verified": a certificate that is wrong, and input it
cannot read."""


class Rejected(Exception):
    """The certificate is readable but does not prove its verdict: the message says which
    step failed (exit code 1)."""


class Unreadable(Exception):
    """Not a certificate this checker reads: malformed JSON, an unknown version or kind, a
    number beyond the size budgets, a construct it does not support (exit code 2)."""
