import csv
import gzip
import json

import pytest

import partygraph
from partygraph import build, dumps, merge

from conftest import ARTICLES, REPO


def test_build_of_files_is_the_commands_json(cli):
    out, err, code = cli("build", "-q", "examples/articles", cwd=REPO)
    assert code == 0, err
    assert dumps(build("examples/articles")) == out.decode("utf-8")
    # Paths as os.PathLike, and with jobs.
    assert dumps(build([REPO / "examples" / "articles"], jobs=1)) == dumps(
        build([REPO / "examples" / "articles"], jobs=2)
    )


def _rows(articles):
    return [
        {"id": i, "text": t, "url": f"https://example.org/{i}", "source": "Báo A"}
        for i, t in articles
    ]


def test_corpus_files_and_records_give_one_graph(cli, articles, tmp_path):
    rows = _rows(articles)
    with open(tmp_path / "c.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with gzip.open(tmp_path / "c.jsonl.gz", "wt", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(tmp_path / "c.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["id", "url", "source", "text"])
        w.writeheader()
        w.writerows(rows)
    from_records = build(rows)
    for name in ("c.jsonl", "c.jsonl.gz", "c.csv"):
        g = build(str(tmp_path / name))
        assert dumps(g["nodes"]) == dumps(from_records["nodes"]), name
        assert dumps(g["edges"]) == dumps(from_records["edges"]), name
        out, err, code = cli("build", "-q", name, cwd=tmp_path)
        assert code == 0, err
        cli_graph = json.loads(out)
        assert dumps(g["nodes"]) == dumps(cli_graph["nodes"]), name
        assert dumps(g["edges"]) == dumps(cli_graph["edges"]), name
    docs = build(str(tmp_path / "c.csv"))["graph"]["documents"]
    assert docs[0]["url"] == "https://example.org/" + docs[0]["id"]
    assert docs[0]["source"] == "Báo A" and docs[0]["path"].endswith("c.csv:2")
    # The files' own IDs and the rows' are one set: the same articles twice are duplicates.
    # (Corpus files are read in the order of their paths: c.csv first.)
    with pytest.raises(ValueError, match=r'c\.jsonl:1: duplicate id "01_.*" \(also the ID of .*c\.csv:2\); row not read\n'):
        build([str(tmp_path / "c.jsonl"), str(tmp_path / "c.csv")])


def test_records_need_unique_ids():
    with pytest.raises(ValueError, match=r'^record 2: duplicate id "a" \(also the ID of record 1\)$'):
        build([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}])
    g = build([{"text": "Bộ Chính trị họp."}, {"text": "Ban Bí thư họp."}])
    assert [d["id"] for d in g["graph"]["documents"]] == ["record-1", "record-2"]


