"""An independent reference for Millrace's hybrid decoder (trainer/.../model/Hybrid.java), written
from the papers in plain PyTorch, in float64:

- Mamba-2 (Dao and Gu 2024, arXiv:2405.21060, section 7): the input projection into
  [z, x, B, C, dt], the causal depthwise convolution and SiLU over x, B, C, dt = softplus(dt +
  dt_bias), A = -exp(A_log), the selective SSM as its defining recurrence
  h_t = exp(dt_t A) h_{t-1} + dt_t x_t B_t^T, y_t = C_t h_t (not the chunked algorithm the Java code
  uses), the skip D x, the gated RMSNorm of y * silu(z) per group, the output projection;
- attention as Llama's: rotary embeddings on adjacent channel pairs, grouped-query heads, causal;
- the hybrid block (Falcon-H1): x + attention(norm(x)) + mamba(norm(x)), then + swiglu(norm(h)).

Reads the weights from our model.safetensors (with safetensors_file.py: Debian ships no safetensors
package), the inputs from a second safetensors file and the configuration (HybridConfig's fields) as
JSON, and prints JSON: the mixer of block 0 applied to input "u", block 0 applied to input "x", and the logits
of the whole model for token ids "ids", each flattened.

    /usr/bin/python3 hybrid_reference.py model.safetensors inputs.safetensors config.json

With "bench" it times training steps of the same model in eager PyTorch instead (the chunked scan,
float32), for `docs/benchmarks.md`:

    /usr/bin/python3 hybrid_reference.py bench '<HybridConfig as JSON>' steps warmup
"""

import json
import math
import sys

import torch
import torch.nn.functional as F

import safetensors_file

def read_safetensors(path):
    """The tensors of our safetensors file, floating-point ones in float64."""
    tensors = safetensors_file.read(path)
    return {
        name: t.double() if t.is_floating_point() else t.clone() for name, t in tensors.items()
    }


def rms_norm(x, weight, eps=1e-5):
    return x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rotate(x, theta):
    """RoPE on (B, heads, T, d): the pair (2i, 2i+1) at position m turned by m * theta^(-2i/d)."""
    t, d = x.shape[2], x.shape[3]
    frequencies = theta ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    angles = torch.arange(t, dtype=torch.float64)[:, None] * frequencies[None, :]
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
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


def segsum(a):
    """S[..., i, j] = a[j+1] + ... + a[i] for j <= i, -inf above: a masked cumulative sum."""
    t = a.shape[-1]
    repeated = a[..., :, None].expand(*a.shape, t)
    below = torch.ones(t, t, dtype=torch.bool).tril(-1)
    sums = repeated.masked_fill(~below, 0).cumsum(-2)
    return sums.masked_fill(~torch.ones(t, t, dtype=torch.bool).tril(0), float("-inf"))


def ssd_chunked(x, dt, a, b, c, chunk):
    """The same scan in chunks (the paper's section 6), for the speed comparison only: x (B, T, H,
    P), dt (B, T, H), a (H), b and c (B, T, H, N); T a multiple of chunk."""
    batch, t, heads, p = x.shape
    n = b.shape[-1]
    k = t // chunk
    xs = (x * dt[..., None]).reshape(batch, k, chunk, heads, p).permute(0, 1, 3, 2, 4)
    bs = b.reshape(batch, k, chunk, heads, n).permute(0, 1, 3, 2, 4)
    cs = c.reshape(batch, k, chunk, heads, n).permute(0, 1, 3, 2, 4)
    da = (dt * a).reshape(batch, k, chunk, heads).permute(0, 1, 3, 2)
    within = torch.exp(segsum(da).clamp(max=0))
    y = (cs @ bs.transpose(-1, -2) * within) @ xs
    states = (xs * within[..., -1, :, None]).transpose(-1, -2) @ bs
    cumulative = da.cumsum(-1)
    totals = F.pad(cumulative[..., -1].transpose(1, 2), (1, 0))
    across = torch.exp(segsum(totals).clamp(max=0))
    states = torch.cat([torch.zeros_like(states[:, :1]), states], 1).permute(0, 2, 1, 3, 4)
    carried = (across @ states.reshape(batch, heads, k + 1, p * n)).reshape(batch, heads, k + 1, p, n)
    entering = carried[:, :, :-1].permute(0, 2, 1, 3, 4)
    y = y + (cs @ entering.transpose(-1, -2)) * torch.exp(cumulative.clamp(max=0))[..., None]
    return y.permute(0, 1, 3, 2, 4).reshape(batch, t, heads, p)


