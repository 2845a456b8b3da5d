"""Drawing plumbing shared by the figures (matplotlib, optional extra ``plot``, Agg backend):
the import with its install hint, the output format check, saving.  Knows nothing of
symdepth's objects, so any module with a picture can draw without importing the others."""

from __future__ import annotations

from typing import Any

from .errors import SymdepthError

__all__ = ["pyplot", "check_path", "save"]


def pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SymdepthError("plots need matplotlib: pip install 'symdepth[plot]'") from None
    return plt


def check_path(path: str) -> None:
    """Refuse, before any work, a file name whose extension matplotlib cannot write.

    Examples
    --------
    >>> check_path("out.xyz")
    Traceback (most recent call last):
    ...
    symdepth.errors.SymdepthError: cannot write a figure to 'out.xyz': unknown format '.xyz'; use one of .eps, .jpeg, .jpg, .pdf, .png, .ps, .svg, .svgz, .tif, .tiff, .webp
    """
    plt = pyplot()
    formats = plt.gcf().canvas.get_supported_filetypes()
    plt.close("all")
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if suffix not in formats:
        usable = sorted(f for f in formats if f in _COMMON_FORMATS)
        what = f"unknown format '.{suffix}'" if suffix else "no extension"
        raise SymdepthError(f"cannot write a figure to {path!r}: {what}; use one of " + ", ".join("." + f for f in usable))


_COMMON_FORMATS = {"png", "pdf", "svg", "svgz", "eps", "ps", "jpg", "jpeg", "tif", "tiff", "webp"}


def save(fig: Any, path: str) -> None:
    check_path(path)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    pyplot().close(fig)
