"""Batched decode speed of a decoder-only model on one CUDA GPU, to check Headroom's decode
roofline (core/serving/deployment.ts stepThroughput, core/perf/throughput.ts) at batch 1, 8, 32
and 64 (issue 19).

Each decode step is built in plain PyTorch from the model's real config.json with random bf16
weights: per layer RMSNorm, the QKV projection, one new token per sequence attending to a KV
cache of CONTEXT tokens (scaled_dot_product_attention over grouped KV heads), the output
projection and a SwiGLU MLP; then the final norm and the LM head. One step for a batch is
captured as a CUDA graph and replayed, so the time is the GPU's, not Python's (transformers'
eager generate() is paced by the host; see ../shared/calibration/README.md).

Every batch appends one JSON line to OUT.jsonl as soon as it is measured:
  {"id": "batched-decode-<model>-b<batch>-c<context>", "kind": "speed", "model": <config name>,
   "batch", "context", "step_ms", "decode_tok_s" (batch / step time), "weight_bytes",
   "kv_bytes", "device", "total_bytes", "torch", "cuda"}

Run (no downloads; about a minute per model on an H100):
  python3 scripts/measure_batched_decode.py OUT.jsonl CONFIG.json [CONFIG.json ...]
    [--context 1024] [--batches 1,8,32,64] [--steps 50]
e.g. with ../shared/data/hf-configs/meta-llama__Llama-3.1-8B.json and
meta-llama__Llama-3.2-1B-Instruct.json. The results belong in tests/fixtures/calibration/.
"""
import argparse
import json
import os
import time

import torch
import torch.nn.functional as F

BF16 = torch.bfloat16


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("configs", nargs="+")
    parser.add_argument("--context", type=int, default=1024)
    parser.add_argument("--batches", default="1,8,32,64")
    parser.add_argument("--steps", type=int, default=50)
    return parser.parse_args()


def shapes_of(cfg):
    hidden = cfg["hidden_size"]
    heads = cfg["num_attention_heads"]
    head_dim = cfg.get("head_dim") or hidden // heads
    return {
        "layers": cfg["num_hidden_layers"],
        "hidden": hidden,
        "heads": heads,
        "kv_heads": cfg.get("num_key_value_heads", heads),
        "head_dim": head_dim,
        "ffn": cfg["intermediate_size"],
        "vocab": cfg["vocab_size"],
    }


def rms_norm(x, weight):
    variance = x.float().pow(2).mean(-1, keepdim=True)
    return (x.float() * torch.rsqrt(variance + 1e-6)).to(BF16) * weight


class DecodeStep:
    """Weights and a full KV cache for `batch` sequences of `context` tokens; `run` decodes one token each."""

    def __init__(self, s, batch, context):
        h, kvh, hd = s["hidden"], s["kv_heads"], s["head_dim"]
        q_out, kv_out = s["heads"] * hd, kvh * hd
        self.s = s
        self.layers = []
        for _ in range(s["layers"]):
            self.layers.append({
                "norm1": torch.ones(h, device="cuda", dtype=BF16),
                "qkv": torch.randn(q_out + 2 * kv_out, h, device="cuda", dtype=BF16) * 0.02,
                "o": torch.randn(h, q_out, device="cuda", dtype=BF16) * 0.02,
                "norm2": torch.ones(h, device="cuda", dtype=BF16),
                "gate_up": torch.randn(2 * s["ffn"], h, device="cuda", dtype=BF16) * 0.02,
                "down": torch.randn(h, s["ffn"], device="cuda", dtype=BF16) * 0.02,
                "k": torch.randn(batch, kvh, context, hd, device="cuda", dtype=BF16),
                "v": torch.randn(batch, kvh, context, hd, device="cuda", dtype=BF16),
            })
        self.final_norm = torch.ones(h, device="cuda", dtype=BF16)
        self.head = torch.randn(s["vocab"], h, device="cuda", dtype=BF16) * 0.02
        self.x = torch.randn(batch, h, device="cuda", dtype=BF16)
        self.batch = batch
        weights = ("qkv", "o", "gate_up", "down")
        self.weight_bytes = sum(layer[n].numel() * 2 for layer in self.layers for n in weights)
        self.weight_bytes += self.head.numel() * 2
        self.kv_bytes = sum(layer["k"].numel() * 4 for layer in self.layers)

    def run(self):
        s, b = self.s, self.batch
        hd, heads, kvh = s["head_dim"], s["heads"], s["kv_heads"]
        x = self.x
        for layer in self.layers:
            y = rms_norm(x, layer["norm1"]) @ layer["qkv"].t()
            q = y[:, : heads * hd].reshape(b, heads, 1, hd)
            # The new token's own K/V would be written into the cache; reading the cache is the cost.
            attn = F.scaled_dot_product_attention(q, layer["k"], layer["v"], enable_gqa=heads != kvh)
            x = x + attn.reshape(b, heads * hd) @ layer["o"].t()
            gate, up = (rms_norm(x, layer["norm2"]) @ layer["gate_up"].t()).chunk(2, dim=-1)
            x = x + (F.silu(gate) * up) @ layer["down"].t()
        return (rms_norm(x, self.final_norm) @ self.head.t()).argmax(-1)


def measure(step, steps):
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            step.run()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        step.run()
    graph.replay()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        graph.replay()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / steps


def main():
    args = parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    props = torch.cuda.get_device_properties(0)
    with open(args.out, "a", buffering=1) as out:
        for path in args.configs:
            name = os.path.basename(path).removesuffix(".json")
            with open(path) as f:
                shapes = shapes_of(json.load(f))
            for batch in batches:
                record = {"id": f"batched-decode-{name}-b{batch}-c{args.context}", "kind": "speed",
                          "model": name, "batch": batch, "context": args.context}
                try:
                    step = DecodeStep(shapes, batch, args.context)
                    seconds = measure(step, args.steps)
                    record.update({"step_ms": round(seconds * 1e3, 4),
                                   "decode_tok_s": round(batch / seconds, 1),
                                   "weight_bytes": step.weight_bytes, "kv_bytes": step.kv_bytes})
                except Exception as e:  # noqa: BLE001 - one failed batch must not lose the others
                    record["error"] = f"{type(e).__name__}: {e}"[:400]
                finally:
                    step = None
                    torch.cuda.empty_cache()
                record.update({"device": props.name, "total_bytes": props.total_memory,
                               "torch": torch.__version__, "cuda": torch.version.cuda})
                out.write(json.dumps(record) + "\n")
                print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
