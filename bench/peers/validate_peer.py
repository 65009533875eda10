# Copied from shared/peers/validate_peer.py (the peer behind SPEC.md's "Measured anchors"
# pandas row); run by bench/validate.js with Debian's python3-pandas and python3-scipy:
#   /usr/bin/python3 bench/peers/validate_peer.py FLIGHTS_CSV
# Unchanged below this comment, so its numbers stay comparable with the anchor.
"""Peer for the validation stage: the work a user would do with pandas + scipy.
Reads a CSV, checks schema (columns, dtypes, nulls, ranges, categorical domain vs reference),
and computes per-column drift (KS for numeric, chi-squared for categorical) of the newest
7 days against the previous 28. usage: /usr/bin/python3 validate_peer.py ALL_CSV
"""
import sys, time, resource
import numpy as np, pandas as pd
from scipy import stats
t0 = time.time()
df = pd.read_csv(sys.argv[1], parse_dates=["date"])
t1 = time.time()
ref = df[df.date < "2001-01-29"]; cur = df[(df.date >= "2001-01-29") & (df.date < "2001-02-05")]
report = {"rows": len(df), "nulls": df.isna().sum().to_dict(), "describe": df.describe().to_dict()}
for c in ("delay", "distance"):
    report[c + "_neg"] = int((df[c] < 0).sum())
    report[c + "_ks_p"] = stats.ks_2samp(ref[c], cur[c]).pvalue
for c in ("origin", "destination"):
    dom = set(ref[c].unique()); report[c + "_unseen"] = int((~cur[c].isin(dom)).sum())
    a = ref[c].value_counts(); b = cur[c].value_counts().reindex(a.index, fill_value=0)
    report[c + "_chi2_p"] = stats.chisquare(b + 0.5, (a + 0.5) / (a + 0.5).sum() * (b + 0.5).sum()).pvalue
t2 = time.time()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"pandas-validate: rows={len(df)} read_s={t1-t0:.2f} check_s={t2-t1:.2f} total_s={t2-t0:.2f} rows_per_s={len(df)/(t2-t0):.0f} peak_rss_mb={rss:.0f}")
