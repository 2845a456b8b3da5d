"""Verify your own construction: does this 3-neuron tanh network Taylor-approximate x^2 - x?

Run: python examples/verify_your_construction.py
"""

from fractions import Fraction

import sympy

from symdepth import Network, check_taylor

b = sympy.atanh(sympy.Rational(1, 2))  # tanh''(b) = -3/4 ≠ 0, and every coefficient at b is rational
net = Network(1, "tanh")
plus = net.add_neuron({"x1": 1}, bias=b)
minus = net.add_neuron({"x1": -1}, bias=b)
line = net.add_neuron({"x1": 1})
# (tanh(b+x) + tanh(b-x) - 2 tanh(b)) / tanh''(b) = x^2 + O(x^4);  tanh(x) = x + O(x^3)
net.set_output({plus: Fraction(-4, 3), minus: Fraction(-4, 3), line: -1}, bias=Fraction(4, 3))

result = check_taylor(net, "x1^2 - x1")
print(result)
wrong = check_taylor(net, "x1^2 - x1", degree=3)
print(wrong)
print("third-order term of the network:", wrong.residual)
assert result.ok and not wrong.ok
