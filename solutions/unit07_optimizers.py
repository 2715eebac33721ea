"""Unit 7 — Optimizers: how a gradient becomes a step.

Backpropagation (unit 5) gives, for every parameter array w, the gradient dw = ∂L/∂w: the
direction in which the loss grows fastest. An optimizer turns that gradient into a step. The
simplest one walks straight downhill; the others remember something about earlier steps:

* **SGD** steps against the gradient, scaled by the learning rate η.
* **Momentum** keeps a velocity, a running sum of past steps that decays by the factor μ each
  step. Along a direction where the gradient keeps its sign, steps add up and speed grows; along
  one where it flips back and forth (the walls of a narrow valley), they cancel.
* **Nesterov momentum** moves as if it had already taken the next momentum step (a look-ahead):
  it corrects course a step earlier. The source article trains with Keras'
  ``SGD(lr=0.01, momentum=0.9, nesterov=True)``; this unit writes that exact update.
* **Adam** keeps running means of the gradient and of its square and divides one by the square
  root of the other, so every coordinate takes a step of about η whatever the gradient's scale.

A learning-rate **schedule** makes η shrink as training goes on: big steps to travel, small ones
to settle.

Each update function works on ONE parameter array and is pure: it returns new arrays and never
modifies the arrays it is given (``w -= ...`` would overwrite the caller's weights behind their
back). The optimizer classes at the end of the file are provided: they keep the per-array state
(velocities, running means, the step count) for a whole network and call your update functions
to move every weight array of it, in place. Unit 8's training loop uses them.

The first lines of each function (before the part you write) check the arguments and turn the
arrays into float64 NumPy arrays and the hyperparameters into Python numbers (the checks are
in `exercises/checks.py`).
"""
import numbers

import numpy as np

from nnlings.exercises.checks import (
    as_array,
    as_number,
    decay_factor,
    positive,
    shaped_like,
    whole_number,
)


# 7.1–7.4 One step of an optimizer on one parameter array ---------------------------------------

def sgd_update(w, dw, learning_rate):
    """One step of (stochastic) gradient descent: move w by the learning rate η against dw.

    w: the parameter array, any shape; dw: the gradient ∂L/∂w, same shape; learning_rate: η > 0.
    Returns new_w, a new float64 array of w's shape. Do not modify w: return a new array.
    """
    w = as_array("sgd_update", "w", w)
    dw = shaped_like("sgd_update", w, "dw", dw)
    learning_rate = positive("sgd_update", "learning_rate", learning_rate)
    ### BEGIN SOLUTION
    return w - learning_rate * dw
    ### END SOLUTION


def momentum_update(w, dw, velocity, learning_rate, momentum):
    """One step of SGD with momentum (the heavy ball). Returns (new_w, new_velocity).

    The velocity is the step itself: it starts at zero, and each step keeps the fraction μ
    (``momentum``, in [0, 1)) of the previous step and adds the plain SGD step of 7.1; then w
    moves by the new velocity. With μ = 0 this is SGD. Check yourself: under a constant
    gradient the steps grow towards ten times the SGD step for μ = 0.9.

    velocity has w's shape. Do not modify w, dw or velocity: return new arrays.
    """
    w = as_array("momentum_update", "w", w)
    dw = shaped_like("momentum_update", w, "dw", dw)
    velocity = shaped_like("momentum_update", w, "velocity", velocity)
    learning_rate = positive("momentum_update", "learning_rate", learning_rate)
    momentum = decay_factor("momentum_update", "momentum", momentum)
    ### BEGIN SOLUTION
    new_velocity = momentum * velocity - learning_rate * dw
    return w + new_velocity, new_velocity
    ### END SOLUTION


