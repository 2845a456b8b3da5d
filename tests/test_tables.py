"""Tables: strict structure always; a real pdflatex run when a TeX installation is present."""

import csv
import shutil
import subprocess

import pytest

from symdepth import tables


def _all_tables():
    return [tables.monomial_table([(1, 1), (2, 3), (3, 3, 1)]), tables.product_table([4, 16, 64], [1, 2, 3]),
            tables.power_table(range(1, 17)),
            tables.minimal_table(["x1*x2", "x1^2 + x2^2"], ["exp", "tanh"], ["rt", "output-bias+skip", "biases"])]


def test_latex_structure():
    for text in _all_tables():
        lines = text.strip().splitlines()
        assert lines[0] == r"\begin{table}[ht]" and lines[-1] == r"\end{table}"
        begin = next(line for line in lines if line.startswith(r"\begin{tabular}"))
        columns = begin[len(r"\begin{tabular}{"):-1]
        assert set(columns) == {"r"}
        body = lines[lines.index(r"\midrule") + 1: lines.index(r"\bottomrule")]
        header = lines[lines.index(r"\toprule") + 1]
        for row in [header, *body]:
            assert row.endswith(r"\\") and row.count("&") == len(columns) - 1
            assert row.count("$") % 2 == 0
        assert r"\caption{" in text and r"\label{tab:" in text
        assert text.count("{") == text.count("}")


def test_csv_and_markdown_have_the_same_rows():
    csv_text = tables.power_table([1, 2, 3], fmt="csv").strip().splitlines()
    md = tables.power_table([1, 2, 3], fmt="markdown").splitlines()
    assert len(csv_text) == 4 and len(md) == 5
    for c, m in zip(csv_text[1:], md[2:]):
        assert c.split(",") == [cell.strip() for cell in m.strip("|").split("|")]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no TeX installation (the structural test still runs)")
def test_tables_compile_with_pdflatex(tmp_path):
    document = "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n" + "\n".join(
        _all_tables()) + "\\end{document}\n"
    (tmp_path / "t.tex").write_text(document)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "t.pdf").stat().st_size > 1000


def test_minimal_table_in_parallel_is_the_serial_table_and_saves_its_witnesses(tmp_path):
    from symdepth import Network, check_taylor

    polynomials, activations, models = ["x1*x2", "x1^2", "x1^2 + x2^2"], ["exp", "generic"], ["rt", "biases+skip"]
    seen = []
    serial = tables.minimal_table(polynomials, activations, models, fmt="csv", witnesses=tmp_path,
                                  progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 6) for i in range(1, 7)]
    assert tables.minimal_table(polynomials, activations, models, fmt="csv", workers=2) == serial
    saved = sorted(p.name for p in tmp_path.glob("*.json"))
    assert "x1x2__exp__rt.json" in saved and len(saved) == 12  # every cell of these rows has a witness
    for path in tmp_path.glob("*.json"):
        poly = {"x1x2": "x1*x2", "x1p2": "x1^2", "x1p2_x2p2": "x1^2 + x2^2"}[path.name.split("__")[0]]
        net = Network.from_json(path.read_text())
        assert check_taylor(net, poly).ok
        row = list(csv.reader(serial.splitlines()))[1 + polynomials.index(poly) * 2 + ("generic" in path.name)]
        shown = row[2 + models.index(path.stem.split("__")[2])]
        assert str(net.num_neurons) in shown.strip("[]").split(", ")  # the upper end of the cell is the witness
