#!/usr/bin/env python3
"""Independent numpy reference for t2v's diffusion maths (dev.t2v.core.diffusion).

Writes diffusion_golden.json next to this file. Everything is float64. The formulas follow the papers and the
semantics of Hugging Face diffusers' DDPMScheduler, DDIMScheduler and DPMSolverMultistepScheduler (see README.md
here); this script is deliberately written from those formulas, not from the Java code.

Run:  python3 make_golden.py            (numpy only; deterministic: the seed is fixed)
"""
import json
import math
import os

import numpy as np

RNG = np.random.default_rng(20240521)
SHAPE = [2, 3, 4]           # a tiny "latent" batch: B=2
N_TRAIN = 1000


# ----------------------------------------------------------------------------------------------- configs
def config(**over):
    """A diffusers-style scheduler_config.json dict (snake_case); unspecified keys as SD 1.x."""
    cfg = {
        "num_train_timesteps": N_TRAIN,
        "beta_start": 0.00085,
        "beta_end": 0.012,
        "beta_schedule": "scaled_linear",
        "prediction_type": "epsilon",
        "timestep_spacing": "leading",
        "steps_offset": 1,
        "rescale_betas_zero_snr": False,
        "clip_sample": False,
        "clip_sample_range": 1.0,
        "set_alpha_to_one": False,
    }
    cfg.update(over)
    return cfg


# ----------------------------------------------------------------------------------------------- betas
def betas_of(cfg):
    n, b0, b1 = cfg["num_train_timesteps"], cfg["beta_start"], cfg["beta_end"]
    kind = cfg["beta_schedule"]
    if kind == "linear":
        betas = np.linspace(b0, b1, n, dtype=np.float64)
    elif kind == "scaled_linear":
        # Latent-diffusion schedule: linear in sqrt(beta).
        betas = np.linspace(b0 ** 0.5, b1 ** 0.5, n, dtype=np.float64) ** 2
    elif kind == "squaredcos_cap_v2":
        # Nichol & Dhariwal 2021 (improved DDPM), eq. 17, betas clipped at 0.999.
        def abar(x):
            return math.cos((x + 0.008) / 1.008 * math.pi / 2) ** 2
        betas = np.array([min(1.0 - abar((i + 1) / n) / abar(i / n), 0.999) for i in range(n)], dtype=np.float64)
    else:
        raise ValueError(kind)
    if cfg["rescale_betas_zero_snr"]:
        betas = zero_terminal_snr(betas)
    return betas


def zero_terminal_snr(betas):
    """Lin et al. 2023, 'Common Diffusion Noise Schedules and Sample Steps are Flawed', Algorithm 1."""
    sqrt_abar = np.sqrt(np.cumprod(1.0 - betas))
    first, last = sqrt_abar[0], sqrt_abar[-1]
    sqrt_abar = (sqrt_abar - last) * (first / (first - last))
    abar = sqrt_abar ** 2
    alphas = np.concatenate([abar[:1], abar[1:] / abar[:-1]])
    return 1.0 - alphas


def alphas_cumprod(cfg):
    return np.cumprod(1.0 - betas_of(cfg))