def test_bad_input_to_build(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"^.*missing\.txt: no such file or folder$"):
        build([str(tmp_path / "missing.txt")])
    # One line per input, sorted by path, as on the command's stderr.
    with pytest.raises(OSError, match=r"gone\.jsonl: no such file or folder\n.*missing\.txt: no such file or folder$"):
        build([str(tmp_path / "missing.txt"), str(tmp_path / "gone.jsonl")])
    (tmp_path / "bad.jsonl").write_text('{"text": "Bộ Chính trị họp."}\nnot json\n{"text": 5}\n', encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        g = build(str(tmp_path / "bad.jsonl"))
    messages = [str(w.message) for w in caught]
    assert any(m.endswith("bad.jsonl:2: warning: not JSON (expected ident at line 1 column 2); skipped") for m in messages), messages
    assert any(m.endswith('bad.jsonl:3: warning: "text" is a number, not a string; skipped') for m in messages), messages
    assert [d["id"] for d in g["graph"]["documents"]] == ["bad-1"]
    (tmp_path / "h.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(OSError, match=r'h\.csv:1: no "text" column \(the header has: a, b\); name the text column with --text-field'):
        build(str(tmp_path / "h.csv"))
    with pytest.raises(ValueError, match=r'^record 1: no "text" field$'):
        build([{"body": "x"}])
    g = build([{"body": "Bộ Chính trị họp.", "key": "k"}], text_field="body", id_field="key")
    assert g["graph"]["documents"][0]["id"] == "k"
    with pytest.raises(TypeError):
        build([5])


def test_merge_in_any_order_is_build(articles):
    ex = partygraph.Extractor()
    recs = [ex.extract(t, id=i) for i, t in articles]
    whole = dumps(build([{"id": i, "text": t} for i, t in articles]))
    assert dumps(merge(recs)) == whole
    assert dumps(merge(list(reversed(recs)))) == whole
    # Graphs merge with graphs and records; JSON text is read too.
    half = len(recs) // 2
    assert dumps(merge([merge(recs[:half]), merge(recs[half:])])) == whole
    assert dumps(merge([json.dumps(r, ensure_ascii=False) for r in recs[:half]] + [merge(recs[half:])])) == whole


def test_merger_writes_every_format(articles, cli, tmp_path):
    from partygraph._partygraph import Merger

    ex = partygraph.Extractor()
    m = Merger()
    for i, t in articles:
        m.add(json.dumps(ex.extract(t, id=i), ensure_ascii=False))
    assert m.items == len(articles)
    whole = dumps(m.graph())
    m.write(tmp_path / "g.json")
    assert (tmp_path / "g.json").read_text(encoding="utf-8") == whole
    for fmt in ("graphml", "dot", "jsonl"):
        m.write(tmp_path / f"g.{fmt}", fmt)
        out, err, code = cli("merge", "-q", "--format", fmt, tmp_path / "g.json")
        assert code == 0, err
        assert (tmp_path / f"g.{fmt}").read_bytes() == out, fmt
    with pytest.raises(OSError, match=r"no-such-folder/g\.json: cannot write: no such file or folder"):
        m.write(tmp_path / "no-such-folder" / "g.json")
    with pytest.raises(ValueError, match="unknown format"):
        m.write(tmp_path / "g.x", "svg")


def test_evidence_modes_are_the_commands(cli):
    for mode in ("text", "span", "none"):
        out, err, code = cli("build", "-q", "--evidence", mode, "examples/articles", cwd=REPO)
        assert code == 0, err
        g = build("examples/articles", evidence=mode)
        assert dumps(g) == out.decode("utf-8"), mode
    span, none = build("examples/articles", evidence="span"), build("examples/articles", evidence="none")
    assert span["graph"]["sentences"] and all("text" not in r for r in span["graph"]["sentences"])
    assert "sentences" not in none["graph"]
    assert all("evidence" not in e for e in none["edges"])
    assert len(none["edges"]) == len(span["edges"]) == len(build("examples/articles")["edges"])
    with pytest.raises(ValueError, match=r'^evidence: unknown evidence mode "full"'):
        build("examples/articles", evidence="full")


def test_merge_and_the_merger_take_the_evidence_mode(articles, cli, tmp_path):
    from partygraph._partygraph import Merger

    ex = partygraph.Extractor()
    recs = [ex.extract(t, id=i) for i, t in articles]
    whole = build([{"id": i, "text": t} for i, t in articles], evidence="span")
    assert dumps(merge(recs, evidence="span")) == dumps(whole)
    m = Merger()
    for r in recs:
        m.add(json.dumps(r, ensure_ascii=False))
    assert dumps(m.graph("none")) == dumps(merge(recs, evidence="none"))
    m.write(tmp_path / "g.json")
    for fmt in ("graphml", "dot"):
        m.write(tmp_path / f"g.{fmt}", fmt, "span")
        out, err, code = cli("merge", "-q", "--format", fmt, "--evidence", "span", tmp_path / "g.json")
        assert code == 0, err
        assert (tmp_path / f"g.{fmt}").read_bytes() == out, fmt
    m.write(tmp_path / "neo", "neo4j", "none")
    assert "evidence" not in (tmp_path / "neo" / "relationships.csv").read_text(encoding="utf-8").splitlines()[0]
    with pytest.raises(ValueError, match="^evidence: unknown evidence mode"):
        m.graph("spans")


def test_merge_bad_input():
    with pytest.raises(ValueError, match=r"^item 2: not a partygraph JSON Lines record"):
        merge([{"document": {"id": "a", "path": "a"}, "entities": [], "relations": []}, {"document": 5}])
    with pytest.raises(ValueError, match=r"^item 1: not a partygraph JSON graph or JSON Lines file"):
        merge(["[1, 2"])
    with pytest.raises(ValueError, match=r"^item 1: empty"):
        merge([""])
    with pytest.raises(TypeError, match="merge takes records and graphs"):
        merge([5])
    assert merge([])["nodes"] == []


def test_version_is_the_crates():
    import importlib.metadata
    import re

    cargo = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    crate = re.search(r'^version = "([^"]+)"', cargo, re.M).group(1)
    assert partygraph.__version__ == crate
    assert importlib.metadata.version("partygraph") == crate
    assert build([])["graph"]["generator"] == f"partygraph {crate}"
