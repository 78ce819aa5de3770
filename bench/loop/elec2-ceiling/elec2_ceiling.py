"""How far retraining alone takes ELEC2 with at most 15 promoted versions (issue 11's goal).

Prequential accuracy of scikit-learn models on ELEC2 after its first 2,000 rows (the loop's
reference), the label of each row known before the next row is scored ("one event late"), under
two kinds of schedule, none of which looks at the future:

- periodic: every N rows, a new model trained on the last W rows replaces the old one;
- gated: every N rows, a challenger trained on the last W rows but the newest H is compared with
  the champion on those H rows (the trainer's holdout), and replaces it, refitted on all W rows,
  only when its holdout accuracy beats the champion's by more than a margin.

Counts promotions (every replacement). An oracle for reasoning, not a port of anything: it reads
ELEC2 and writes one line per (model, schedule) to stdout. Usage: run.sh [path/to/elec2.csv].
"""

import csv
import sys
import warnings

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)

FEATURES = ["day", "period", "nswprice", "nswdemand", "vicprice", "vicdemand", "transfer"]
REFERENCE_ROWS = 2000

MODELS = {
    # The "scikit-learn's MLP": standardized inputs, one hidden layer of 16.
    "mlp": lambda: make_pipeline(
        StandardScaler(), MLPClassifier((16,), max_iter=300, random_state=0)
    ),
    "forest": lambda: RandomForestClassifier(
        50, max_depth=10, min_samples_leaf=5, random_state=0, n_jobs=1
    ),
}

# (name, every N rows, window W, holdout H or None for periodic, margin)
SCHEDULES = [
    ("periodic", 1000, 5000, None, 0.0),
    ("periodic", 3000, 5000, None, 0.0),
    ("periodic", 3000, 3000, None, 0.0),
    ("gated", 1000, 5000, 500, 0.0),
    ("gated", 1000, 5000, 500, 0.05),
    ("gated", 500, 5000, 500, 0.03),
    ("gated", 500, 5000, 500, 0.06),
]


def read_elec2(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    x = np.array([[float(row[name]) for name in FEATURES] for row in rows])
    y = np.array([row["class"] == "UP" for row in rows], dtype=int)
    return x, y


def prequential(make, x, y, every, window, holdout, margin):
    model = make().fit(x[:REFERENCE_ROWS], y[:REFERENCE_ROWS])
    correct = 0
    promoted = 0
    position = REFERENCE_ROWS
    while position < len(x):
        end = min(position + every, len(x))
        correct += int((model.predict(x[position:end]) == y[position:end]).sum())
        position = end
        if position >= len(x):
            break
        start = max(0, position - window)
        if holdout is None:
            model = make().fit(x[start:position], y[start:position])
            promoted += 1
            continue
        cut = position - holdout
        challenger = make().fit(x[start:cut], y[start:cut])
        challenger_accuracy = (challenger.predict(x[cut:position]) == y[cut:position]).mean()
        champion_accuracy = (model.predict(x[cut:position]) == y[cut:position]).mean()
        if challenger_accuracy > champion_accuracy + margin:
            model = make().fit(x[start:position], y[start:position])
            promoted += 1
    return correct / (len(x) - REFERENCE_ROWS), promoted


def main():
    path = sys.argv[1]
    x, y = read_elec2(path)
    print("model   schedule  every  window  holdout  margin  accuracy  promoted")
    for model_name, make in MODELS.items():
        for name, every, window, holdout, margin in SCHEDULES:
            accuracy, promoted = prequential(make, x, y, every, window, holdout, margin)
            print(
                f"{model_name:<7} {name:<9} {every:>5}  {window:>6}  {holdout or '-':>7}  "
                f"{margin:>6.2f}  {accuracy:>8.4f}  {promoted:>8}",
                flush=True,
            )


if __name__ == "__main__":
    main()
