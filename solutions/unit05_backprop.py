"""Unit 5 — Backpropagation: the chain rule, applied one layer at a time from the output back.

A network is a chain of simple blocks: dense layers Z = X @ W + b and elementwise activations
A = f(Z). Backpropagation gives every block one job. It receives the gradient of the loss with
respect to its output (the *upstream* gradient) and returns the gradients with respect to its
inputs and parameters, using only what it saw on the forward pass. Chaining the blocks in
reverse order yields every gradient of the network in one sweep, reusing each upstream gradient
instead of recomputing it.

Naming: for any array T, ``dT`` means ∂L/∂T, the gradient of the scalar loss L with respect to
T. It always has the shape of T itself.

Gradients are easy to get subtly wrong, so the unit ends with the tool that catches such bugs:
a numerical gradient by central differences and the relative error that compares it with the
analytic one (a *gradient check*). The last exercise puts everything together in the XOR
network of "Like Lego: the math of neural networks from scratch", derived by hand.

The first lines of each function (before the part you write) check the arguments and turn the
arrays into float64 (the checks are in `exercises/checks.py`), so inside your part the
shapes are known to fit together.
"""
import numpy as np

from nnlings.exercises.checks import (
    activation_backward_arguments,
    dense_backward_arguments,
    mlp_backward_arguments,
    numerical_gradient_arguments,
    relative_error_arguments,
    xor_arguments,
)


# 5.1 ------------------------------------------------------------------------------------------

def dense_backward(dZ, X, W):
    """Backward pass of a dense layer Z = X @ W + b.

    Given the upstream gradient dZ = ∂L/∂Z of shape (n, n_out), the layer's input X (n, n_in)
    and its weights W (n_in, n_out), return (dX, dW, db):

        dX = ∂L/∂X            shape (n, n_in)      — passed on to the layer below
        dW = ∂L/∂W            shape (n_in, n_out)
        db = ∂L/∂b            shape (n_out,)

    Derive each one from Z[s, j] = Σ_i X[s, i]·W[i, j] + b[j]: ask which entries of Z one
    weight W[i, j] (one input X[s, i], one bias b[j]) moves, and add up what each of those
    moves does to L. Then write the sums without loops. Shapes are a check, not a proof: each
    gradient has the shape of the thing it is the gradient of. The bias itself is not an
    argument: Z depends on it with slope 1.
    """
    dZ, X, W = dense_backward_arguments(dZ, X, W)
    ### BEGIN SOLUTION
    dX = dZ @ W.T
    dW = X.T @ dZ
    db = dZ.sum(axis=0)
    return dX, dW, db
    ### END SOLUTION


# 5.2 ------------------------------------------------------------------------------------------

def activation_backward(dA, Z, activation_grad):
    """Backward pass of an elementwise activation A = f(Z): return dZ = ∂L/∂Z.

    Given dA = ∂L/∂A and the pre-activation Z (both of one shape), and ``activation_grad``, the
    derivative f' as a function of the pre-activation (for example ``relu_grad`` from unit 2).
    f acts on each entry alone: A[i, j] depends on Z[i, j] and on nothing else. dZ has the
    shape of Z. Do not modify dA: the caller may still need it.
    """
    dA, Z = activation_backward_arguments(dA, Z, activation_grad)
    ### BEGIN SOLUTION
    return dA * activation_grad(Z)
    ### END SOLUTION


# 5.3 ------------------------------------------------------------------------------------------

