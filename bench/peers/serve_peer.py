"""
Peer of `ct serve` for bench/serve.js: the same trained network, served by FastAPI +
uvicorn + PyTorch.

    CT_PEER_MODEL=<version dir> CT_PEER_NAME=flight-delay CT_PEER_THRESHOLD=0.5 \
        python3 bench/peers/serve_peer.py --port 8101 --workers 2
    python3 bench/peers/serve_peer.py --check <version dir> <rows.json>   # prints probabilities

The version folder is one of ct's registry (model.json + weights .bin in TF.js layers format,
preprocessing.json). Its weights are loaded into an equivalent torch module, and ct's
preprocessing (src/features/preprocessing.ts: encodeTable) is replicated: z-scored numerics
(log1p first where asked), UTC hour of day / ISO day of week from the timestamp, vocabularies
with 0 for missing or out of vocabulary, ct's seeded 32-bit hashed crosses, buckets. So both
servers compute the same probabilities; bench/serve.js checks they agree.

POST /v1/models/<name>/predict takes one JSON object (a row) or an array of them and answers
as ct serve does: {model, version, requestId, probability, predicted} or
{model, version, requestId, predictions: [{probability, predicted}, ...]}.
GET /healthz answers 200 once the model is loaded. Each worker uses one torch thread.
"""

import json
import math
import os
import sys
import uuid
from datetime import datetime, timezone

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)

MS_PER_HOUR = 3_600_000
MS_PER_DAY = 86_400_000
M32 = 0xFFFFFFFF

# ---------------------------------------------------------------- preprocessing (ct's encodeTable, row by row)


def parse_timestamp(value):
    """Epoch ms (UTC) of an ISO date or date-time; a value without a zone is UTC, as in ct. NaN if unreadable."""
    if isinstance(value, bool) or value is None:
        return math.nan
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str) or len(value) < 10:
        return math.nan
    try:
        t = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00") if value[-1] in "zZ" else value)
    except ValueError:
        return math.nan
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return t.timestamp() * 1000.0


