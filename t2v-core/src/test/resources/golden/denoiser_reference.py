#!/usr/bin/env python3
"""Reference forward pass of t2v's two denoisers (LATTE and SEED) in plain numpy, float64.

Written from DiT's models.py and Latte's description, independently of the Java graph, to produce the golden numbers
for DenoiserGoldenTest. It reads <arch>-input.safetensors (weights, inputs and the config JSON in the metadata, as
GoldenInputs writes them) and writes <arch>.safetensors with the same tensors plus "expected.out", using its own
safetensors reader and writer (laid out as Python's safetensors package lays files out).

    python3 denoiser_reference.py INPUT_DIR OUTPUT_DIR
"""
import json
import os
import struct
import sys

import numpy as np

DTYPES = {"F64": np.float64, "F32": np.float32, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
        tensors[name] = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=dtype).reshape(info["shape"])
    return tensors, meta


def write_safetensors(path, tensors, meta):
    # As the safetensors package: metadata first, tensors by decreasing dtype size then name, space padding to 8.
    names = sorted(tensors, key=lambda k: (-tensors[k].dtype.itemsize, k))
    header = {"__metadata__": meta}
    offset = 0
    for name in names:
        t = tensors[name]
        code = {np.dtype(np.float64): "F64", np.dtype(np.float32): "F32"}[t.dtype]
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + t.nbytes]}
        offset += t.nbytes
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for name in names:
            f.write(np.ascontiguousarray(tensors[name]).astype(tensors[name].dtype.newbyteorder("<")).tobytes())


# ------------------------------------------------------------------ layers

def linear(x, w, prefix):
    return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]


def layer_norm(x, eps, weight=None, bias=None):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    return y if weight is None else y * weight + bias


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def silu(x):
    return x / (1.0 + np.exp(-x))