def mlp_backward(d_output, cache, params, activation_grads):
    """Backward pass of a multi-layer perceptron: the gradients of every layer's W and b.

    The forward pass of unit 3 (``mlp_forward``) computes, layer by layer,

        Z = A_prev @ W + b,    A = f(Z),

    starting from A_prev = X, and records ``cache[layer] = (A_prev, Z)``: what that layer
    received and its pre-activation. Given

        d_output          ∂L/∂A of the last layer's activation output, shape (n, n_out),
        cache             the forward pass's list of (A_prev, Z), first layer first,
        params            the list of (W, b), first layer first,
        activation_grads  the derivative f' of each layer's activation, first layer first,

    return the list of (dW, db), first layer first. Walk the layers from last to first: turn
    the upstream gradient dA into dZ with your activation_backward (5.2), then dZ into dW, db
    and dA_prev, the gradient for the layer below, with your dense_backward (5.1). The dA_prev
    of one layer is the dA of the layer before it.
    """
    d_output, cache, params = mlp_backward_arguments(d_output, cache, params, activation_grads)
    ### BEGIN SOLUTION
    grads = [None] * len(params)
    dA = d_output
    for layer in reversed(range(len(params))):
        A_prev, Z = cache[layer]
        W, _ = params[layer]
        dZ = activation_backward(dA, Z, activation_grads[layer])
        dA, dW, db = dense_backward(dZ, A_prev, W)
        grads[layer] = (dW, db)
    return grads
    ### END SOLUTION


# 5.4 ------------------------------------------------------------------------------------------

def numerical_gradient(f, x, h=1e-5):
    """The gradient of a scalar function f at the array x, by central differences.

    For each entry x_i in turn, nudge it both ways and measure how much f moves:

        ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h,

    where e_i is 1 at entry i and 0 elsewhere. The error of this central difference shrinks like
    h², far faster than the one-sided (f(x + h·e_i) − f(x)) / h, whose error shrinks like h.
    Returns a float64 array of x's shape.

    f reads x itself, so nudge the entry in place, call f, and afterwards put back the value you
    saved: when the function returns, x must hold exactly the numbers it held before (undoing
    the nudge by arithmetic, x_i + h − 2h + h, need not give x_i back in floating point).
    x may have any shape; ``np.ndindex(x.shape)`` visits every index.
    """
    numerical_gradient_arguments(f, x, h)
    ### BEGIN SOLUTION
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        f_plus = f(x)
        x[index] = saved - h
        f_minus = f(x)
        x[index] = saved
        grad[index] = (f_plus - f_minus) / (2.0 * h)
    return grad
    ### END SOLUTION


# 5.5 ------------------------------------------------------------------------------------------

def relative_error(a, b):
    """How far apart two gradients are, relative to their size: a float.

        max over entries i of  |a_i − b_i| / max(|a_i| + |b_i|, 1e-12)

    An absolute difference means nothing on its own: 1e-6 is a large error for a gradient of
    size 1e-8 and a tiny one for a gradient of size 1e3. Dividing by |a_i| + |b_i| makes the
    measure scale-free; the floor 1e-12 keeps 0/0 away where both entries are zero. In a
    gradient check in float64, below about 1e-7 the analytic gradient is right; around 1e-2 or
    more something is wrong (with kinks such as ReLU's nearby, judge more leniently).
    """
    a, b = relative_error_arguments(a, b)
    ### BEGIN SOLUTION
    scale = np.maximum(np.abs(a) + np.abs(b), 1e-12)
    return float(np.max(np.abs(a - b) / scale))
    ### END SOLUTION


# 5.6 ------------------------------------------------------------------------------------------

