"""Times scikit-learn's nearest-centroid assignment and PCA reconstruction error on the rows
bench/drift/multivariate.bench.ts wrote, the baseline of that bench.

Usage:
  python multivariate_baseline.py REFERENCE EVENTS CENTROIDS WIDTH VARIANCE_SHARE PER_ROW REPEATS

REFERENCE, EVENTS and CENTROIDS are little-endian float64 files of rows WIDTH wide: the raw
reference rows, the raw events, and driftwatch's k-means centroids in standardized units. Both
are timed from a raw row: StandardScaler.transform then KMeans.predict (with our centroids, so
the labels must equal ours), and StandardScaler.transform then PCA.transform, inverse_transform
(PCA(n_components=VARIANCE_SHARE), as NannyML fits it) and the row norm of the residual. Each is
timed over all events in one call (batch, vectorised) and one event at a time over the first
PER_ROW events (a 1 x WIDTH array per call, as a stream consumer would call it), best of REPEATS
both. Prints one JSON object: seconds, the labels and errors to check against ours, versions and
the BLAS kernel. Run it with one thread (scripts/python-venv.sh sets that).
"""

import json
import sys
import time

import numpy as np
import sklearn
import threadpoolctl
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler


def read_rows(path: str, width: int) -> np.ndarray:
    return np.fromfile(path, dtype="<f8").reshape(-1, width)


def best_seconds(work, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    reference_path, events_path, centroids_path = sys.argv[1:4]
    width = int(sys.argv[4])
    variance_share = float(sys.argv[5])
    per_row = int(sys.argv[6])
    repeats = int(sys.argv[7])
    reference = read_rows(reference_path, width)
    events = read_rows(events_path, width)
    centroids = read_rows(centroids_path, width)
    single_rows = [events[i : i + 1] for i in range(min(per_row, len(events)))]

    scaler = StandardScaler().fit(reference)
    standardized = scaler.transform(reference)
    # One Lloyd step from our centroids, then our centroids put back: predict then assigns to
    # exactly the centres driftwatch assigns to.
    kmeans = KMeans(n_clusters=len(centroids), init=centroids, n_init=1, max_iter=1)
    kmeans.fit(standardized)
    kmeans.cluster_centers_ = centroids.copy()
    pca = PCA(n_components=variance_share).fit(standardized)

    def assign(rows: np.ndarray) -> np.ndarray:
        return kmeans.predict(scaler.transform(rows))

    def reconstruction_error(rows: np.ndarray) -> np.ndarray:
        z = scaler.transform(rows)
        return np.linalg.norm(z - pca.inverse_transform(pca.transform(z)), axis=1)

    labels = assign(events)
    errors = reconstruction_error(events)
    kmeans_batch = best_seconds(lambda: assign(events), repeats)
    pca_batch = best_seconds(lambda: reconstruction_error(events), repeats)
    kmeans_per_row = best_seconds(lambda: [assign(row) for row in single_rows], repeats)
    pca_per_row = best_seconds(lambda: [reconstruction_error(row) for row in single_rows], repeats)

    blas = [
        f"{pool['internal_api']} {pool.get('architecture', '?')}"
        for pool in threadpoolctl.threadpool_info()
        if pool["user_api"] == "blas"
    ]
    print(
        json.dumps(
            {
                "events": len(events),
                "perRowEvents": len(single_rows),
                "kMeans": {
                    "batchSeconds": kmeans_batch,
                    "perRowSeconds": kmeans_per_row,
                    "labels": labels.tolist(),
                },
                "pca": {
                    "batchSeconds": pca_batch,
                    "perRowSeconds": pca_per_row,
                    "components": int(pca.n_components_),
                    "errors": errors.tolist(),
                },
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
                "python": sys.version.split()[0],
                "blas": ", ".join(sorted(set(blas))),
            }
        )
    )


if __name__ == "__main__":
    main()
