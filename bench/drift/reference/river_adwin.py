"""Times River's ADWIN over a stream of little-endian float64 values in a file.

Usage: python river_adwin.py STREAM_FILE
Prints one JSON object: seconds for the update loop alone, detections, final width, versions.
"""

import json
import sys
import time
from array import array

import river
from river import drift


def main() -> None:
    values = array("d")
    with open(sys.argv[1], "rb") as stream_file:
        values.frombytes(stream_file.read())
    if sys.byteorder != "little":
        values.byteswap()
    stream = values.tolist()

    adwin = drift.ADWIN()
    detections = 0
    start = time.perf_counter()
    for value in stream:
        adwin.update(value)
        if adwin.drift_detected:
            detections += 1
    seconds = time.perf_counter() - start

    print(
        json.dumps(
            {
                "length": len(stream),
                "seconds": seconds,
                "detections": detections,
                "finalWidth": adwin.width,
                "river": river.__version__,
                "python": sys.version.split()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
