"""A training program for driftwatch's trainer (TRAINER_COMMAND="python train.py").

For each retraining request the trainer writes the window's rows as CSV files and runs this program
with these environment variables:

    DRIFTWATCH_TRAIN_CSV     training rows: one column per feature (by name) and `label`
    DRIFTWATCH_HOLDOUT_CSV   holdout rows, same layout (the trainer scores the result on them too)
    DRIFTWATCH_OUTPUT_ONNX   where to write the model
    DRIFTWATCH_MODEL         the model's name
    DRIFTWATCH_FEATURES      feature names, comma-separated, in the model's input order
    DRIFTWATCH_CLASSES       class labels, comma-separated, in the order of the probability output
    DRIFTWATCH_REQUEST_ID    the retraining request

It trains StandardScaler + LogisticRegression, exports it with skl2onnx as one float input
`input` [N, F] and one output `probabilities` [N, K] (columns in DRIFTWATCH_CLASSES order),
checks the ONNX file against scikit-learn with onnxruntime, writes it, and prints one line.
On failure it prints the reason to stderr and exits 1: driftwatch then rejects the version and
quotes that reason.

Change the estimator in `train` to use your own; keep the input and output contract.
"""

import csv
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

LABEL = "label"


class TrainingError(Exception):
    pass


def env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise TrainingError(f"environment variable {name} is not set")
    return value


def names(name):
    values = [v.strip() for v in env(name).split(",")]
    if any(not v for v in values) or len(set(values)) != len(values):
        raise TrainingError(f"{name} must list unique, non-empty names: {os.environ[name]!r}")
    return values


def read_rows(path, features, classes):
    """Feature matrix (float64) and label indices into `classes`, from a CSV with a header."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in features + [LABEL] if c not in (reader.fieldnames or [])]
            if missing:
                raise TrainingError(f"{path}: missing column(s) {', '.join(missing)}")
            index = {c: i for i, c in enumerate(classes)}
            X, y = [], []
            for line, row in enumerate(reader, start=2):
                try:
                    X.append([float(row[f]) for f in features])
                except (TypeError, ValueError):
                    bad = next(f for f in features if not _is_number(row[f]))
                    raise TrainingError(
                        f"{path}:{line}: column {bad} is not a number: {row[bad]!r}"
                    ) from None
                label = row[LABEL].strip()
                if label not in index:
                    raise TrainingError(
                        f"{path}:{line}: label {label!r} is not one of {', '.join(classes)}"
                    )
                y.append(index[label])
    except OSError as error:
        raise TrainingError(f"cannot read {path}: {error.strerror}") from None
    return np.array(X, dtype=np.float64).reshape(-1, len(features)), np.array(y, dtype=np.int64)


def _is_number(text):
    try:
        float(text)
        return True
    except (TypeError, ValueError):
        return False


def train(X, y, classes):
    """Labels are indices into `classes`, so column j of predict_proba is classes[j]."""
    present = set(y.tolist())
    absent = [c for i, c in enumerate(classes) if i not in present]
    if len(y) == 0:
        raise TrainingError("the training file has no rows")
    if absent:
        raise TrainingError(
            f"no training rows for class(es) {', '.join(absent)}: need every class in "
            f"DRIFTWATCH_CLASSES ({len(present)} of {len(classes)} present)"
        )
    model = Pipeline(
        [("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=1000))]
    )
    return model.fit(X, y)


def export(model, features, classes, name):
    onx = convert_sklearn(
        model,
        name=name,
        initial_types=[("input", FloatTensorType([None, len(features)]))],
        options={id(model.named_steps["clf"]): {"zipmap": False}},
        target_opset={"": 17, "ai.onnx.ml": 3},
    )
    # skl2onnx also writes a `label` output holding class indices; keep only the probabilities.
    probabilities = [o for o in onx.graph.output if o.name == "probabilities"]
    del onx.graph.output[:]
    onx.graph.output.extend(probabilities)
    onnx.checker.check_model(onx)
    for key, value in (
        ("driftwatch.feature_names", json.dumps(features)),
        ("driftwatch.classes", json.dumps(classes)),
    ):
        entry = onx.metadata_props.add()
        entry.key, entry.value = key, value
    return onx.SerializeToString()


def check(onnx_bytes, model, X):
    """The exported model must reproduce scikit-learn's probabilities."""
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    (probabilities,) = session.run(None, {"input": X.astype(np.float32)})
    gap = float(np.max(np.abs(probabilities - model.predict_proba(X)))) if len(X) else 0.0
    if gap > 1e-4:
        raise TrainingError(f"the ONNX export differs from scikit-learn by {gap:.2e}")
    return probabilities


def main():
    features = names("DRIFTWATCH_FEATURES")
    classes = names("DRIFTWATCH_CLASSES")
    if len(classes) < 2:
        raise TrainingError(f"DRIFTWATCH_CLASSES needs at least two classes, got {classes}")
    output = env("DRIFTWATCH_OUTPUT_ONNX")
    model_name = env("DRIFTWATCH_MODEL")
    request = os.environ.get("DRIFTWATCH_REQUEST_ID", "-")

    X, y = read_rows(env("DRIFTWATCH_TRAIN_CSV"), features, classes)
    X_holdout, y_holdout = read_rows(env("DRIFTWATCH_HOLDOUT_CSV"), features, classes)
    model = train(X, y, classes)
    onnx_bytes = export(model, features, classes, model_name)
    probabilities = check(onnx_bytes, model, np.vstack([X, X_holdout]))[len(X):]

    with open(output, "wb") as handle:
        handle.write(onnx_bytes)
    accuracy = (
        f"{float(np.mean(np.argmax(probabilities, axis=1) == y_holdout)):.4f}"
        if len(y_holdout)
        else "n/a"
    )
    print(
        f"trained {model_name} (request {request}): logistic regression on {len(y)} rows, "
        f"{len(features)} features, {len(classes)} classes; holdout accuracy (argmax) {accuracy} on "
        f"{len(y_holdout)} rows; wrote {output} ({len(onnx_bytes)} bytes)"
    )


if __name__ == "__main__":
    try:
        main()
    except TrainingError as error:
        print(f"train.py: {error}", file=sys.stderr)
        sys.exit(1)