def softmax(s):
    s = s - s.max(-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(-1, keepdims=True)


def self_attention(x, w, prefix, heads):
    """x [M, L, D]: attention within each of the M groups."""
    m, l, d = x.shape
    hd = d // heads
    qkv = linear(x, w, prefix + ".qkv").reshape(m, l, 3, heads, hd).transpose(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    o = softmax(q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd)) @ v
    return linear(o.transpose(0, 2, 1, 3).reshape(m, l, d), w, prefix + ".proj")


def cross_attention(x, text, mask, w, prefix, heads):
    """x [B, L, D] queries; text [B, T, D]; only tokens with mask 1 are attended to (none: zero before proj)."""
    b, l, d = x.shape
    t = text.shape[1]
    hd = d // heads
    q = linear(x, w, prefix + ".q").reshape(b, l, heads, hd).transpose(0, 2, 1, 3)
    kv = linear(text, w, prefix + ".kv").reshape(b, t, 2, heads, hd).transpose(2, 0, 3, 1, 4)
    out = np.zeros((b, heads, l, hd))
    for i in range(b):
        real = mask[i] > 0
        if real.any():
            k, v = kv[0, i][:, real], kv[1, i][:, real]
            out[i] = softmax(q[i] @ k.transpose(0, 2, 1) / np.sqrt(hd)) @ v
    return linear(out.transpose(0, 2, 1, 3).reshape(b, l, d), w, prefix + ".proj")


def mlp(x, w, prefix):
    return linear(gelu_tanh(linear(x, w, prefix + ".fc1")), w, prefix + ".fc2")


def timestep_embedding(t, dim, max_period=10000.0):
    half = dim // 2
    freqs = np.exp(-np.log(max_period) * np.arange(half) / half)
    args = t[:, None] * freqs[None]
    return np.concatenate([np.cos(args), np.sin(args)], axis=-1)


def sincos_1d(dim, pos):
    omega = 1.0 / 10000 ** (np.arange(dim // 2) / (dim / 2.0))
    out = np.einsum("m,d->md", pos.reshape(-1).astype(np.float64), omega)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_2d(dim, grid_size):
    grid_h = np.arange(grid_size, dtype=np.float64)
    grid_w = np.arange(grid_size, dtype=np.float64)
    grid = np.meshgrid(grid_w, grid_h)  # as DiT: w goes first
    grid = np.stack(grid, axis=0).reshape(2, 1, grid_size, grid_size)
    return np.concatenate([sincos_1d(dim // 2, grid[0]), sincos_1d(dim // 2, grid[1])], axis=1)


def patch_embed(x, w, p):
    """Conv2d with kernel = stride = p on every frame: x [B,F,C,H,W] -> [B,F,N,D]."""
    b, f, c, hh, ww = x.shape
    patches = x.reshape(b, f, c, hh // p, p, ww // p, p)
    tokens = np.einsum("bfcipjq,dcpq->bfijd", patches, w["x_embedder.proj.weight"]) + w["x_embedder.proj.bias"]
    return tokens.reshape(b, f, (hh // p) * (ww // p), -1)


def unpatchify(y, c, p, grid):
    """DiT's unpatchify per frame: [B,F,N,p*p*C] -> [B,F,C,H,W]."""
    b, f = y.shape[:2]
    y = y.reshape(b, f, grid, grid, p, p, c)
    y = np.einsum("bfhwpqc->bfchpwq", y)
    return y.reshape(b, f, c, grid * p, grid * p)


def pooled_text(text, mask):
    return (text * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)


# ------------------------------------------------------------------ models

def latte(cfg, w, x, t, text, mask):
    b, f = x.shape[:2]
    d, heads, eps = cfg["hidden_size"], cfg["num_heads"], cfg["layer_norm_eps"]
    grid = cfg["latent_size"] // cfg["patch_size"]
    n = grid * grid
    h = patch_embed(x, w, cfg["patch_size"])
    h = h + sincos_2d(d, grid)[None, None] + sincos_1d(d, np.arange(f))[None, :, None]
    c = linear(silu(linear(timestep_embedding(t, cfg["frequency_embedding_size"]), w, "t_embedder.mlp.0")), w,
               "t_embedder.mlp.2")
    tokens = linear(text, w, "text_proj")
    if cfg["pooled_text"]:
        c = c + pooled_text(tokens, mask)

    def modulate(v, shift, scale):
        return v * (1 + scale[:, None, None, :]) + shift[:, None, None, :]

    for i in range(cfg["depth"]):
        p = "blocks.%d." % i
        mod = np.split(linear(silu(c), w, p + "adaLN_modulation.1"), 9 if cfg["temporal_attention"] else 6, axis=1)
        a = modulate(layer_norm(h, eps), mod[0], mod[1]).reshape(b * f, n, d)
        h = h + mod[2][:, None, None, :] * self_attention(a, w, p + "attn_spatial", heads).reshape(b, f, n, d)
        if cfg["temporal_attention"]:
            a = modulate(layer_norm(h, eps), mod[3], mod[4]).transpose(0, 2, 1, 3).reshape(b * n, f, d)
            a = self_attention(a, w, p + "attn_temporal", heads).reshape(b, n, f, d).transpose(0, 2, 1, 3)
            h = h + mod[5][:, None, None, :] * a
        a = layer_norm(h, eps, w[p + "norm_cross.weight"], w[p + "norm_cross.bias"]).reshape(b, f * n, d)
        h = h + cross_attention(a, tokens, mask, w, p + "cross_attn", heads).reshape(b, f, n, d)
        a = modulate(layer_norm(h, eps), mod[-3], mod[-2])
        h = h + mod[-1][:, None, None, :] * mlp(a, w, p + "mlp")
    shift, scale = np.split(linear(silu(c), w, "final_layer.adaLN_modulation.1"), 2, axis=1)
    y = linear(modulate(layer_norm(h, eps), shift, scale), w, "final_layer.linear")
    return unpatchify(y, cfg["latent_channels"], cfg["patch_size"], grid)


def seed(cfg, w, x, t, text, mask):
    b, f = x.shape[:2]
    d, heads, eps = cfg["hidden_size"], cfg["num_heads"], cfg["layer_norm_eps"]
    grid = cfg["latent_size"] // cfg["patch_size"]
    n = grid * grid
    tokens = linear(text, w, "text_proj")
    cond = linear(timestep_embedding(t, cfg["frequency_embedding_size"]), w, "t_embedder.proj")
    if cfg["pooled_text"]:
        cond = cond + pooled_text(tokens, mask)
    h = patch_embed(x, w, cfg["patch_size"]) + w["pos_embed"][0][None, None] + cond[:, None, None, :]

    def ln(v, name):
        return layer_norm(v, eps, w[name + ".weight"], w[name + ".bias"])

    for i in range(cfg["depth"]):
        p = "blocks.%d." % i
        h = h + self_attention(ln(h, p + "norm1").reshape(b * f, n, d), w, p + "attn", heads).reshape(b, f, n, d)
        h = h + mlp(ln(h, p + "norm2"), w, p + "mlp1")
        a = ln(h, p + "norm3").reshape(b, f * n, d)
        h = h + cross_attention(a, tokens, mask, w, p + "cross_attn", heads).reshape(b, f, n, d)
        h = h + mlp(ln(h, p + "norm4"), w, p + "mlp2")
    y = linear(ln(h, "norm_out"), w, "proj_out")
    return unpatchify(y, cfg["latent_channels"], cfg["patch_size"], grid)


def main(in_dir, out_dir):
    for arch in ("latte", "seed"):
        tensors, meta = read_safetensors(os.path.join(in_dir, arch + "-input.safetensors"))
        cfg = json.loads(meta["t2v.denoiser_config"])
        w = {k: v for k, v in tensors.items() if not k.startswith("input.")}
        args = (tensors["input.x"], tensors["input.t"], tensors["input.text"], tensors["input.text_mask"])
        out = (latte if cfg["architecture"] == "LATTE" else seed)(cfg, w, *args)
        result = dict(tensors)
        result["expected.out"] = out.astype(np.float64)
        write_safetensors(os.path.join(out_dir, arch + ".safetensors"), result, meta)
        print(arch, "out", out.shape, "max |out|", float(np.abs(out).max()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