def ssd_recurrence(x, dt, a, b, c):
    """h_t = exp(dt_t a) h_{t-1} + dt_t x_t b_t^T, y_t = c_t h_t, position by position."""
    batch, t, heads, p = x.shape
    h = torch.zeros(batch, heads, p, b.shape[-1], dtype=x.dtype)
    ys = []
    for s in range(t):
        decay = torch.exp(dt[:, s] * a)[:, :, None, None]
        h = decay * h + (dt[:, s, :, None] * x[:, s])[..., None] * b[:, s, :, None, :]
        ys.append((h * c[:, s, :, None, :]).sum(-1))
    return torch.stack(ys, 1)


SCAN = {"scan": "recurrence"}


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
    if SCAN["scan"] == "chunked":
        y = ssd_chunked(x, dt, a, b, c, cfg["chunkSize"])
    else:
        y = ssd_recurrence(x, dt, a, b, c)
    y = y + w[prefix + "d"][:, None] * x
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


def bench(preset_json, steps, warmup):
    """Training tokens/s of the same hybrid in eager PyTorch, float32, 2 threads: batch 12 of
    random ids, AdamW (lr 6e-4, betas 0.9/0.95, weight decay 0.1 on matrices), global-norm clipping
    at 1.0, as `millrace bench hybrid`. The scan is the chunked one."""
    import time
    torch.set_num_threads(int(__import__("os").environ.get("THREADS", "2")))
    torch.manual_seed(1337)
    SCAN["scan"] = "chunked"
    cfg = json.loads(preset_json)
    c, v = cfg["embeddingDim"], cfg["vocabSize"]
    heads, p, groups, n = cfg["ssmHeads"], cfg["ssmHeadDim"], cfg["ssmGroups"], cfg["ssmStateDim"]
    inner, conv = heads * p, heads * p + 2 * groups * n
    attention_dim, kv = cfg["attentionHeads"] * cfg["attentionHeadDim"], cfg["kvHeads"] * cfg["attentionHeadDim"]
    shapes = {"tokenEmbedding": (v, c), "finalNorm.weight": (c,)}
    for i in range(cfg["layers"]):
        b = "blocks.%d." % i
        shapes.update({
            b + "inputNorm.weight": (c,), b + "mlpNorm.weight": (c,),
            b + "attention.query.weight": (attention_dim, c), b + "attention.key.weight": (kv, c),
            b + "attention.value.weight": (kv, c), b + "attention.proj.weight": (c, attention_dim),
            b + "mixer.inProj.weight": (2 * inner + 2 * groups * n + heads, c),
            b + "mixer.conv.weight": (conv, cfg["convKernel"]), b + "mixer.conv.bias": (conv,),
            b + "mixer.dtBias": (heads,), b + "mixer.aLog": (heads,), b + "mixer.d": (heads,),
            b + "mixer.norm.weight": (inner,), b + "mixer.outProj.weight": (c, inner),
            b + "mlp.gate.weight": (cfg["hiddenDim"], c), b + "mlp.up.weight": (cfg["hiddenDim"], c),
            b + "mlp.down.weight": (c, cfg["hiddenDim"]),
        })
    w = {}
    for name, shape in shapes.items():
        if len(shape) == 2:
            w[name] = torch.nn.Parameter(torch.randn(shape) * 0.02)
        elif name.endswith("aLog"):
            w[name] = torch.nn.Parameter(torch.empty(shape).uniform_(1, 16).log())
        elif name.endswith("dtBias"):
            dt = torch.exp(torch.rand(shape) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3)).clamp(min=1e-4)
            w[name] = torch.nn.Parameter(dt + torch.log(-torch.expm1(-dt)))
        else:
            w[name] = torch.nn.Parameter(torch.ones(shape))
    matrices = [t for t in w.values() if t.dim() >= 2]
    vectors = [t for t in w.values() if t.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": matrices, "weight_decay": 0.1},
                                   {"params": vectors, "weight_decay": 0.0}], lr=6e-4, betas=(0.9, 0.95))
    batch, t = 12, cfg["blockSize"]
    start = None
    for step in range(warmup + steps):
        if step == warmup:
            start = time.time()
        ids = torch.randint(0, v, (batch, t + 1))
        logits = model(ids[:, :-1], w, cfg)
        loss = F.cross_entropy(logits.reshape(-1, v), ids[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(w.values()), 1.0)
        optimizer.step()
    seconds = time.time() - start
    print("RESULT pytorch hybrid steps=%d ms/step=%.1f tokens/s=%.1f"
          % (steps, seconds * 1000 / steps, steps * batch * t / seconds))


def main():
    if sys.argv[1] == "bench":
        bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
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
