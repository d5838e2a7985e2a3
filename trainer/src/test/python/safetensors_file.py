"""A reader of safetensors files in plain PyTorch (Debian ships no safetensors package), as the
format defines it: a little-endian 64-bit header length, a JSON table of dtype, shape and byte
offsets per tensor, then the raw data. hybrid_reference.py reads our weights with it;
SafetensorsReadByPyTorchTest runs it on a checkpoint:

    /usr/bin/python3 safetensors_file.py model.safetensors

prints, as one JSON object, each tensor's shape and all of its values.
"""

import json
import struct
import sys

import torch

DTYPES = {
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "F32": torch.float32,
    "F64": torch.float64,
    "I64": torch.int64,
}


def read(path):
    """Every tensor of the file at path, by name, with the dtype it is stored in."""
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = bytearray(data[8 + n:])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        dtype = DTYPES[entry["dtype"]]
        tensors[name] = torch.frombuffer(body[start:end], dtype=dtype).reshape(entry["shape"])
    return tensors


if __name__ == "__main__":
    tensors = read(sys.argv[1])
    print(json.dumps({
        name: {"shape": list(t.shape), "values": t.flatten().tolist()}
        for name, t in tensors.items()
    }))
