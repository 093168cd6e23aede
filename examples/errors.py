# Each kind of error the @grad analysis reports, one per lens. `gradlens examples/errors.py`
# prints every one of them and exits with status 1.
from micrograd.engine import Value

x = Value(2.0, label='x')

# parse: `^` is XOR in Python, not a power.
y1 = x^2  # @grad

# parse: a function outside the language.
y2 = x.sigmoid()  # @grad

# unbound: `z` has no value above this line and no binding.
y3 = x * z  # @grad

# non-constant-exponent: the exponent depends on a variable.
k = 3.0
y4 = x ** k  # @grad

# domain: log of a non-positive number, at the log(...) sub-expression.
y5 = (x - 2).log()  # @grad

# domain: division by zero, through an assignment the lens expands.
d = x - 2.0
y6 = x / d  # @grad

# gradcheck (a warning, not an error): relu has a kink at 0, where the two one-sided
# differences disagree; the analytic gradient follows PyTorch's convention relu'(0) = 0.
y7 = (x - 2).relu()  # @grad

# An annotation with no statement below it.
# @grad

y8 = x * 3
