"""Unit 7 mistakes: optimizer updates and learning-rate schedules as students get them wrong.

Only real mistakes are listed. Forms that move the weights along the same trajectory are not
mistakes of the method (for example keeping the velocity with the opposite sign,
v ← μv + ηg and w ← w − v), although the kit's convention fixes which velocity is returned.
"""
import numpy as np

from . import Mistake


# 7.1 SGD ----------------------------------------------------------------------------------------

def _sgd_climbs(w, dw, learning_rate):
    return w + learning_rate * dw


def _sgd_in_place(w, dw, learning_rate):
    w -= learning_rate * dw
    return w


def _sgd_without_learning_rate(w, dw, learning_rate):
    return w - dw


# 7.2 momentum -----------------------------------------------------------------------------------

def _momentum_forgets_old_velocity(w, dw, velocity, learning_rate, momentum):
    new_velocity = -learning_rate * dw
    return w + new_velocity, new_velocity


def _momentum_moves_by_old_velocity(w, dw, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity - learning_rate * dw
    return w + velocity, new_velocity


def _momentum_climbs(w, dw, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity + learning_rate * dw
    return w + new_velocity, new_velocity


def _momentum_velocity_in_place(w, dw, velocity, learning_rate, momentum):
    velocity *= momentum
    velocity -= learning_rate * dw
    return w + velocity, velocity


# 7.3 Nesterov -----------------------------------------------------------------------------------

def _nesterov_as_plain_momentum(w, dw, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity - learning_rate * dw
    return w + new_velocity, new_velocity


def _nesterov_look_ahead_without_gradient_step(w, dw, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity - learning_rate * dw
    return w + momentum * new_velocity, new_velocity


def _nesterov_returns_the_step_as_velocity(w, dw, velocity, learning_rate, momentum):
    step = momentum * (momentum * velocity - learning_rate * dw) - learning_rate * dw
    return w + step, step


# 7.4 Adam ---------------------------------------------------------------------------------------

def _adam_without_bias_correction(w, dw, m, v, t, learning_rate=0.001, beta1=0.9,
                                  beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    return w - learning_rate * m / (np.sqrt(v) + eps), m, v


def _adam_eps_inside_sqrt(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999,
                          eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - learning_rate * m_hat / np.sqrt(v_hat + eps), m, v


def _adam_betas_swapped(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999,
                        eps=1e-8):
    m = (1 - beta1) * m + beta1 * dw
    v = (1 - beta2) * v + beta2 * dw ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v


def _adam_counts_from_zero(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999,
                           eps=1e-8):
    m = beta1 * m + (1 - beta1) * dw
    v = beta2 * v + (1 - beta2) * dw ** 2
    m_hat, v_hat = m / (1 - beta1 ** (t - 1)), v / (1 - beta2 ** (t - 1))
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v


def _adam_returns_corrected_means(w, dw, m, v, t, learning_rate=0.001, beta1=0.9,
                                  beta2=0.999, eps=1e-8):
    m = (beta1 * m + (1 - beta1) * dw) / (1 - beta1 ** t)
    v = (beta2 * v + (1 - beta2) * dw ** 2) / (1 - beta2 ** t)
    return w - learning_rate * m / (np.sqrt(v) + eps), m, v


def _adam_means_in_place(w, dw, m, v, t, learning_rate=0.001, beta1=0.9, beta2=0.999,
                         eps=1e-8):
    m *= beta1
    m += (1 - beta1) * dw
    v *= beta2
    v += (1 - beta2) * dw ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + eps), m, v


# 7.5 schedules ----------------------------------------------------------------------------------

def _step_decay_without_floor(initial_rate, k, drop=0.5, every=10):
    return float(initial_rate * drop ** (k / every))


def _step_decay_drops_at_zero(initial_rate, k, drop=0.5, every=10):
    return float(initial_rate * drop ** (k // every + 1))


def _step_decay_with_ceil(initial_rate, k, drop=0.5, every=10):
    return float(initial_rate * drop ** np.ceil(k / every))


def _exponential_decay_per_step(initial_rate, k, decay_rate, decay_steps):
    return float(initial_rate * decay_rate ** k)


def _exponential_decay_as_exp(initial_rate, k, decay_rate, decay_steps):
    return float(initial_rate * np.exp(-decay_rate * k / decay_steps))


def _inverse_time_without_decay_steps(initial_rate, k, decay_rate, decay_steps):
    return float(initial_rate / (1 + decay_rate * k))


def _inverse_time_without_one(initial_rate, k, decay_rate, decay_steps):
    return float(initial_rate / (decay_rate * k / decay_steps))


MISTAKES = (
    Mistake("7.1", "sgd_update", "w + η·dw climbs the loss",
            "The gradient points uphill; gradient descent subtracts it: w − η·dw.", 1,
            _sgd_climbs),
    Mistake("7.1", "sgd_update", "w -= η·dw overwrites the caller's w",
            "An in-place operator changes the array you were given; `w - learning_rate * dw` "
            "builds a new one.", 2, _sgd_in_place,
            says='sgd_update changed the array passed as w'),
    Mistake("7.1", "sgd_update", "the learning rate is missing",
            "The step is the gradient times the learning rate.", 2,
            _sgd_without_learning_rate),
    Mistake("7.2", "momentum_update", "v = −η·dw: the momentum term is missing",
            "The new velocity keeps the fraction μ of the old one: μ·velocity − η·dw. "
            "Without it the update is plain SGD.", 2, _momentum_forgets_old_velocity),
    Mistake("7.2", "momentum_update", "w moves by the old velocity",
            "Compute the new velocity first, then w + new_velocity.", 2,
            _momentum_moves_by_old_velocity),
    Mistake("7.2", "momentum_update", "v = μ·v + η·dw with w + v climbs the loss",
            "The velocity is the step w takes, so the gradient enters with a minus sign: "
            "μ·velocity − η·dw.", 2, _momentum_climbs),
    Mistake("7.2", "momentum_update", "velocity updated in place",
            "`velocity *= momentum` changes the array you were given; build new_velocity "
            "as a new array.", 2, _momentum_velocity_in_place,
            says='momentum_update changed the array passed as velocity'),
    Mistake("7.3", "nesterov_update", "plain momentum: w + v, no look-ahead",
            "Nesterov (Keras) moves w by μ·new_velocity − η·dw, not by new_velocity.", 2,
            _nesterov_as_plain_momentum),
    Mistake("7.3", "nesterov_update", "w + μ·v without the gradient step",
            "The look-ahead move is μ·new_velocity plus the plain gradient step −η·dw.", 2,
            _nesterov_look_ahead_without_gradient_step),
    Mistake("7.3", "nesterov_update", "the step of w returned as the new velocity",
            "The velocity is updated as in momentum: μ·velocity − η·dw. Only w gets the "
            "look-ahead; return the velocity without it.", 2,
            _nesterov_returns_the_step_as_velocity),
    Mistake("7.4", "adam_update", "no bias correction",
            "m and v start at zero, so divide them by (1 − β1^t) and (1 − β2^t) before the "
            "step; without it the first steps are far too large.", 2,
            _adam_without_bias_correction),
    Mistake("7.4", "adam_update", "eps inside the square root",
            "Adam divides by √v̂ + eps, with eps added after the square root.", 2,
            _adam_eps_inside_sqrt),
    Mistake("7.4", "adam_update", "β and (1 − β) swapped in the running means",
            "The old mean keeps the weight β (close to 1); the new gradient gets 1 − β.", 2,
            _adam_betas_swapped),
    Mistake("7.4", "adam_update", "bias correction with t − 1 (steps counted from 0)",
            "t is already the step number counted from 1: use 1 − β^t. With t − 1 the first "
            "step divides by 1 − β^0 = 0.", 1, _adam_counts_from_zero),
    Mistake("7.4", "adam_update", "the corrected means m̂, v̂ returned as the new state",
            "Return the running means new_m and new_v; the correction is applied afresh at "
            "every step.", 2, _adam_returns_corrected_means),
    Mistake("7.4", "adam_update", "m and v updated in place",
            "`m *= beta1` changes the array you were given; build new_m and new_v as new "
            "arrays.", 2, _adam_means_in_place,
            says='adam_update changed the array passed as m'),
    Mistake("7.5", "step_decay", "k / every without the floor",
            "Step decay falls in stairs: the exponent is the whole number of completed stairs, "
            "k // every.", 2, _step_decay_without_floor),
    Mistake("7.5", "step_decay", "already dropped at k = 0",
            "The first stair, k = 0 .. every − 1, keeps the initial rate: drop^(k // every).", 2,
            _step_decay_drops_at_zero),
    Mistake("7.5", "step_decay", "ceil(k / every) instead of floor",
            "The rate drops when a stair is complete, at k = every, 2·every, ...: the exponent "
            "rounds down, k // every; rounding up drops it one step after k = 0.", 2,
            _step_decay_with_ceil),
    Mistake("7.5", "exponential_decay", "decay_rate^k instead of decay_rate^(k / decay_steps)",
            "decay_rate is the factor over decay_steps steps, not over one step.", 2,
            _exponential_decay_per_step),
    Mistake("7.5", "exponential_decay", "e^(−decay_rate·k / decay_steps)",
            "decay_rate is the base of the power, not a rate in an exponential: "
            "η0·decay_rate^(k / decay_steps).", 2, _exponential_decay_as_exp),
    Mistake("7.5", "inverse_time_decay", "decay_steps ignored",
            "The denominator is 1 + decay_rate·k / decay_steps.", 2,
            _inverse_time_without_decay_steps),
    Mistake("7.5", "inverse_time_decay", "the 1 + in the denominator is missing",
            "At k = 0 the rate must be the initial rate, so the denominator is "
            "1 + decay_rate·k / decay_steps.", 2, _inverse_time_without_one),
)
