import doctest
import sys

import pytest

import partygraph
from partygraph import build, to_networkx, to_pandas

from conftest import ARTICLES, need


@pytest.fixture(scope="module")
def graph():
    return build(str(ARTICLES))


def test_to_networkx_keeps_every_attribute(graph):
    need(_has("networkx"), "networkx is not installed")
    G = to_networkx(graph)
    assert G.is_directed() and G.is_multigraph()
    assert G.number_of_nodes() == len(graph["nodes"])
    assert G.number_of_edges() == len(graph["edges"])
    assert G.graph["documents"] == graph["graph"]["documents"]
    for n in graph["nodes"]:
        assert {"id": n["id"], **G.nodes[n["id"]]} == n
    for e in graph["edges"]:
        data = G.edges[e["source"], e["target"], e["key"]]
        assert {"source": e["source"], "target": e["target"], "key": e["key"], **data} == e


def test_to_networkx_matches_networkx_reading_the_json(graph):
    need(_has("networkx"), "networkx is not installed")
    import networkx as nx

    try:
        ref = nx.node_link_graph(graph, edges="edges")
    except TypeError:  # networkx before 3.4
        ref = nx.node_link_graph(graph, link="edges")
    G = to_networkx(graph)
    assert sorted(G.nodes) == sorted(ref.nodes)
    assert sorted(G.edges(keys=True)) == sorted(ref.edges(keys=True))


def test_to_pandas(graph):
    need(_has("pandas"), "pandas is not installed")
    nodes, edges = to_pandas(graph)
    assert len(nodes) == len(graph["nodes"]) and len(edges) == len(graph["edges"])
    assert list(nodes.columns[:3]) == ["id", "kind", "label"]
    assert list(edges.columns[:4]) == ["source", "target", "key", "kind"]
    first = graph["nodes"][0]
    row = nodes.iloc[0]
    assert row["id"] == first["id"] and row["mentions"] == first["mentions"]
    people = nodes[nodes["kind"] == "person"]
    assert people["label"].is_unique
    nodes, edges = to_pandas(build([]))
    assert len(nodes) == 0 and list(edges.columns[:2]) == ["source", "target"]


def _has(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def test_docstring_examples_run():
    failures, tried = doctest.testmod(partygraph, optionflags=doctest.ELLIPSIS)
    assert tried >= 10 and failures == 0


def test_spark_module_says_what_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.delitem(sys.modules, "partygraph.spark", raising=False)
    with pytest.raises(ImportError, match=r"partygraph\.spark needs pyspark \(pip install pyspark"):
        import partygraph.spark  # noqa: F401


def test_evidence_resolves_edges_and_relations_through_their_tables(graph):
    rows = graph["graph"]["sentences"]
    assert [r["id"] for r in rows] == list(range(len(rows)))
    docs = {d["id"]: d["path"] for d in graph["graph"]["documents"]}
    for e in graph["edges"]:
        found = partygraph.evidence(graph, e)
        assert found and len(found) == len(e["evidence"])
        for s in found:
            # Offsets index the article's bytes; the text is the sentence there.
            data = open(docs[s["doc"]], "rb").read()
            assert data[s["start"] : s["end"]].decode("utf-8") == s["text"]
    # A record: relations point into its own table.
    ex = partygraph.Extractor()
    rec = ex.extract("Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị.", id="a")
    assert len(rec["sentences"]) == 1
    for r in rec["relations"]:
        assert partygraph.evidence(rec, r) == rec["sentences"]
    # The older layout, with the sentence inline, is read as it is.
    old = {"source": "a", "target": "b", "evidence": [{"doc": "a", "start": 0, "end": 1, "text": "x"}]}
    assert partygraph.evidence({"graph": {}}, old)[0]["text"] == "x"
    with pytest.raises(KeyError, match="not in the sentence table"):
        partygraph.evidence({"graph": {"sentences": []}}, {"evidence": [3]})
