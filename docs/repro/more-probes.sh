#!/usr/bin/env bash
# Re-scores the kept best checkpoints of a finished MNIST MLP study (1 random and 1 hard canary per seed,
# and the twins with the sibling's label) with N probes, then prints the canary-vs-twin AUC of each score.
# Needs python3 for the AUC table. Usage, from the repository root:
#   docs/repro/more-probes.sh STUDY_DIR N [SEEDS]      e.g. docs/repro/more-probes.sh runs/repro-paper 20000 "1 2 3"
set -euo pipefail
usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; }
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then usage; exit 0; fi
if [[ $# -lt 2 ]]; then usage >&2; exit 2; fi
STUDY=$1
N=$2
SEEDS=${3:-"1 2 3 4 5 6 7 8 9 10"}
[[ -d "$STUDY/runs" ]] || { echo "more-probes: $STUDY/runs: no such directory (a study's --out directory?)" >&2; exit 2; }
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "more-probes: N must be a positive whole number, got '$N'" >&2; exit 2; }
OUT="$STUDY/more-probes-$N"
mkdir -p "$OUT"
best() { ls -d "$STUDY/runs/$1"/ckpt-* 2>/dev/null | tail -1; }
for seed in $SEEDS; do
  for choice in random hard; do
    canary=$(best "mnist-mlp-plain-s$seed-c1-$choice")
    twin=$(best "mnist-mlp-plain-s$seed-twin")
    if [[ -z "$canary" || -z "$twin" ]]; then
      echo "more-probes: seed $seed, $choice: no kept checkpoint of the canary model or the twin, skipped" >&2
      continue
    fi
    label=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['canaries'][0]['label'])" "$canary/metadata.json")
    echo "more-probes: seed $seed, $choice canary (label $label), N = $N" >&2
    [[ -s "$OUT/canary-$choice-s$seed.json" ]] || ./memaudit score --checkpoint "$canary" --n "$N" --json > "$OUT/canary-$choice-s$seed.json"
    [[ -s "$OUT/twin-$choice-s$seed.json" ]] || ./memaudit score --checkpoint "$twin" --uf glyph:A --label "$label" --n "$N" --json > "$OUT/twin-$choice-s$seed.json"
  done
done
python3 - "$OUT" "$N" <<'PY'
import glob, json, os, sys
out, n = sys.argv[1], sys.argv[2]
def auc(pos, neg):
    return sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg) / (len(pos) * len(neg))
scores = [("mKl", 1, "M_KL"), ("mLabel", 1, "M_label"), ("mProbMax", 1, "max M_prob"),
          ("controlRank", -1, "rank (M_KL)"), ("z", 1, "z (M_KL)"), ("labelControlRank", -1, "rank (M_label)")]
print("| N | canaries | canary / twin models | " + " | ".join(t for _, _, t in scores) + " |")
print("|---|---|---|" + "---|" * len(scores))
for choice in ("random", "hard"):
    load = lambda role: [json.load(open(f)) for f in sorted(glob.glob(f"{out}/{role}-{choice}-s*.json")) if os.path.getsize(f)]
    c, t = load("canary"), load("twin")
    if c and t:
        cells = [f"{auc([x[k] * s for x in c], [x[k] * s for x in t]):.2f}" for k, s, _ in scores]
        print(f"| {n} | {choice}:1 | {len(c)} / {len(t)} | " + " | ".join(cells) + " |")
PY
