"""`nnsim bench --quick`: the JSON document's shape (never its timings)."""
import json
import os
import subprocess
import sys

from nnsim.app.draw.heatmap import RESOLUTION


def test_quick_bench_prints_one_json_document():
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}   # no real window here
    out = subprocess.run([sys.executable, "-m", "nnsim", "bench", "--quick"], capture_output=True,
                         text=True, timeout=300, check=True, env=env).stdout
    doc = json.loads(out)
    assert set(doc) == {"machine", "training", "grid", "frame_loop", "display", "startup"}
    assert doc["display"] is None
    assert len(doc["training"]) == 12 and {r["batch"] for r in doc["training"]} == {1, 32}
    for row in doc["training"]:
        assert row["numba_steps_per_s"] > 0 and row["numpy_steps_per_s"] > 0
        one_point_bn = row["batch"] == 1 and "BN" in row["net"]   # BatchNorm1d refuses it
        assert ("torch_steps_per_s" in row) == (doc["machine"]["torch"] is not None
                                                and not one_point_bn)
    n = RESOLUTION
    assert {r["grid"] for r in doc["grid"]} == {f"{n}x{n}", "200x200"}
    for row in doc["grid"]:
        assert row["numba_ms"] > 0 and row["numba_float32_ms"] > 0
    for loop in doc["frame_loop"]:
        assert loop["size"] == "1920x1080" and loop["frames"] == 60
        assert 0 < loop["frame_ms_p50"] <= loop["frame_ms_p95"] <= loop["frame_ms_p99"]
        assert loop["epochs_per_s"] > 0 and loop["training_kept"] > 0
        assert loop["boundary_redraws_per_s"] >= 0 and loop["network_redraws_per_s"] >= 0
    assert [loop["net"] for loop in doc["frame_loop"]] == [
        [2] + [64] * 16 + [2], [2] + [32] * 8 + [2], [2, 8, 8, 2]]
    warm = doc["startup"]["warm"]
    assert 0 < warm["window_s"] <= warm["first_epoch_s"] and warm["numba_ready_s"] > 0
    assert warm["peak_rss_mb"] > 0
    assert doc["startup"]["cold"] is None
