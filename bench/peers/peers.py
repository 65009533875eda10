# Copied from shared/peers/peers.py (the peers behind SPEC.md's "Measured anchors":
# HistGradientBoosting, logistic regression, the PyTorch MLP); run by bench/train.js with
# Debian's python3-torch, python3-sklearn and python3-pandas:
#   /usr/bin/python3 bench/peers/peers.py DATADIR [hgb|logreg|torch|torch1]...
# DATADIR holds train.csv and test.csv (bench/train.js writes them, in the format of
# shared/peers/export_flights.mjs). Adapted in two places only; models, data handling and
# timing are unchanged, so the numbers stay comparable with the anchors:
# - report() prints, besides the original line, one JSON line (prefix "json: ") with the
#   same numbers plus the number of training rows and the process's peak RSS;
# - "torch1" runs the same PyTorch MLP with 1 thread instead of 2. On a 2-core machine
#   where another process holds a core, PyTorch's 2 threads wait for each other at
#   every op and it trains 10-20x slower (measured: 19k vs 334k samples/s in one
#   minute); 1 thread shows what PyTorch does here without that effect.
"""Peer baselines for the flight-delay continuous-training task (Debian python3).
Task: delayed = delay > 15 min; features: hour, day of week, log distance, origin, destination.
Train: 2001-01-01..01-28, test: 2001-01-29..02-04 (export_flights.mjs).
usage: /usr/bin/python3 peers.py DATADIR [hgb|logreg|torch]...
"""
import sys, time, math, json, resource
import numpy as np, pandas as pd
from sklearn.metrics import roc_auc_score, log_loss

def load(d):
    tr = pd.read_csv(f"{d}/train.csv"); te = pd.read_csv(f"{d}/test.csv")
    cats = {}
    for c in ("origin", "destination"):
        vocab = {v: i + 1 for i, v in enumerate(sorted(tr[c].unique()))}  # 0 = OOV
        cats[c] = len(vocab) + 1
        for df in (tr, te): df[c + "_id"] = df[c].map(vocab).fillna(0).astype(int)
    for df in (tr, te):
        ts = pd.to_datetime(df["date"])
        df["hour"] = ts.dt.hour; df["dow"] = ts.dt.dayofweek
        df["logdist"] = np.log1p(df["distance"])
        df["y"] = (df["delay"] > 15).astype(np.float32)
    return tr, te, cats

def report(name, y, p, secs, n_seen, n_rows=None):
    auc, ll = roc_auc_score(y, p), log_loss(y, p)
    print(f"{name}: auc={auc:.4f} logloss={ll:.4f} train_s={secs:.2f} samples_per_s={n_seen/secs:.0f}")
    # ru_maxrss is in KiB on Linux.
    print("json: " + json.dumps({"name": name, "auc": auc, "logloss": ll, "train_s": secs, "samples": n_seen,
                                 "samples_per_s": n_seen / secs, "rows": n_rows, "test_rows": len(y),
                                 "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)

def hgb(tr, te, cats):
    from sklearn.ensemble import HistGradientBoostingClassifier
    cols = ["hour", "dow", "logdist", "origin_id", "destination_id"]
    m = HistGradientBoostingClassifier(categorical_features=[3, 4], max_iter=200, random_state=0)
    t = time.time(); m.fit(tr[cols], tr["y"]); s = time.time() - t
    report("sklearn-hgb", te["y"], m.predict_proba(te[cols])[:, 1], s, len(tr), len(tr))

def logreg(tr, te, cats):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder
    enc = OneHotEncoder(handle_unknown="ignore")
    cols = ["hour", "dow", "origin", "destination"]
    Xtr = enc.fit_transform(tr[cols]); Xte = enc.transform(te[cols])
    from scipy.sparse import hstack, csr_matrix
    Xtr = hstack([Xtr, csr_matrix(tr[["logdist"]].values)]).tocsr(); Xte = hstack([Xte, csr_matrix(te[["logdist"]].values)]).tocsr()
    m = LogisticRegression(max_iter=200)
    t = time.time(); m.fit(Xtr, tr["y"]); s = time.time() - t
    report("sklearn-logreg", te["y"], m.predict_proba(Xte)[:, 1], s, len(tr), len(tr))

def torch_mlp(tr, te, cats, epochs=3, batch=512, threads=2):
    import torch, torch.nn as nn
    torch.manual_seed(0); torch.set_num_threads(threads)
    class M(nn.Module):
        def __init__(s):
            super().__init__()
            s.eo = nn.Embedding(cats["origin"], 16); s.ed = nn.Embedding(cats["destination"], 16)
            s.eh = nn.Embedding(24, 8); s.ew = nn.Embedding(7, 4)
            s.mlp = nn.Sequential(nn.Linear(16 + 16 + 8 + 4 + 1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
        def forward(s, o, d, h, w, x):
            return s.mlp(torch.cat([s.eo(o), s.ed(d), s.eh(h), s.ew(w), x], 1)).squeeze(1)
    def tens(df):
        return [torch.tensor(df[c].values) for c in ("origin_id", "destination_id", "hour", "dow")] + [torch.tensor(df[["logdist"]].values, dtype=torch.float32)]
    Xtr, Xte = tens(tr), tens(te); ytr = torch.tensor(tr["y"].values)
    m = M(); opt = torch.optim.Adam(m.parameters(), 1e-3); lossf = nn.BCEWithLogitsLoss()
    n = len(tr); t = time.time()
    for ep in range(epochs):
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad(); loss = lossf(m(*[x[idx] for x in Xtr]), ytr[idx]); loss.backward(); opt.step()
    s = time.time() - t
    with torch.no_grad(): p = torch.sigmoid(m(*Xte)).numpy()
    report(f"torch-mlp(epochs={epochs},batch={batch},threads={torch.get_num_threads()})", te["y"], p, s, n * epochs, n)

if __name__ == "__main__":
    tr, te, cats = load(sys.argv[1])
    print(f"train={len(tr)} test={len(te)} positive_rate={tr['y'].mean():.3f} origins={cats['origin']-1}")
    for name in sys.argv[2:] or ["logreg", "hgb", "torch"]:
        {"hgb": hgb, "logreg": logreg, "torch": torch_mlp, "torch1": lambda *a: torch_mlp(*a, threads=1)}[name](tr, te, cats)
