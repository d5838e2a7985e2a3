"""An independent reference for Millrace's hybrid decoder (trainer/.../model/Hybrid.java), written
from the papers in plain PyTorch, in float64:

- Mamba-2 (Dao and Gu 2024, arXiv:2405.21060, section 7): the input projection into
  [z, x, B, C, dt], the causal depthwise convolution and SiLU over x, B, C, dt = softplus(dt +
  dt_bias), A = -exp(A_log), the selective SSM as its defining recurrence
  h_t = exp(dt_t A) h_{t-1} + dt_t x_t B_t^T, y_t = C_t h_t (not the chunked algorithm the Java code
  uses), the skip D x, the gated RMSNorm of y * silu(z) per group, the output projection;
- attention as Llama's: rotary embeddings on adjacent channel pairs, grouped-query heads, causal;
- the hybrid block (Falcon-H1): x + attention(norm(x)) + mamba(norm(x)), then + swiglu(norm(h)).

Reads the weights from our model.safetensors (its own parser: Debian ships no safetensors package),
the inputs from a second safetensors file and the configuration (HybridConfig's fields) as JSON, and
prints JSON: the mixer of block 0 applied to input "u", block 0 applied to input "x", and the logits
of the whole model for token ids "ids", each flattened.

    /usr/bin/python3 hybrid_reference.py model.safetensors inputs.safetensors config.json
"""

import json
import math
import struct
import sys

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}


def read_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = bytearray(data[8 + n:])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        t = torch.frombuffer(body[start:end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = t.double() if t.is_floating_point() else t.clone()
    return tensors


def rms_norm(x, weight, eps=1e-5):
    return x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rotate(x, theta):
    """RoPE on (B, heads, T, d): the pair (2i, 2i+1) at position m turned by m * theta^(-2i/d)."""
    t, d = x.shape[2], x.shape[3]
    frequencies = theta ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    angles = torch.arange(t, dtype=torch.float64)[:, None] * frequencies[None, :]
    cos, sin = angles.cos(), angles.sin()
    a, b = x[..., 0::2], x[..., 1::2]
    return torch.stack([a * cos - b * sin, a * sin + b * cos], dim=-1).reshape(x.shape)


def attention(x, w, prefix, cfg):
    batch, t, _ = x.shape
    heads, kv_heads, d = cfg["attentionHeads"], cfg["kvHeads"], cfg["attentionHeadDim"]
    q = (x @ w[prefix + "query.weight"].T).view(batch, t, heads, d).transpose(1, 2)
    k = (x @ w[prefix + "key.weight"].T).view(batch, t, kv_heads, d).transpose(1, 2)
    v = (x @ w[prefix + "value.weight"].T).view(batch, t, kv_heads, d).transpose(1, 2)
    q, k = rotate(q, cfg["ropeTheta"]), rotate(k, cfg["ropeTheta"])
    k = k.repeat_interleave(heads // kv_heads, dim=1)
    v = v.repeat_interleave(heads // kv_heads, dim=1)
    scores = q @ k.transpose(-1, -2) / math.sqrt(d)
    future = torch.ones(t, t, dtype=torch.bool).triu(1)
    y = scores.masked_fill(future, float("-inf")).softmax(-1) @ v
    return y.transpose(1, 2).reshape(batch, t, heads * d) @ w[prefix + "proj.weight"].T


def mamba2(u, w, prefix, cfg):
    batch, t, _ = u.shape
    heads, p, groups, n = cfg["ssmHeads"], cfg["ssmHeadDim"], cfg["ssmGroups"], cfg["ssmStateDim"]
    inner = heads * p
    z, xbc, dt = torch.split(u @ w[prefix + "inProj.weight"].T, [inner, inner + 2 * groups * n, heads], -1)
    kernel = cfg["convKernel"]
    conv_weight = w[prefix + "conv.weight"].unsqueeze(1)  # (channels, 1, K), PyTorch's layout
    xbc = F.conv1d(xbc.transpose(1, 2), conv_weight, w[prefix + "conv.bias"],
                   padding=kernel - 1, groups=xbc.shape[-1])[..., :t].transpose(1, 2)
    x, b, c = torch.split(F.silu(xbc), [inner, groups * n, groups * n], -1)
    dt = F.softplus(dt + w[prefix + "dtBias"])
    a = -torch.exp(w[prefix + "aLog"])
    x = x.reshape(batch, t, heads, p)
    group_of_head = torch.arange(heads) // (heads // groups)
    b = b.reshape(batch, t, groups, n)[:, :, group_of_head]
    c = c.reshape(batch, t, groups, n)[:, :, group_of_head]
    h = torch.zeros(batch, heads, p, n, dtype=torch.float64)
    ys = []
    for s in range(t):
        decay = torch.exp(dt[:, s] * a)[:, :, None, None]
        h = decay * h + (dt[:, s, :, None] * x[:, s])[..., None] * b[:, s, :, None, :]
        ys.append((h * c[:, s, :, None, :]).sum(-1))
    y = torch.stack(ys, 1) + w[prefix + "d"][:, None] * x
    gated = (y.reshape(batch, t, inner) * F.silu(z)).reshape(batch, t, groups, inner // groups)
    normed = gated / torch.sqrt(gated.pow(2).mean(-1, keepdim=True) + 1e-5)
    return (normed.reshape(batch, t, inner) * w[prefix + "norm.weight"]) @ w[prefix + "outProj.weight"].T


def block(x, w, i, cfg):
    prefix = "blocks.%d." % i
    normed = rms_norm(x, w[prefix + "inputNorm.weight"])
    h = x + attention(normed, w, prefix + "attention.", cfg) + mamba2(normed, w, prefix + "mixer.", cfg)
    n = rms_norm(h, w[prefix + "mlpNorm.weight"])
    gate = n @ w[prefix + "mlp.gate.weight"].T
    return h + (F.silu(gate) * (n @ w[prefix + "mlp.up.weight"].T)) @ w[prefix + "mlp.down.weight"].T


def model(ids, w, cfg):
    x = w["tokenEmbedding"][ids]
    for i in range(cfg["layers"]):
        x = block(x, w, i, cfg)
    x = rms_norm(x, w["finalNorm.weight"])
    head = w["tokenEmbedding"] if cfg["tiedEmbeddings"] else w["lmHead.weight"]
    return x @ head.T


def main():
    weights = read_safetensors(sys.argv[1])
    inputs = read_safetensors(sys.argv[2])
    cfg = json.load(open(sys.argv[3]))
    with torch.no_grad():
        out = {
            "mixer": mamba2(inputs["u"], weights, "blocks.0.mixer.", cfg),
            "block": block(inputs["x"], weights, 0, cfg),
            "logits": model(inputs["ids"], weights, cfg),
        }
    print(json.dumps({name: value.flatten().tolist() for name, value in out.items()}))


if __name__ == "__main__":
    main()
