#!/usr/bin/env python3
"""A stand-in for a training script, for trying `levain tune` in seconds.

It "trains" for --steps steps and reports a loss that behaves like a real one: more steps help with diminishing
returns, the best learning rate shrinks as runs get longer (a scaling law Levain should recover), width has a sweet
spot, and a too-large learning rate diverges (the trial fails). No packages needed, plain python3.

Protocol (see README, "Tuning your own training script"):
  * parameters arrive on the command line (the study's `command`) and as JSON in $LEVAIN_PARAMS;
  * progress lines `levain-progress {...}` on stdout are stored and shown;
  * the result is a JSON object written to $LEVAIN_RESULT (printing `levain-result {...}` also works).
"""
import argparse
import json
import math
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--width", type=int, required=True)
parser.add_argument("--steps", type=int, required=True)
parser.add_argument("--optimizer", choices=["adamw", "sgd"], default="adamw")
args = parser.parse_args()

# The learning rate that is best for a run of this length: 0.02 at 100 steps, falling as steps^-0.35.
best_lr = 0.02 * (args.steps / 100.0) ** -0.35
lr_penalty = 0.6 * (math.log10(args.lr / best_lr)) ** 2
width_penalty = 0.08 * (math.log2(args.width / 256.0)) ** 2
optimizer_penalty = 0.0 if args.optimizer == "adamw" else 0.25

if args.lr > 30 * best_lr:
    print(f"step 0: loss is nan (learning rate {args.lr:g} is far too large)", file=sys.stderr)
    sys.exit(3)

final = 1.5 + 8.0 / math.sqrt(args.steps) + lr_penalty + width_penalty + optimizer_penalty
for i in range(1, 6):
    step = args.steps * i // 5
    loss = final + 2.0 * (1.0 - i / 5.0) ** 2
    print("levain-progress " + json.dumps({"step": step, "loss": round(loss, 4)}), flush=True)
    time.sleep(0.02)

result = {"loss": final, "tokens": args.steps * args.width * 512}
with open(os.environ.get("LEVAIN_RESULT", "result.json"), "w") as f:
    json.dump(result, f)