def hour_of_day(t):
    return int(((t % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY // MS_PER_HOUR)


def day_of_week(t):
    return ((math.floor(t / MS_PER_DAY) + 3) % 7 + 7) % 7 + 1


def category_key(value):
    """The vocabulary key of a value: its text, as ct's categoryKey (JSON numbers as JS prints them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cross_id(ids, buckets):
    """ct's encodeCross: a seeded 32-bit mix (Math.imul, >>> on uint32) of the crossed ids, modulo buckets, plus 1."""
    h = 0x9E3779B9
    anything = 0
    for i in ids:
        anything |= i
        h = ((h ^ i) * 0x85EBCA6B) & M32
        h ^= h >> 13
        h = (h * 0xC2B2AE35) & M32
        h ^= h >> 16
    return 0 if anything == 0 else h % buckets + 1


def upper_bound(edges, x):
    lo, hi = 0, len(edges)
    while lo < hi:
        mid = (lo + hi) >> 1
        if edges[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo


class Encoder:
    """Encodes rows (dicts) into one int64 / float32 column per feature, as preprocessing.json says."""

    def __init__(self, prep):
        self.features = prep["features"]
        self.index = {}
        for f in self.features:
            if f["kind"] == "categorical" and f.get("vocabulary") is not None:
                self.index[f["name"]] = {v: k + 1 for k, v in enumerate(f["vocabulary"])}

    def encode(self, rows):
        ids = {}
        out = []
        n = len(rows)
        for f in self.features:
            name = f["name"]
            if f["kind"] == "numeric":
                col = np.zeros(n, dtype=np.float32)
                log = f["transform"] == "log1p"
                for r, row in enumerate(rows):
                    v = row.get(f["column"])
                    if v is None or isinstance(v, (str, bool)):
                        continue  # missing: the training mean, 0 after scaling
                    x = math.log1p(v) if log and v > -1 else (math.nan if log else float(v))
                    if not math.isfinite(x):
                        continue
                    col[r] = (x - f["mean"]) / f["std"]  # float64, then float32 as ct's Float32Array
                out.append(col)
                continue
            t = f["transform"]
            if t == "cross":
                sources = [ids[s] for s in f["cross"]]
                col = [cross_id([s[r] for s in sources], f["hashBuckets"]) for r in range(n)]
            elif t in ("hourOfDay", "dayOfWeek"):
                col = []
                for row in rows:
                    ts = parse_timestamp(row.get(f["column"]))
                    col.append(0 if not math.isfinite(ts) else (hour_of_day(ts) + 1 if t == "hourOfDay" else day_of_week(ts)))
            elif t == "bucketize":
                col = []
                for row in rows:
                    v = row.get(f["column"])
                    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v)
                    col.append(upper_bound(f["boundaries"], v) + 1 if ok else 0)
            else:
                index = self.index[name]
                col = [0 if row.get(f["column"]) is None else index.get(category_key(row.get(f["column"])), 0) for row in rows]
            ids[name] = col
            out.append(np.asarray(col, dtype=np.int64))
        return out


# ---------------------------------------------------------------- the network (src/train/model.ts)

ACTIVATIONS = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "linear": nn.Identity, "elu": nn.ELU, "selu": nn.SELU}


class CtNet(nn.Module):
    """Embeddings for categoricals (flattened), numerics as they are, concatenated in the model's order, then the dense stack."""

    def __init__(self, prep, topology, weights):
        super().__init__()
        layers = {l["name"]: l for l in topology["config"]["layers"]}
        self.features = prep["features"]
        self.embeddings = nn.ModuleList()
        for f in self.features:
            if f["kind"] == "categorical":
                emb = nn.Embedding(f["cardinality"], f["embedding"])
                emb.weight.data = torch.from_numpy(weights[f"{f['name']}_embedding/embeddings"])
                self.embeddings.append(emb)
        # The concatenation order as model.json records it must be the feature order the encoder uses.
        concat = layers.get("features")
        if concat is not None:
            parts = [node[0] for node in concat["inbound_nodes"][0]]
            expected = [f"{f['name']}_flat" if f["kind"] == "categorical" else f["name"] for f in self.features]
            if parts != expected:
                raise SystemExit(f"model.json concatenates {parts}, expected {expected}")
        stack = []
        previous = "features" if concat is not None else None
        # Follow the chain of Dense (and Dropout, an identity at inference) layers from the concatenation to the output.
        while True:
            nxt = [l for l in layers.values() if l["inbound_nodes"] and l["inbound_nodes"][0][0][0] == previous]
            if not nxt:
                break
            layer = nxt[0]
            previous = layer["name"]
            if layer["class_name"] == "Dropout":
                continue
            if layer["class_name"] != "Dense":
                raise SystemExit(f"unsupported layer {layer['class_name']} ({layer['name']})")
            kernel = weights[f"{layer['name']}/kernel"]
            linear = nn.Linear(kernel.shape[0], kernel.shape[1])
            linear.weight.data = torch.from_numpy(np.ascontiguousarray(kernel.T))
            linear.bias.data = torch.from_numpy(weights[f"{layer['name']}/bias"])
            stack += [linear, ACTIVATIONS[layer["config"]["activation"]]()]
        self.body = nn.Sequential(*stack)

    def forward(self, inputs):
        parts = []
        e = 0
        for f, x in zip(self.features, inputs):
            if f["kind"] == "categorical":
                parts.append(self.embeddings[e](x))
                e += 1
            else:
                parts.append(x.unsqueeze(1))
        return self.body(torch.cat(parts, dim=1))


def load(model_dir):
    with open(os.path.join(model_dir, "model.json")) as fh:
        artifact = json.load(fh)
    with open(os.path.join(model_dir, "preprocessing.json")) as fh:
        prep = json.load(fh)
    if prep["task"] != "binary":
        raise SystemExit("the peer serves binary models only")
    weights = {}
    for group in artifact["weightsManifest"]:
        blob = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if w["dtype"] != "float32" or "quantization" in w:
                raise SystemExit(f"unsupported weight {w['name']}: {w['dtype']}")
            count = int(np.prod(w["shape"])) if w["shape"] else 1
            weights[w["name"]] = np.frombuffer(blob, dtype="<f4", count=count, offset=offset).reshape(w["shape"]).copy()
            offset += 4 * count
    net = CtNet(prep, artifact["modelTopology"], weights)
    net.eval()
    return net, Encoder(prep)


def predict(net, encoder, rows):
    columns = encoder.encode(rows)
    with torch.inference_mode():
        return net([torch.from_numpy(c) for c in columns]).reshape(-1).tolist()


# ---------------------------------------------------------------- the server

def make_app():
    from fastapi import FastAPI, Request
    from fastapi.responses import Response

    model_dir = os.environ["CT_PEER_MODEL"]
    name = os.environ["CT_PEER_NAME"]
    threshold = float(os.environ.get("CT_PEER_THRESHOLD", "0.5"))
    version = os.path.basename(os.path.normpath(model_dir))
    net, encoder = load(model_dir)
    predict(net, encoder, [{}])  # warm the first forward pass
    # One write, newline included, so the two workers' lines do not interleave.
    sys.stderr.write(f"peer worker {os.getpid()} ready: {name} {version}\n")
    sys.stderr.flush()
    app = FastAPI()

    def reply(body, status=200):
        # A plain Response: FastAPI's jsonable_encoder would cost the peer time that is not serving.
        return Response(json.dumps(body, separators=(",", ":")), status_code=status, media_type="application/json")

    @app.get("/healthz")
    async def healthz():
        return reply({"ok": True, "model": name, "version": version})

    @app.post("/v1/models/{model}/predict")
    async def serve(model: str, request: Request):
        if model != name:
            return reply({"error": f"no model {model}"}, 404)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return reply({"error": "body is not JSON"}, 400)
        request_id = uuid.uuid4().hex
        if isinstance(body, dict):
            p = predict(net, encoder, [body])[0]
            return reply({"model": name, "version": version, "requestId": request_id, "probability": p, "predicted": 1 if p >= threshold else 0})
        if isinstance(body, list) and body and all(isinstance(r, dict) for r in body):
            ps = predict(net, encoder, body)
            predictions = [{"probability": p, "predicted": 1 if p >= threshold else 0} for p in ps]
            return reply({"model": name, "version": version, "requestId": request_id, "predictions": predictions})
        return reply({"error": "expected a JSON object or a non-empty array of objects"}, 400)

    return app


def main():
    args = sys.argv[1:]
    if args and args[0] == "--check":
        net, encoder = load(args[1])
        with open(args[2]) as fh:
            rows = json.load(fh)
        print(json.dumps(predict(net, encoder, rows)))
        return
    import uvicorn

    port = int(args[args.index("--port") + 1]) if "--port" in args else 8101
    workers = int(args[args.index("--workers") + 1]) if "--workers" in args else 2
    # The module is imported again by each worker (an import string is required for workers > 1).
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    uvicorn.run("serve_peer:app", host="127.0.0.1", port=port, workers=workers, log_level="warning", access_log=False, factory=False)


if __name__ == "__main__":
    main()
elif __name__ == "serve_peer" and "CT_PEER_MODEL" in os.environ:
    # Imported by a uvicorn worker (multiprocessing also imports this file as __mp_main__: not then).
    app = make_app()
