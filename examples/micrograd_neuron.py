from micrograd.engine import Value
# inputs x1,x2
x1 = Value(2.0, label='x1')
x2 = Value(0.0, label='x2')
# weights w1,w2
w1 = Value(-3.0, label='w1')
w2 = Value(1.0, label='w2')
# bias of the neuron
b = Value(6.8813735870195432, label='b')
# x1*w1 + x2*w2 + b
x1w1 = x1*w1; x1w1.label = 'x1*w1'
x2w2 = x2*w2; x2w2.label = 'x2*w2'
x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
n = x1w1x2w2 + b; n.label = 'n'
o = n.tanh(); o.label = 'o'  # @grad
o.backward()

# The same neuron with tanh written out through exp, as later in the lecture: same gradients.
# @grad
o2 = ((2*n).exp() - 1) / ((2*n).exp() + 1)

# And the lecture's PyTorch check: the same neuron with torch tensors, the same gradients.
import torch
tx1 = torch.Tensor([2.0]).double()                ; tx1.requires_grad = True
tx2 = torch.Tensor([0.0]).double()                ; tx2.requires_grad = True
tw1 = torch.Tensor([-3.0]).double()               ; tw1.requires_grad = True
tw2 = torch.Tensor([1.0]).double()                ; tw2.requires_grad = True
tb = torch.Tensor([6.8813735870195432]).double()  ; tb.requires_grad = True
tn = tx1*tw1 + tx2*tw2 + tb
to = torch.tanh(tn)  # @grad
to.backward()
