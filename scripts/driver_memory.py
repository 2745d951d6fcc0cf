"""Measures what the driver of a Spark build holds for the merge of N articles: the records
streamed in one at a time and merged, then the resulting node-link dict. Articles are the
repository's examples, each with a sentence of its own (as in python/tests/test_spark.py).

    python scripts/driver_memory.py 2000 10000 40000

prints, per N, the records' size and the peak resident memory of a process that reads them one
at a time, merges them, and writes graph.json (write_graph) or makes the dict (build_graph); its
memory before reading is subtracted (Linux).
"""

import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Quốc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Mai", "Nam", "Phúc", "Sơn", "Tâm"]


def status_mb(field):
    # /proc/self/status: VmHWM is this process's peak resident memory (getrusage's would count
    # the parent's from before exec).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def merge_child(path, how):
    import partygraph
    from partygraph._partygraph import Merger

    before = status_mb("VmRSS")
    # As the driver does: the records come one at a time (toLocalIterator) and are merged.
    m = Merger()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m.add(line)
    if how == "dict":  # build_graph: the node-link dict
        nodes = len(m.graph()["nodes"])
    else:  # write_graph: the JSON file, no dict
        m.write(path + ".graph.json")
        nodes = m.counts()[0]
        os.unlink(path + ".graph.json")
    print(json.dumps({"peak": status_mb("VmHWM") - before, "nodes": nodes}))


def main(sizes):
    import partygraph

    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples" / "articles").glob("*.txt"))]
    ex = partygraph.Extractor()
    rng = random.Random(16)
    print("| articles | records (JSON) | nodes | driver peak: `write_graph` (to graph.json) | `build_graph` (a dict) |")
    print("|---|---|---|---|---|")
    for n in sizes:
        rows = []
        for i in range(n):
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            text = texts[i % len(texts)] + f"\n\nĐồng chí {name}, Phó Bí thư Đảng ủy, phát biểu tại hội nghị.\n"
            rows.append({"id": f"a{i:06d}", "text": text})
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
            for r in ex.extract_many(rows):
                f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
        size = os.path.getsize(f.name) / 1e6
        got = {}
        for how in ("write", "dict"):
            out = subprocess.run(
                [sys.executable, __file__, "--child", f.name, how], capture_output=True, check=True
            )
            got[how] = json.loads(out.stdout)
        os.unlink(f.name)
        print(
            f"| {n:,} | {size:.0f} MB | {got['write']['nodes']:,} | {got['write']['peak']:.0f} MB "
            f"| {got['dict']['peak']:.0f} MB |"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        merge_child(sys.argv[2], sys.argv[3])
    else:
        main([int(a) for a in sys.argv[1:]] or [2000, 10000, 40000])