def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), written as (1 + tanh(z/2)) / 2 so that it never overflows.

    Given (it is unit 2's activation; the identity tanh(x) = 2σ(2x) − 1 rearranges to this).
    """
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def xor_loss_and_grads(params, X, Y, lam):
    """Loss and gradients of the two-layer sigmoid network of the XOR article, derived by hand.

    params = (W1, b1, W2, b2); for XOR, W1 is (2, 3), b1 (3,), W2 (3, 2) and b2 (2,), but any
    sizes that fit together must work (unit 9 uses 50 hidden neurons). The forward pass is

        h1 = σ(X @ W1 + b1),        h2 = σ(h1 @ W2 + b2),

    and the loss, for n samples with one-hot targets Y (n, 2), is the article's squared error
    with a ridge (L2) penalty on the weights (not on the biases):

        loss = (1/n) Σ_samples ½‖h2 − y‖²  +  (λ/2)(‖W1‖² + ‖W2‖²)

    with ‖W‖² the sum of squared entries. Note the ½ and the sum over the two outputs: this is
    the tutorial's form, not the kit's MSE (the mean over all entries, unit 4).

    Return (loss, (dW1, db1, dW2, db2)), the loss as a Python float and each gradient
    (dW1 = ∂loss/∂W1, and so on) with the shape of its parameter. Derive them on paper with the
    chain rule, from the output back, reusing each upstream gradient as 5.1–5.3 do, and do not
    forget the penalty's share. Every value the derivatives need was computed by the forward
    pass. Your numerical_gradient (5.4) and relative_error (5.5) tell you whether the
    derivation is right.
    """
    params, X, Y = xor_arguments(params, X, Y)
    ### BEGIN SOLUTION
    W1, b1, W2, b2 = params
    n = X.shape[0]
    h1 = sigmoid(X @ W1 + b1)
    h2 = sigmoid(h1 @ W2 + b2)
    penalty = 0.5 * lam * (np.sum(W1 ** 2) + np.sum(W2 ** 2))
    loss = 0.5 * np.sum((h2 - Y) ** 2) / n + penalty

    d_h2 = (h2 - Y) / n               # ∂loss/∂h2
    d_z2 = d_h2 * h2 * (1.0 - h2)     # through the output sigmoid
    dW2 = h1.T @ d_z2 + lam * W2
    db2 = d_z2.sum(axis=0)
    d_h1 = d_z2 @ W2.T                # reuse d_z2: the gradient flowing into the hidden layer
    d_z1 = d_h1 * h1 * (1.0 - h1)     # through the hidden sigmoid
    dW1 = X.T @ d_z1 + lam * W1
    db1 = d_z1.sum(axis=0)
    return float(loss), (dW1, db1, dW2, db2)
    ### END SOLUTION


# Given: training the XOR network with your gradients. ----------------------------------------

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_LABELS = np.array([0, 1, 1, 0])
# The article's one-hot code: output 0 is [0, 1] and output 1 is [1, 0].
XOR_Y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])


def xor_predict(params, X):
    """The class (0 or 1) the network predicts for each row of X.

    In the article's code [1, 0] means 1 and [0, 1] means 0, so the prediction is 1 where the
    first output is larger than the second.
    """
    W1, b1, W2, b2 = params
    h2 = sigmoid(sigmoid(np.asarray(X, dtype=np.float64) @ W1 + b1) @ W2 + b2)
    return (h2[:, 0] > h2[:, 1]).astype(np.int64)


def train_xor(loss_and_grads, hidden=3, learning_rate=10.0, epochs=2000, lam=1e-4, seed=0):
    """Train the 2-hidden-2 sigmoid network on the four XOR points by full-batch gradient descent.

    ``loss_and_grads`` is a function with the contract of ``xor_loss_and_grads`` (pass yours).
    Weights and biases start as standard normal draws from ``np.random.default_rng(seed)``
    (``seed`` may also be a numpy.random.Generator). Every epoch takes one step
    p ← p − learning_rate · ∂loss/∂p for every parameter.

    With the defaults the 2-3-2 network classifies all four points correctly from seed 0 and
    from 99 of the seeds 0–99 (seed 47 gets stuck with one output near ½: a small network can
    land in a poor local minimum, as the article observes). Returns (params, losses): the final
    (W1, b1, W2, b2) and the loss before each step, an array of length ``epochs``.
    """
    rng = np.random.default_rng(seed)
    params = (rng.standard_normal((2, hidden)), rng.standard_normal(hidden),
              rng.standard_normal((hidden, 2)), rng.standard_normal(2))
    losses = np.empty(epochs)
    for epoch in range(epochs):
        losses[epoch], grads = loss_and_grads(params, XOR_X, XOR_Y, lam)
        params = tuple(p - learning_rate * g for p, g in zip(params, grads))
    return params, losses
