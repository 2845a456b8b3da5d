"""Count the linear regions and crossings of a ReLU network exactly.

Run: python examples/relu_regions.py
"""

from fractions import Fraction

from symdepth import Network, piecewise

net = Network(1, "relu")
a = net.add_neuron({"x1": 3}, bias=-1)
b = net.add_neuron({"x1": -2}, bias=1)
c = net.add_neuron({a: 1, b: 1}, bias=-1)
net.set_output({c: 2, a: -1})
f = piecewise.from_network(net)
print("function:", f)
print("linear regions:", piecewise.linear_regions(net))
print("Cr at 1/2:", piecewise.crossings(f))
saw = piecewise.from_network(piecewise.sawtooth(8), domain=(0, 1))
print("sawtooth(8): 16 ReLUs,", saw.num_pieces, "pieces, Cr =", piecewise.crossings(saw))

# Two inputs: the exact partition of [-1, 1]^2 into linear regions of a random ReLU net.
layers = Network.from_layers(
    [[[1, -1], [Fraction(1, 2), 1], [-1, Fraction(1, 3)]], [[1, 1, -1], [-1, 2, 1]], [[1, -1]]],
    [[0, Fraction(-1, 4), Fraction(1, 5)], [Fraction(1, 7), 0], [0]], "relu")
regions = piecewise.regions_2d(layers, box=((-1, 1), (-1, 1)))
print(regions)
for region in regions.regions[:3]:
    print(" ", region, "output", region.gradient, region.constant)
