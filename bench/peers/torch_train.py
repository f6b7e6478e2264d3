#!/usr/bin/python3
"""PyTorch peer of `./levain bench train`: the same GPT shape, batch, steps and thread count as Levain's trainer.

Pre-LayerNorm blocks, GELU MLP, tied embeddings, learned positions, AdamW (decay on matrices only), linear warmup +
cosine decay, gradient clipping at 1.0, random byte tokens (vocabulary 257). Debian 12's torch 1.13 has no
scaled_dot_product_attention, so attention is the explicit masked softmax. Prints one JSON line:
tokens_per_s, seconds, rss_mb at the requested steps, torch version and the BLAS library mapped into the process.
"""
import argparse, json, math, resource, time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c, nh, t):
        super().__init__()
        self.nh = nh
        self.ln_1, self.ln_2 = nn.LayerNorm(c), nn.LayerNorm(c)
        self.c_attn, self.attn_proj = nn.Linear(c, 3 * c), nn.Linear(c, c)
        self.c_fc, self.mlp_proj = nn.Linear(c, 4 * c), nn.Linear(4 * c, c)
        self.register_buffer("mask", torch.ones(t, t).tril().eq(0))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.nh, c // self.nh).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.nh)
        att = att.masked_fill(self.mask[:t, :t], float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.attn_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class Gpt(nn.Module):
    def __init__(self, v, t, layers, nh, c):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(v, c), nn.Embedding(t, c)
        self.h = nn.ModuleList(Block(c, nh, t) for _ in range(layers))
        self.ln_f = nn.LayerNorm(c)
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif p.dim() >= 2:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        return self.ln_f(x) @ self.wte.weight.t()


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def blas_library():
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    return ", ".join(sorted(libs)) or "none found"


def main():
    a = argparse.ArgumentParser()
    for name, default in [("width", 128), ("depth", 4), ("heads", 4), ("context", 128), ("batch", 16), ("steps", 200),
                          ("warmup", 20), ("threads", 2), ("seed", 1)]:
        a.add_argument("--" + name, type=int, default=default)
    a.add_argument("--lr", type=float, default=1e-3)
    a.add_argument("--rss-steps", default="100,1000")
    args = a.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)  # a separate process: the global generator is this script's own
    vocab = 257
    model = Gpt(vocab, args.context, args.depth, args.heads, args.width)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8)
    data = torch.randint(0, vocab, (1_000_000,))
    rss_at = {int(s) for s in args.rss_steps.split(",") if s}
    rss = {}
    start = time.perf_counter()
    for step in range(args.steps):
        if step < args.warmup:
            lr = args.lr * (step + 1) / (args.warmup + 1)
        else:
            progress = min(1.0, (step - args.warmup) / max(1, args.steps - args.warmup - 1))
            lr = 0.1 * args.lr + 0.5 * (1 + math.cos(math.pi * progress)) * 0.9 * args.lr
        for group in opt.param_groups:
            group["lr"] = lr
        ix = torch.randint(0, len(data) - args.context - 1, (args.batch,))
        x = torch.stack([data[i:i + args.context] for i in ix])
        y = torch.stack([data[i + 1:i + 1 + args.context] for i in ix])
        loss = F.cross_entropy(model(x).view(-1, vocab), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step + 1 in rss_at:
            rss[str(step + 1)] = round(rss_mb(), 1)
    seconds = time.perf_counter() - start
    tokens = args.steps * args.batch * args.context
    print(json.dumps({"tokens_per_s": tokens / seconds, "seconds": seconds, "steps": args.steps, "rss_mb": rss,
                      "final_loss": float(loss), "torch": torch.__version__, "blas": blas_library(),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}))


if __name__ == "__main__":
    main()
