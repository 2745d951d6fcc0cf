"""partygraph: a knowledge graph of Vietnamese Communist Party work from news articles.

People, party committees, resolutions and the meetings they come together in, with who chairs,
attends or speaks at which meeting, which committee organizes it, which documents it references
and who holds which position. The work is done by the partygraph Rust library; this package
gives it to Python:

- :class:`Extractor` reads articles: ``extract`` gives the record of one article (exactly a line
  of ``partygraph build --format jsonl``), ``extract_many`` many, on Rust threads;
- :func:`build` builds the graph of files and records, :func:`merge` merges records and graphs,
  both into the node-link graph ``partygraph build`` writes as JSON;
- :func:`to_networkx` and :func:`to_pandas` hand a graph to networkx and pandas;
- :func:`evidence` gives the sentences an edge (or a record's relation) was read from: each
  sentence is stored once, in ``graph["graph"]["sentences"]`` (a record's ``sentences``), and
  edges point into it by position;
- :mod:`partygraph.spark` builds a corpus graph on Apache Spark.

>>> import partygraph
>>> text = ("Ngày 5/3/2024, Tỉnh ủy Nghệ An tổ chức hội nghị. "
...         "Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy, chủ trì hội nghị.")
>>> graph = partygraph.build([{"id": "bai-1", "text": text}])
>>> [(e["source"], e["kind"]) for e in graph["edges"] if e["kind"] == "chairs"]
[('person:nguyen-van-an', 'chairs')]
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ._partygraph import Extractor, GazetteerError, __version__
from ._partygraph import build_json as _build_json
from ._partygraph import is_corpus_file as _is_corpus_file
from ._partygraph import Merger as _Merger

__all__ = [
    "Extractor",
    "GazetteerError",
    "__version__",
    "build",
    "merge",
    "to_networkx",
    "to_pandas",
    "dumps",
    "evidence",
]

_default_extractor: Optional[Extractor] = None


def _extractor(extractor: Optional[Extractor], gazetteers: Any, fold: str) -> Extractor:
    global _default_extractor
    if extractor is not None:
        if not isinstance(extractor, Extractor):
            raise TypeError("extractor must be a partygraph.Extractor")
        return extractor
    if gazetteers is None and fold == "auto":
        if _default_extractor is None:
            _default_extractor = Extractor()
        return _default_extractor
    return Extractor(gazetteers=gazetteers, fold=fold)


def _is_path(x: Any) -> bool:
    return isinstance(x, (str, bytes, os.PathLike))


def build(
    paths_or_records: Union[str, os.PathLike, Iterable[Any]],
    jobs: Optional[int] = None,
    *,
    extractor: Optional[Extractor] = None,
    gazetteers: Any = None,
    fold: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    evidence: str = "text",
) -> dict:
    """The graph of articles, as the node-link dict ``partygraph build`` writes as JSON.

    ``paths_or_records`` is a path, or an iterable of paths and records. A path (``str`` or
    ``os.PathLike``) is an article file, a folder searched for ``.txt``/``.html``/``.htm``, or a
    corpus file of one article per row (``.jsonl``, ``.jsonl.gz``, ``.csv``), as for the command.
    A record is a dict (or a pandas/Spark row) with a ``text`` field and optional ``id``,
    ``url``, ``date``, ``title``, ``source``. Records without an ``id`` are ``record-1``,
    ``record-2``... by position. ``jobs`` threads extract (default: all cores); the GIL is
    released meanwhile. ``evidence`` is the command's ``--evidence``: ``"text"`` (each
    sentence once, in ``graph["sentences"]``), ``"span"`` (the table without the text: document
    and offsets) or ``"none"`` (no evidence; every fact kept); :func:`evidence` reads an edge's.

    Serialized with :func:`dumps`, the result is byte for byte the command's JSON.

    Raises ``OSError`` naming a path that could not be read, ``ValueError`` for a bad record or a
    duplicate ID, ``GazetteerError`` for a malformed gazetteer file. Bad rows of corpus files and
    skipped files are warnings (``UserWarning``), as on the command's stderr.

    >>> g = build([{"id": "a", "text": "Bộ Chính trị họp tại Hà Nội."}])
    >>> "committee:bo-chinh-tri" in [n["id"] for n in g["nodes"]], g["graph"]["documents"][0]["id"]
    (True, 'a')
    >>> g = build([{"id": "a", "text": "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị."}], evidence="span")
    >>> sorted(g["graph"]["sentences"][0])
    ['doc', 'end', 'id', 'start']
    >>> build(["no-such-file.txt"])
    Traceback (most recent call last):
    ...
    FileNotFoundError: no-such-file.txt: no such file or folder
    >>> build([], evidence="all")
    Traceback (most recent call last):
    ...
    ValueError: evidence: unknown evidence mode "all" (expected text, span or none)
    """
    if _is_path(paths_or_records):
        items: Sequence[Any] = [paths_or_records]
    elif isinstance(paths_or_records, Mapping):
        items = [paths_or_records]
    else:
        items = paths_or_records  # type: ignore[assignment]
    paths = []

    def records():
        for item in items:
            if _is_path(item):
                paths.append(os.fsdecode(item))
            else:
                yield item

    recs = list(records())
    ex = _extractor(extractor, gazetteers, fold)
    try:
        return _build_json(paths, recs, ex, jobs, text_field, id_field, evidence)
    except OSError as e:
        # The message is the command's; its kind, when there is one input, the file's error.
        msg = str(e)
        if "\n" not in msg and msg.endswith("no such file or folder"):
            raise FileNotFoundError(msg) from None
        if "\n" not in msg and msg.endswith("permission denied"):
            raise PermissionError(msg) from None
        raise


def merge(records_or_graphs: Iterable[Any], *, evidence: str = "text") -> dict:
    """Merges article records (from :meth:`Extractor.extract`, or lines of
    ``partygraph build --format jsonl``) and node-link graphs (from :func:`build`, :func:`merge`
    or the command) into one node-link graph: the graph building them all at once gives, in any
    order. Items may be dicts or their JSON text; they are merged one at a time (an iterator of
    them is not held whole). ``evidence`` is as for :func:`build` (sentences of graphs built with
    ``"span"`` are not read back from the articles here: ``partygraph merge`` does that).

    >>> ex = Extractor()
    >>> a = ex.extract("Bộ Chính trị họp.", id="a")
    >>> b = ex.extract("Ban Bí thư và Bộ Chính trị họp.", id="b")
    >>> dumps(merge([a, b])) == dumps(merge([b, a])) == dumps(build([{"id": "a", "text": "Bộ Chính trị họp."},
    ...                                                       {"id": "b", "text": "Ban Bí thư và Bộ Chính trị họp."}]))
    True
    >>> merge([{"nodes": 5}])
    Traceback (most recent call last):
    ...
    ValueError: item 1: not a partygraph JSON graph or JSON Lines file: invalid type: integer `5`, expected a sequence at line 1 column 11
    """
    m = _Merger()
    for item in records_or_graphs:
        if isinstance(item, bytes):
            item = item.decode("utf-8")
        if isinstance(item, str):
            m.add(item)
        elif isinstance(item, Mapping):
            m.add(json.dumps(item, ensure_ascii=False))
        else:
            raise TypeError(
                f"merge takes records and graphs as dicts or JSON text, not {type(item).__name__}"
            )
    return m.graph(evidence)


def dumps(graph: Mapping[str, Any]) -> str:
    """A graph or record as the command writes it: compact JSON, UTF-8 characters as they are,
    one line with a newline at the end. ``dumps(build(paths))`` is byte for byte
    ``partygraph build paths``.

    >>> dumps({"id": "bài-1", "x": [1, 0.5]})
    '{"id":"bài-1","x":[1,0.5]}\\n'
    """
    return json.dumps(graph, ensure_ascii=False, separators=(",", ":")) + "\n"


def evidence(graph_or_record: Mapping[str, Any], item: Mapping[str, Any]) -> List[dict]:
    """The sentences an edge of a graph, or a relation of an article record, was read from, as
    dicts ``{"id", "doc", "start", "end", "text"}`` (no ``text`` for a graph written with
    ``--evidence span``; none at all with ``--evidence none``). Edges point into
    ``graph["graph"]["sentences"]`` by position, relations into the record's ``sentences``;
    graphs and records of the older layout, with each sentence written inline, are read too.

    >>> g = build([{"id": "a", "text": "Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị."}])
    >>> chairs = next(e for e in g["edges"] if e["kind"] == "chairs")
    >>> [(s["doc"], s["start"], s["text"][:22]) for s in evidence(g, chairs)]
    [('a', 0, 'Đồng chí Nguyễn Văn An')]
    """
    table = graph_or_record.get("sentences")
    if table is None:
        table = graph_or_record.get("graph", {}).get("sentences", [])
    by_id = None
    found = []
    items = item.get("evidence", [])
    if not isinstance(items, list):  # a record's relation: one sentence
        items = [items]
    for x in items:
        if isinstance(x, Mapping):  # the older layout: the sentence itself
            found.append(dict(x))
            continue
        if 0 <= x < len(table) and table[x].get("id") == x:
            found.append(table[x])
            continue
        if by_id is None:
            by_id = {row["id"]: row for row in table}
        if x not in by_id:
            raise KeyError(f"evidence {x} is not in the sentence table ({len(table)} sentences)")
        found.append(by_id[x])
    return found


def to_networkx(graph: Mapping[str, Any]):
    """The graph as a ``networkx.MultiDiGraph``: node and edge attributes as in the JSON (``kind``,
    ``label``, ``mentions``, ``evidence``, ``dates``...), the edge key as in the JSON, and the
    graph attributes (``generator``, ``documents``, ``sentences``) in ``G.graph``. An edge's
    ``evidence`` lists positions in ``G.graph["sentences"]`` (see :func:`evidence`).

    >>> g = build([{"id": "a", "text": "Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị."}])
    >>> G = to_networkx(g)
    >>> G.nodes["person:nguyen-van-an"]["label"]
    'Nguyễn Văn An'
    >>> sorted(d["kind"] for _, _, d in G.out_edges("person:nguyen-van-an", data=True))
    ['chairs', 'holds_position']
    """
    try:
        import networkx as nx
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "partygraph.to_networkx needs networkx: pip install networkx"
        ) from None
    G = nx.MultiDiGraph()
    G.graph.update(graph.get("graph", {}))
    for n in graph["nodes"]:
        attrs = {k: v for k, v in n.items() if k != "id"}
        G.add_node(n["id"], **attrs)
    for e in graph["edges"]:
        attrs = {k: v for k, v in e.items() if k not in ("source", "target", "key")}
        G.add_edge(e["source"], e["target"], key=e["key"], **attrs)
    return G


def to_pandas(graph: Mapping[str, Any]) -> Tuple[Any, Any]:
    """The graph as two pandas DataFrames, ``(nodes, edges)``: one row per node (columns ``id``,
    ``kind``, ``label``, the attributes, ``aliases`` and ``mentions`` as lists) and one per edge
    (``source``, ``target``, ``key``, ``kind``, ``title``, ``dates``, ``evidence``). An attribute
    a node does not have is missing (``NaN``/``None``).

    >>> g = build([{"id": "a", "text": "Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị."}])
    >>> nodes, edges = to_pandas(g)
    >>> list(nodes.columns[:3]), sorted(edges["kind"])
    (['id', 'kind', 'label'], ['chairs', 'holds_position'])
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("partygraph.to_pandas needs pandas: pip install pandas") from None
    node_cols = ["id", "kind", "label"]
    edge_cols = ["source", "target", "key", "kind", "title", "dates", "evidence"]
    nodes = pd.DataFrame(list(graph["nodes"]))
    edges = pd.DataFrame(list(graph["edges"]))
    for df, first in ((nodes, node_cols), (edges, edge_cols)):
        for c in first:
            if c not in df.columns:
                df[c] = None
    nodes = nodes[node_cols + [c for c in nodes.columns if c not in node_cols]]
    edges = edges[edge_cols + [c for c in edges.columns if c not in edge_cols]]
    return nodes, edges
