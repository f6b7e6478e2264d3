#!/usr/bin/python3
"""Optuna TPE peer for `levain bench tuner`: an ask/tell loop driven over JSON lines.

The C# harness owns the problems and evaluates them (noise included); this script only proposes points.
Run with Debian's /usr/bin/python3 (python3-optuna, Optuna 3.1). One request per stdin line, one reply per
stdout line; every reply has "ok" and, when it is false, "error". Requests:

  {"op": "hello"}
      -> {"ok": true, "python": "3.11.2", "optuna": "3.1.0"}
  {"op": "create", "study": ID, "seed": INT, "n_startup_trials": INT,
   "params": [{"name": N, "low": L, "high": H, "log": BOOL, "int": BOOL, "step": S or null}, ...]}
      -> {"ok": true}            (an in-memory study, minimised, TPESampler(multivariate=True, seed=seed))
  {"op": "ask", "study": ID}   -> {"ok": true, "trial": NUMBER, "params": {N: value, ...}}
  {"op": "tell", "study": ID, "trial": NUMBER, "value": FLOAT}   -> {"ok": true}
  {"op": "delete", "study": ID} -> {"ok": true}
  {"op": "close"}              -> {"ok": true}, then exit 0

Only the protocol goes to stdout; Optuna's logging and warnings go to stderr.
"""

import json
import math
import platform
import sys
import warnings

PROTOCOL_OUT = sys.stdout
sys.stdout = sys.stderr  # anything printed by libraries lands on stderr, never in the protocol stream

try:
    import optuna
    IMPORT_ERROR = None
except Exception as exc:  # noqa: BLE001 - reported to the harness, which marks TPE unavailable
    optuna = None
    IMPORT_ERROR = f"{type(exc).__name__}: {exc}"


def reply(payload):
    PROTOCOL_OUT.write(json.dumps(payload, allow_nan=False) + "\n")
    PROTOCOL_OUT.flush()


class Study:
    def __init__(self, request):
        params = request["params"]
        if not params:
            raise ValueError("a study needs at least one parameter")
        self.distributions = {}
        for p in params:
            name, low, high = p["name"], p["low"], p["high"]
            log = bool(p.get("log", False))
            step = p.get("step")
            if p.get("int", False):
                self.distributions[name] = optuna.distributions.IntDistribution(
                    int(low), int(high), log=log, step=1 if log or step is None else int(step))
            else:
                self.distributions[name] = optuna.distributions.FloatDistribution(
                    float(low), float(high), log=log, step=None if log else step)
        sampler = optuna.samplers.TPESampler(
            multivariate=True,
            seed=int(request["seed"]),
            n_startup_trials=int(request.get("n_startup_trials", 10)))
        self.study = optuna.create_study(direction="minimize", sampler=sampler)
        self.pending = {}

    def ask(self):
        trial = self.study.ask(self.distributions)
        self.pending[trial.number] = trial
        return trial.number, trial.params

    def tell(self, number, value):
        trial = self.pending.pop(number, None)
        if trial is None:
            raise ValueError(f"trial {number} is not pending")
        if value is None or not math.isfinite(value):
            self.study.tell(trial, state=optuna.trial.TrialState.FAIL)
        else:
            self.study.tell(trial, float(value))


def handle(request, studies):
    op = request.get("op")
    if op == "hello":
        if optuna is None:
            return {"ok": False, "error": f"optuna is not importable by {sys.executable}: {IMPORT_ERROR}",
                    "python": platform.python_version()}
        return {"ok": True, "python": platform.python_version(), "optuna": optuna.__version__}
    if optuna is None:
        return {"ok": False, "error": f"optuna is not importable: {IMPORT_ERROR}"}
    if op == "create":
        studies[request["study"]] = Study(request)
        return {"ok": True}
    if op == "ask":
        number, params = studies[request["study"]].ask()
        return {"ok": True, "trial": number, "params": params}
    if op == "tell":
        studies[request["study"]].tell(int(request["trial"]), request.get("value"))
        return {"ok": True}
    if op == "delete":
        studies.pop(request["study"], None)
        return {"ok": True}
    return {"ok": False, "error": f"unknown op {op!r}"}


def main():
    if optuna is not None:
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    studies = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            if request.get("op") == "close":
                reply({"ok": True})
                return 0
            reply(handle(request, studies))
        except KeyError as exc:
            reply({"ok": False, "error": f"unknown study or missing field {exc}"})
        except Exception as exc:  # noqa: BLE001 - one bad request must not kill the peer
            reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
