"""Make a LaTeX table for a paper: neurons for x1...xn with k hidden layers (Thm 5.1).

Run: python examples/table_for_a_paper.py [out.tex]
"""

import sys

from symdepth import tables

text = tables.product_table([4, 8, 16, 32, 64], [1, 2, 3])
if len(sys.argv) > 1:
    with open(sys.argv[1], "w") as handle:
        handle.write(text)
print(text)