# ----------------------------------------------------------------------------------------------- timesteps
def ddim_timesteps(cfg, n):
    """DDPM/DDIM set_timesteps (spacings of Lin et al. 2023, Table 2)."""
    N = cfg["num_train_timesteps"]
    sp = cfg["timestep_spacing"]
    if sp == "linspace":
        ts = np.linspace(0, N - 1, n).round()[::-1].astype(np.int64)
    elif sp == "leading":
        ts = (np.arange(0, n) * (N // n)).round()[::-1].astype(np.int64) + cfg["steps_offset"]
    elif sp == "trailing":
        ts = np.round(np.arange(N, 0, -N / n)).astype(np.int64) - 1
        ts = ts[:n]   # np.arange can overshoot by one element (e.g. n=61) ending in -1: not a timestep
    else:
        raise ValueError(sp)
    return ts


def dpm_timesteps(cfg, n):
    """DPMSolverMultistep set_timesteps: n+1 grid points, the last (t=0 end) dropped; lambda_min_clipped=-inf."""
    N = cfg["num_train_timesteps"]
    sp = cfg["timestep_spacing"]
    if sp == "linspace":
        ts = np.linspace(0, N - 1, n + 1).round()[::-1][:-1].astype(np.int64)
    elif sp == "leading":
        ratio = N // (n + 1)
        ts = (np.arange(0, n + 1) * ratio).round()[::-1][:-1].astype(np.int64) + cfg["steps_offset"]
    elif sp == "trailing":
        ts = np.arange(N, 0, -N / n).round().astype(np.int64) - 1
        ts = ts[:n]
    else:
        raise ValueError(sp)
    return ts


# ----------------------------------------------------------------------------------------------- forward process
def bcast(v, like):
    return np.asarray(v, dtype=np.float64).reshape([-1] + [1] * (like.ndim - 1))


def add_noise(ac, x0, noise, t):
    a = ac[np.asarray(t)]
    return bcast(np.sqrt(a), x0) * x0 + bcast(np.sqrt(1.0 - a), x0) * noise


def velocity(ac, x0, noise, t):
    """v = alpha_t * eps - sigma_t * x0 (Salimans & Ho 2022, progressive distillation, eq. in sec. 4)."""
    a = ac[np.asarray(t)]
    return bcast(np.sqrt(a), x0) * noise - bcast(np.sqrt(1.0 - a), x0) * x0


def guidance(cond, uncond, scale, rescale):
    """Classifier-free guidance; rescale as Lin et al. 2023 sec. 3.4 (torch.std: unbiased, ddof=1)."""
    cfg = uncond + scale * (cond - uncond)
    if rescale > 0:
        axes = tuple(range(1, cond.ndim))
        std_c = cond.std(axis=axes, ddof=1, keepdims=True)
        std_g = cfg.std(axis=axes, ddof=1, keepdims=True)
        cfg = rescale * (cfg * (std_c / std_g)) + (1.0 - rescale) * cfg
    return cfg


def min_snr_weight(ac, t, gamma, ptype):
    """Hang et al. 2023, 'Efficient Diffusion Training via Min-SNR Weighting Strategy'."""
    a = ac[np.asarray(t)]
    snr = a / (1.0 - a)
    clipped = np.minimum(snr, gamma)
    if ptype == "epsilon":
        return clipped / snr
    if ptype == "v_prediction":
        return clipped / (snr + 1.0)
    return clipped


# ----------------------------------------------------------------------------------------------- dummy model
def model(x, t):
    """Deterministic stand-in for a denoiser: smooth, non-linear, depends on t."""
    return 0.9 * np.sin(x) + 0.1 * math.cos(t / 100.0)


def to_x0_eps(ptype, out, x, a):
    sa, sb = math.sqrt(a), math.sqrt(1.0 - a)
    if ptype == "epsilon":
        return (x - sb * out) / sa, out
    if ptype == "sample":
        return out, (x - sa * out) / sb
    if ptype == "v_prediction":
        return sa * x - sb * out, sa * out + sb * x
    raise ValueError(ptype)


class Noises:
    """The fixed noise sequence both sides use: draw k returns NOISE[k]."""
    def __init__(self, seq):
        self.seq, self.k = seq, 0

    def next(self):
        z = self.seq[self.k]
        self.k += 1
        return z


# ----------------------------------------------------------------------------------------------- samplers
def ddpm_loop(cfg, ts, x, noises):
    """Ho et al. 2020 ancestral sampling on a sub-sequence, posterior q(x_prev | x_t, x0) (eqs. 6-7),
    'fixed_small' variance, x0 clipped when clip_sample."""
    ac = alphas_cumprod(cfg)
    ptype = cfg["prediction_type"]
    trajectory, x0 = [], None
    for i, t in enumerate(ts):
        prev = ts[i + 1] if i + 1 < len(ts) else -1
        a_t = ac[t]
        a_p = ac[prev] if prev >= 0 else 1.0
        beta_t = 1.0 - a_t / a_p
        x0, _ = to_x0_eps(ptype, model(x, t), x, a_t)
        if cfg["clip_sample"]:
            x0 = np.clip(x0, -cfg["clip_sample_range"], cfg["clip_sample_range"])
        mean = (math.sqrt(a_p) * beta_t / (1.0 - a_t)) * x0 + (math.sqrt(1.0 - beta_t) * (1.0 - a_p) / (1.0 - a_t)) * x
        if t > 0:
            var = max((1.0 - a_p) / (1.0 - a_t) * beta_t, 1e-20)
            mean = mean + math.sqrt(var) * noises.next()
        x = mean
        trajectory.append(x)
    return trajectory, x0


def ddim_loop(cfg, ts, x, n, eta, noises):
    """Song et al. 2021 eq. 12 with sigma_t = eta * sqrt((1-a_prev)/(1-a_t) * (1-a_t/a_prev)) (eq. 16).
    Previous timestep = t - N // n, as diffusers; below 0 the 'final' alpha: 1 if set_alpha_to_one else abar_0."""
    ac = alphas_cumprod(cfg)
    ptype = cfg["prediction_type"]
    final = 1.0 if cfg["set_alpha_to_one"] else ac[0]
    jump = cfg["num_train_timesteps"] // n
    trajectory, x0 = [], None
    for t in ts:
        prev = t - jump
        a_t = ac[t]
        a_p = ac[prev] if prev >= 0 else final
        x0, eps = to_x0_eps(ptype, model(x, t), x, a_t)
        if cfg["clip_sample"]:
            x0 = np.clip(x0, -cfg["clip_sample_range"], cfg["clip_sample_range"])
        sigma = eta * math.sqrt((1.0 - a_p) / (1.0 - a_t) * (1.0 - a_t / a_p))
        x = math.sqrt(a_p) * x0 + math.sqrt(1.0 - a_p - sigma ** 2) * eps
        if eta > 0:
            x = x + sigma * noises.next()
        trajectory.append(x)
    return trajectory, x0


def dpmpp_loop(cfg, ts, x):
    """DPM-Solver++(2M), Lu et al. 2022 ('DPM-Solver++', Algorithm 2) in the half-log-SNR lambda = log(alpha/sigma),
    data prediction; midpoint form D = x0_i + (x0_i - x0_{i-1}) / (2 r); first step and last step first order
    (lower_order_final; the last step lands on sigma = 0, i.e. returns x0). With zero-terminal-SNR betas the
    terminal abar is set to 2**-24 as diffusers does, so that sigma stays finite."""
    ac = alphas_cumprod(cfg).copy()
    if cfg["rescale_betas_zero_snr"]:
        ac[-1] = 2.0 ** -24
    ptype = cfg["prediction_type"]
    # variance-preserving alpha/sigma on the grid; after the last timestep alpha=1, sigma=0
    alpha = [math.sqrt(ac[t]) for t in ts] + [1.0]
    sigma = [math.sqrt(1.0 - ac[t]) for t in ts] + [0.0]
    with np.errstate(divide="ignore"):
        lam = [math.log(a) - (math.log(s) if s > 0 else -math.inf) for a, s in zip(alpha, sigma)]
    trajectory, prev_x0, x0 = [], None, None
    for i, t in enumerate(ts):
        out = model(x, t)
        if ptype == "epsilon":
            x0 = (x - sigma[i] * out) / alpha[i]
        elif ptype == "sample":
            x0 = out
        else:
            x0 = alpha[i] * x - sigma[i] * out
        h = lam[i + 1] - lam[i]
        phi = math.expm1(-h) if math.isfinite(h) else -1.0     # e^{-h} - 1
        first_order = i == 0 or i == len(ts) - 1
        if first_order:
            d = x0
        else:
            r = (lam[i] - lam[i - 1]) / h
            d = x0 + (x0 - prev_x0) / (2.0 * r)
        x = (sigma[i + 1] / sigma[i]) * x - alpha[i + 1] * phi * d
        prev_x0 = x0
        trajectory.append(x)
    return trajectory, x0


def strength_timesteps(ts, n, strength):
    """diffusers img2img get_timesteps (scheduler order 1)."""
    init = min(int(n * strength), n)
    start = max(n - init, 0)
    return ts[start:]


# ----------------------------------------------------------------------------------------------- main
def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def main():
    out = {"shape": SHAPE}

    # alphas_cumprod for every schedule, with and without the zero-SNR rescale
    t_probe = [0, 1, 2, 10, 100, 333, 500, 750, 998, 999]
    out["alphas_cumprod"] = []
    for kind, b0, b1 in [("linear", 1e-4, 0.02), ("scaled_linear", 0.00085, 0.012), ("squaredcos_cap_v2", 1e-4, 0.02)]:
        for rescale in (False, True):
            cfg = config(beta_schedule=kind, beta_start=b0, beta_end=b1, rescale_betas_zero_snr=rescale,
                         prediction_type="v_prediction" if rescale else "epsilon")
            ac = alphas_cumprod(cfg)
            out["alphas_cumprod"].append({"config": cfg, "t": t_probe, "values": flat(ac[t_probe])})

    # timestep tables
    out["timesteps"] = []
    for sp, offset in [("leading", 1), ("leading", 0), ("trailing", 0), ("linspace", 0)]:
        for n in [1, 3, 7, 10, 25, 50, 61, 103, 250]:
            cfg = config(timestep_spacing=sp, steps_offset=offset)
            out["timesteps"].append({"rule": "ddim", "config": cfg, "n": n, "timesteps": ddim_timesteps(cfg, n).tolist()})
            out["timesteps"].append({"rule": "dpmpp", "config": cfg, "n": n, "timesteps": dpm_timesteps(cfg, n).tolist()})

    # forward process
    x0 = RNG.standard_normal([3, 2, 2, 2])
    eps = RNG.standard_normal([3, 2, 2, 2])
    out["forward"] = []
    for cfg, t in [(config(), [0, 500, 999]),
                   (config(beta_schedule="linear", beta_start=1e-4, beta_end=0.02, rescale_betas_zero_snr=True,
                           prediction_type="v_prediction"), [999, 1, 640])]:
        ac = alphas_cumprod(cfg)
        out["forward"].append({"config": cfg, "t": t, "shape": list(x0.shape), "x0": flat(x0), "noise": flat(eps),
                               "noisy": flat(add_noise(ac, x0, eps, t)), "velocity": flat(velocity(ac, x0, eps, t))})

    # guidance
    cond = RNG.standard_normal([2, 3, 4]) * 1.3 + 0.2
    uncond = RNG.standard_normal([2, 3, 4])
    out["guidance"] = []
    for scale, rescale in [(7.5, 0.0), (7.5, 0.7), (4.0, 1.0), (1.0, 0.5)]:
        out["guidance"].append({"scale": scale, "rescale": rescale, "shape": [2, 3, 4], "cond": flat(cond),
                                "uncond": flat(uncond), "result": flat(guidance(cond, uncond, scale, rescale))})

    # min-SNR-gamma weights
    out["min_snr"] = []
    t_w = [0, 10, 100, 250, 500, 750, 999]
    for cfg in [config(), config(beta_schedule="squaredcos_cap_v2")]:
        ac = alphas_cumprod(cfg)
        for ptype in ["epsilon", "v_prediction", "sample"]:
            for gamma in [5.0, 1.0]:
                out["min_snr"].append({"config": cfg, "prediction_type": ptype, "gamma": gamma, "t": t_w,
                                       "weights": flat(min_snr_weight(ac, t_w, gamma, ptype))})

    # 10-step loops on the dummy model
    noise_seq = [RNG.standard_normal(SHAPE) for _ in range(16)]
    out["noise_sequence"] = [flat(z) for z in noise_seq]
    x_init = RNG.standard_normal(SHAPE)
    x_clean = RNG.standard_normal(SHAPE) * 0.5     # the 'video' an SDEdit run starts from
    out["x_init"] = flat(x_init)
    out["x_clean"] = flat(x_clean)

    zero_snr = dict(beta_schedule="linear", beta_start=1e-4, beta_end=0.02, rescale_betas_zero_snr=True,
                    prediction_type="v_prediction", timestep_spacing="trailing", steps_offset=0)
    cosine = dict(beta_schedule="squaredcos_cap_v2", prediction_type="sample", timestep_spacing="linspace",
                  steps_offset=0)
    runs = [
        ("ddpm", 0.0, config(), 10, None),
        ("ddpm", 0.0, config(**zero_snr), 10, None),
        ("ddpm", 0.0, config(**cosine, clip_sample=True, clip_sample_range=1.0), 10, None),
        ("ddpm", 0.0, config(prediction_type="v_prediction", timestep_spacing="trailing", steps_offset=0), 10, 0.6),
        ("ddim", 0.0, config(), 10, None),
        ("ddim", 0.0, config(timestep_spacing="trailing", steps_offset=0), 7, None),
        ("ddim", 0.0, config(**zero_snr, set_alpha_to_one=True), 10, None),
        ("ddim", 0.5, config(**cosine, clip_sample=True, clip_sample_range=0.8), 10, None),
        ("ddim", 1.0, config(prediction_type="v_prediction"), 10, None),
        ("ddim", 0.0, config(), 10, 0.35),
        ("dpmpp", 0.0, config(), 10, None),
        ("dpmpp", 0.0, config(**zero_snr), 10, None),
        ("dpmpp", 0.0, config(**cosine), 10, None),
        ("dpmpp", 0.0, config(prediction_type="v_prediction", timestep_spacing="linspace", steps_offset=0), 25, None),
        ("dpmpp", 0.0, config(timestep_spacing="trailing", steps_offset=0), 10, 0.6),
    ]
    out["loops"] = []
    for sampler, eta, cfg, n, strength in runs:
        ts = (dpm_timesteps if sampler == "dpmpp" else ddim_timesteps)(cfg, n)
        noises = Noises(noise_seq)
        if strength is not None:
            ts = strength_timesteps(ts, n, strength)
            # SDEdit start: the clean sample noised to the first remaining timestep with the first noise draw
            x = add_noise(alphas_cumprod(cfg), x_clean, noises.next(), [ts[0]] * SHAPE[0])
        else:
            x = x_init
        if sampler == "ddpm":
            traj, x0 = ddpm_loop(cfg, ts, x, noises)
        elif sampler == "ddim":
            traj, x0 = ddim_loop(cfg, ts, x, n, eta, noises)
        else:
            traj, x0 = dpmpp_loop(cfg, ts, x)
        out["loops"].append({"sampler": sampler, "eta": eta, "config": cfg, "n": n, "strength": strength,
                             "timesteps": [int(t) for t in ts], "noise_draws": noises.k,
                             "trajectory": [flat(s) for s in traj], "final_pred_original": flat(x0)})

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "diffusion_golden.json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    os.replace(path + ".tmp", path)
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