def nesterov_update(w, dw, velocity, learning_rate, momentum):
    """One step of Nesterov momentum, as Keras computes it. Returns (new_w, new_velocity).

        new_velocity = μ·velocity − η·dw                 (the same velocity as momentum_update)
        new_w        = w + μ·new_velocity − η·dw          (not w + new_velocity)

    Nesterov's idea is to take the gradient at the point the momentum is about to carry w to.
    Keras rewrites that so the gradient at the current w can be used: the weights move by the
    next step's momentum part, μ·new_velocity, plus the plain gradient step −η·dw. This is the
    update of ``SGD(lr=0.01, momentum=0.9, nesterov=True)`` in the source article.

    velocity has w's shape and starts at zero. Do not modify w, dw or velocity.
    """
    w = as_array("nesterov_update", "w", w)
    dw = shaped_like("nesterov_update", w, "dw", dw)
    velocity = shaped_like("nesterov_update", w, "velocity", velocity)
    learning_rate = positive("nesterov_update", "learning_rate", learning_rate)
    momentum = decay_factor("nesterov_update", "momentum", momentum)
    ### BEGIN SOLUTION
    new_velocity = momentum * velocity - learning_rate * dw
    return w + momentum * new_velocity - learning_rate * dw, new_velocity
    ### END SOLUTION


