"""Unit 7 right answers: the updates rearranged, Adam in the paper's efficient form, schedules."""
import math

import numpy as np

from . import Alternative


# 7.1 sgd_update ---------------------------------------------------------------------------------

def _sgd_subtract(w, dw, learning_rate):
    return np.subtract(w, learning_rate * dw)


def _sgd_on_a_copy(w, dw, learning_rate):
    new_w = w.copy()
    new_w -= learning_rate * dw
    return new_w


def _sgd_negative_step(w, dw, learning_rate):
    step = -learning_rate * dw
    return w + step


# 7.2 momentum_update ----------------------------------------------------------------------------

def _momentum_step_first(w, dw, velocity, learning_rate, momentum):
    step = -learning_rate * dw + momentum * velocity
    return w + step, step


def _momentum_on_copies(w, dw, velocity, learning_rate, momentum):
    new_velocity = velocity * momentum
    new_velocity -= learning_rate * dw
    new_w = w.copy()
    new_w += new_velocity
    return new_w, new_velocity


def _momentum_np_functions(w, dw, velocity, learning_rate, momentum):
    new_velocity = np.subtract(np.multiply(momentum, velocity), np.multiply(learning_rate, dw))
    return np.add(w, new_velocity), new_velocity


# 7.3 nesterov_update ----------------------------------------------------------------------------

def _nesterov_sgd_step_then_look_ahead(w, dw, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity - learning_rate * dw
    return w - learning_rate * dw + momentum * new_velocity, new_velocity


def _nesterov_expanded(w, dw, velocity, learning_rate, momentum):
    # w + μ(μv − ηg) − ηg = w + μ²v − (1 + μ)ηg
    new_velocity = momentum * velocity - learning_rate * dw
    return w + momentum ** 2 * velocity - (1.0 + momentum) * learning_rate * dw, new_velocity


def _nesterov_look_ahead_on_copies(w, dw, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity
    new_velocity -= learning_rate * dw
    new_w = w + new_velocity * momentum
    new_w -= learning_rate * dw
    return new_w, new_velocity


# 7.4 adam_update --------------------------------------------------------------------------------

def _adam_efficient_form(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999,
                         eps=1e-8):
    """Kingma & Ba's 'more efficient' order: α_t = α·√(1 − β2^t)/(1 − β1^t), and ε scaled to
    match (ε̂ = ε·√(1 − β2^t)), so the step is the same as with m̂ and v̂."""
    new_m = beta1 * m + (1 - beta1) * dw
    new_v = beta2 * v + (1 - beta2) * dw * dw
    root = math.sqrt(1.0 - beta2 ** t)
    step_size = learning_rate * root / (1.0 - beta1 ** t)
    return w - step_size * new_m / (np.sqrt(new_v) + eps * root), new_m, new_v


def _adam_in_place_on_copies(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999,
                             eps=1e-8):
    new_m, new_v, new_w = m.copy(), v.copy(), w.copy()
    new_m *= beta1
    new_m += (1.0 - beta1) * dw
    new_v *= beta2
    new_v += (1.0 - beta2) * np.square(dw)
    m_hat = new_m / (1.0 - np.power(beta1, t))
    v_hat = new_v / (1.0 - np.power(beta2, t))
    new_w -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    return new_w, new_m, new_v


def _adam_interpolation(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    new_m = m + (1.0 - beta1) * (dw - m)           # β1·m + (1 − β1)·dw
    new_v = v + (1.0 - beta2) * (dw ** 2 - v)
    m_hat = new_m / (1.0 - beta1 ** t)
    v_hat = new_v / (1.0 - beta2 ** t)
    return w - learning_rate * m_hat / (v_hat ** 0.5 + eps), new_m, new_v


# 7.5 schedules ----------------------------------------------------------------------------------

def _step_decay_floor(initial_rate, k, drop=0.5, every=10):
    return float(initial_rate * math.pow(drop, math.floor(k / every)))


def _step_decay_loop(initial_rate, k, drop=0.5, every=10):
    rate = float(initial_rate)
    for _ in range(k // every):
        rate *= drop
    return rate


def _exponential_decay_exp_log(initial_rate, k, decay_rate, decay_steps):
    return float(initial_rate * math.exp(k / decay_steps * math.log(decay_rate)))


def _exponential_decay_np_power(initial_rate, k, decay_rate, decay_steps):
    return float(initial_rate * np.power(decay_rate, k / decay_steps))


def _inverse_time_decay_fraction(initial_rate, k, decay_rate, decay_steps):
    return float(initial_rate / (1.0 + decay_rate * (k / decay_steps)))


def _inverse_time_decay_over_steps(initial_rate, k, decay_rate, decay_steps):
    return initial_rate * decay_steps / (decay_steps + decay_rate * k)


ALTERNATIVES = [
    Alternative("7.1", "sgd_update", "np.subtract", _sgd_subtract),
    Alternative("7.1", "sgd_update", "-= on a copy", _sgd_on_a_copy),
    Alternative("7.1", "sgd_update", "w + (−η·dw)", _sgd_negative_step),
    Alternative("7.2", "momentum_update", "the step first", _momentum_step_first),
    Alternative("7.2", "momentum_update", "in place on copies", _momentum_on_copies),
    Alternative("7.2", "momentum_update", "np.add and np.multiply", _momentum_np_functions),
    Alternative("7.3", "nesterov_update", "SGD step, then look ahead",
                _nesterov_sgd_step_then_look_ahead),
    Alternative("7.3", "nesterov_update", "expanded: μ²v − (1 + μ)ηg", _nesterov_expanded),
    Alternative("7.3", "nesterov_update", "in place on copies", _nesterov_look_ahead_on_copies),
    Alternative("7.4", "adam_update", "the paper's efficient form", _adam_efficient_form),
    Alternative("7.4", "adam_update", "in place on copies", _adam_in_place_on_copies),
    Alternative("7.4", "adam_update", "moving averages as interpolation", _adam_interpolation),
    Alternative("7.5", "step_decay", "math.pow and floor", _step_decay_floor),
    Alternative("7.5", "step_decay", "a loop of drops", _step_decay_loop),
    Alternative("7.5", "exponential_decay", "exp of a log", _exponential_decay_exp_log),
    Alternative("7.5", "exponential_decay", "np.power", _exponential_decay_np_power),
    Alternative("7.5", "inverse_time_decay", "k / decay_steps first",
                _inverse_time_decay_fraction),
    Alternative("7.5", "inverse_time_decay", "multiplied through by decay_steps",
                _inverse_time_decay_over_steps),
]
