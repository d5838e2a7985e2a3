"""fp32 against bf16 matrix products in PyTorch on this CPU (docs/benchmarks.md). Usage: /usr/bin/python3 scripts/bf16_matmul.py"""
import torch, time
torch.set_num_threads(2)
for dt in (torch.float32, torch.bfloat16):
    x=torch.randn(1024,1024).to(dt); y=torch.randn(1024,1024).to(dt)
    for _ in range(2): x@y
    t=time.perf_counter(); r=5
    for _ in range(r): x@y
    d=(time.perf_counter()-t)/r; print(f"matmul 1024 {dt}: {2*1024**3/d/1e9:.1f} GFLOP/s")