def adam_update(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One step of Adam (Kingma & Ba, 2015, Algorithm 1). Returns (new_w, new_m, new_v).

    m and v are running means of the gradient and of its elementwise square, both starting at
    zero; t is the number of this step, counted from 1 (1 for the first call, 2 for the next...):

        new_m = β1·m + (1 − β1)·dw
        new_v = β2·v + (1 − β2)·dw²
        m̂ = new_m / (1 − β1^t)              (bias correction: m and v start at 0, so early
        v̂ = new_v / (1 − β2^t)               means are too small; this undoes it)
        new_w = w − η·m̂ / (√v̂ + eps)

    Return the running means new_m and new_v, not the corrected m̂ and v̂: the next step
    continues from them. eps only guards against dividing by zero; it goes outside the square
    root. On the first step m̂ = dw and v̂ = dw², so every weight moves by about η·sign(dw).

    m and v have w's shape. Do not modify w, dw, m or v.
    """
    w = as_array("adam_update", "w", w)
    dw = shaped_like("adam_update", w, "dw", dw)
    m = shaped_like("adam_update", w, "m", m)
    v = shaped_like("adam_update", w, "v", v)
    t = whole_number("adam_update", "t (the step number, counted from 1)", t, 1)
    learning_rate = positive("adam_update", "learning_rate", learning_rate)
    beta1 = decay_factor("adam_update", "beta1", beta1)
    beta2 = decay_factor("adam_update", "beta2", beta2)
    eps = positive("adam_update", "eps", eps)
    ### BEGIN SOLUTION
    new_m = beta1 * m + (1.0 - beta1) * dw
    new_v = beta2 * v + (1.0 - beta2) * dw ** 2
    m_hat = new_m / (1.0 - beta1 ** t)
    v_hat = new_v / (1.0 - beta2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v
    ### END SOLUTION


# 7.5 Learning-rate schedules -------------------------------------------------------------------

def step_decay(initial_rate, k, drop=0.5, every=10):
    """η_k = η0·drop^⌊k / every⌋: the rate stays flat, then falls by the factor `drop` every
    `every` steps (or epochs). With the defaults: η0 for k = 0..9, η0/2 for k = 10..19, η0/4...

    k = 0, 1, 2, ... is the step number; k = 0 gives η0 = initial_rate. Return a Python float.
    """
    initial_rate = positive("step_decay", "initial_rate", initial_rate)
    k = whole_number("step_decay", "k", k, 0)
    drop = positive("step_decay", "drop", drop)
    if drop > 1:
        raise ValueError(f"step_decay: drop must be in (0, 1], got {drop}")
    every = whole_number("step_decay", "every", every, 1)
    ### BEGIN SOLUTION
    return float(initial_rate * drop ** (k // every))
    ### END SOLUTION


def exponential_decay(initial_rate, k, decay_rate, decay_steps):
    """η_k = η0·decay_rate^(k / decay_steps): the rate shrinks by the factor `decay_rate` over
    every `decay_steps` steps, smoothly (Keras' ExponentialDecay). With decay_rate = 0.5 and
    decay_steps = 100 the rate halves every 100 steps, and has shrunk by √0.5 after 50.

    k = 0, 1, 2, ...; k = 0 gives η0. Return a Python float.
    """
    initial_rate = positive("exponential_decay", "initial_rate", initial_rate)
    k = whole_number("exponential_decay", "k", k, 0)
    decay_rate = positive("exponential_decay", "decay_rate", decay_rate)
    decay_steps = positive("exponential_decay", "decay_steps", decay_steps)
    ### BEGIN SOLUTION
    return float(initial_rate * decay_rate ** (k / decay_steps))
    ### END SOLUTION


def inverse_time_decay(initial_rate, k, decay_rate, decay_steps):
    """η_k = η0 / (1 + decay_rate·k / decay_steps) (Keras' InverseTimeDecay): the rate falls
    like 1/k, more slowly than any exponential. After k = decay_steps/decay_rate steps it is η0/2.

    k = 0, 1, 2, ...; k = 0 gives η0. decay_rate >= 0. Return a Python float.
    """
    initial_rate = positive("inverse_time_decay", "initial_rate", initial_rate)
    k = whole_number("inverse_time_decay", "k", k, 0)
    decay_rate = as_number("inverse_time_decay", "decay_rate", decay_rate, finite=True)
    if decay_rate < 0:
        raise ValueError(f"inverse_time_decay: decay_rate must be 0 or more, got {decay_rate}")
    decay_steps = positive("inverse_time_decay", "decay_steps", decay_steps)
    ### BEGIN SOLUTION
    return float(initial_rate / (1.0 + decay_rate * k / decay_steps))
    ### END SOLUTION


# Provided: optimizers for a whole network ------------------------------------------------------

def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} {value.dtype}"
    return type(value).__name__


class Optimizer:
    """What the optimizers below share: a learning rate, an optional schedule, a step counter.

    ``step(params, grads)`` moves every array of the list ``params`` (a network's weights and
    biases) by the update of its gradient ``grads[i]``, writing the new values into the arrays
    themselves, so a network holding these arrays sees its new weights. Each array keeps its own
    state (a velocity, running means), created as zeros on the first step.

    ``schedule``, if given, is a function k ↦ learning rate, e.g.
    ``lambda k: step_decay(0.1, k, every=100)``: step number k = 0, 1, 2, ... (counted in calls
    to ``step``) uses ``schedule(k)`` instead of ``learning_rate``. ``iterations`` is the number
    of steps taken so far.

    A subclass names the state arrays each parameter keeps (``state_names``) and says how one
    array moves: ``_update(w, dw, state, rate)`` returns (new_w, {state name: new array}).
    """

    state_names = ()

    def __init__(self, learning_rate, schedule=None):
        name = type(self).__name__
        self.learning_rate = positive(name, "learning_rate", learning_rate)
        if schedule is not None and not callable(schedule):
            raise TypeError(f"{name}: schedule must be a function of the step number k, "
                            f"got {type(schedule).__name__}")
        self.schedule = schedule
        self.iterations = 0
        self.state = None   # one dict {state name: array} per parameter array, from step 1 on
        self.shapes = None  # the shapes of the parameter arrays of the first step

    def current_rate(self):
        """The learning rate of the next step: schedule(iterations), or learning_rate."""
        if self.schedule is None:
            return self.learning_rate
        rate = self.schedule(self.iterations)
        if (np.ndim(rate) != 0 or not isinstance(rate, numbers.Real)
                or not np.isfinite(rate) or rate <= 0):
            raise ValueError(f"{type(self).__name__}: schedule({self.iterations}) returned "
                             f"{rate!r}; a learning rate must be a positive number")
        return float(rate)

    def step(self, params, grads):
        """Update every array of ``params`` in place by one step; return None."""
        self._check(params, grads)
        rate = self.current_rate()
        if self.state is None:
            self.state = [{key: np.zeros_like(p) for key in self.state_names} for p in params]
            self.shapes = [p.shape for p in params]
        for i, (p, g, state) in enumerate(zip(params, grads, self.state)):
            new_p, new_state = self._update(p, g, state, rate)
            if not isinstance(new_p, np.ndarray) or new_p.shape != p.shape:
                raise ValueError(f"{type(self).__name__}.step: the update of params[{i}] "
                                 f"(shape {p.shape}) returned {_describe(new_p)}; expected a "
                                 "new array of the same shape")
            p[...] = new_p
            state.update(new_state)
        self.iterations += 1

    def _check(self, params, grads):
        name = f"{type(self).__name__}.step"
        for label, arrays in (("params", params), ("grads", grads)):
            if not isinstance(arrays, (list, tuple)):
                raise TypeError(f"{name}: {label} must be a list of arrays, "
                                f"got {type(arrays).__name__}")
        if len(params) != len(grads):
            raise ValueError(f"{name}: params holds {len(params)} arrays but grads holds "
                             f"{len(grads)}; expected one gradient per parameter array")
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype != np.float64 or not p.flags.writeable:
                raise TypeError(f"{name}: params[{i}] must be a writeable float64 array (it is "
                                f"updated in place), got {_describe(p)}")
            if np.shape(g) != p.shape:
                raise ValueError(f"{name}: grads[{i}] has shape {np.shape(g)} but params[{i}] "
                                 f"has shape {p.shape}")
        shapes = [p.shape for p in params]
        if self.shapes is not None and shapes != self.shapes:
            raise ValueError(f"{name}: params have shapes {shapes} but those of the first step "
                             f"had {self.shapes}; an optimizer keeps state for one network, so "
                             "make a new one for another")


class SGD(Optimizer):
    """Plain gradient descent: each array moves by sgd_update (exercise 7.1)."""

    def _update(self, w, dw, state, rate):
        return sgd_update(w, dw, rate), {}


class Momentum(Optimizer):
    """SGD with momentum: each array keeps a velocity, moved by momentum_update (exercise 7.2)."""

    state_names = ("velocity",)

    def __init__(self, learning_rate, momentum=0.9, schedule=None):
        super().__init__(learning_rate, schedule)
        self.momentum = decay_factor(type(self).__name__, "momentum", momentum)

    def _update(self, w, dw, state, rate):
        new_w, velocity = momentum_update(w, dw, state["velocity"], rate, self.momentum)
        return new_w, {"velocity": velocity}


class Nesterov(Momentum):
    """Nesterov momentum, Keras' SGD(momentum=μ, nesterov=True): nesterov_update (exercise 7.3)."""

    def _update(self, w, dw, state, rate):
        new_w, velocity = nesterov_update(w, dw, state["velocity"], rate, self.momentum)
        return new_w, {"velocity": velocity}


class Adam(Optimizer):
    """Adam: each array keeps running means m and v, moved by adam_update (exercise 7.4).

    The step number passed to adam_update is t = iterations + 1 (Adam counts from 1).
    """

    state_names = ("m", "v")

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8, schedule=None):
        super().__init__(learning_rate, schedule)
        name = type(self).__name__
        self.beta1 = decay_factor(name, "beta1", beta1)
        self.beta2 = decay_factor(name, "beta2", beta2)
        self.eps = positive(name, "eps", eps)

    def _update(self, w, dw, state, rate):
        new_w, m, v = adam_update(w, dw, state["m"], state["v"], self.iterations + 1, rate,
                                  self.beta1, self.beta2, self.eps)
        return new_w, {"m": m, "v": v}
