"""partygraph on Apache Spark: extraction as a map over a DataFrame's partitions, and
partygraph's merge as the reduce.

The executors run the extractor, one :class:`partygraph.Extractor` per partition (built from
its pickled settings, not per row), and give a DataFrame of per-article records: the lines
``partygraph build --format jsonl`` writes. The driver collects the records and merges them
(:func:`partygraph.merge`) into exactly the graph that one ``partygraph build`` of the same
articles gives, whatever the partitioning or the order of the partitions::

    from pyspark.sql import SparkSession
    from partygraph import spark as pgs, dumps

    session = SparkSession.builder.getOrCreate()
    df = session.read.parquet("articles.parquet")        # or .json("articles.jsonl")
    records = pgs.extract_partitions(df)                 # DataFrame[id, record]
    records.select("record").write.text("records/")      # the JSON Lines, if wanted
    graph = pgs.build_graph(df)                          # the node-link dict
    pgs.write_graph(df, "import/", "neo4j")              # or straight to a file or folder

Each executor needs the partygraph package installed (and, with ``gazetteers=``, the folders at
the same path). The driver holds the merged graph: see the README for its memory.
"""

from __future__ import annotations

from typing import Any, Iterator, Optional

try:
    import pyspark  # noqa: F401
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StringType, StructField, StructType
except ImportError:  # pragma: no cover - depends on the environment
    raise ImportError(
        "partygraph.spark needs pyspark (pip install pyspark, and Java 17 for Spark itself)"
    ) from None

import json

from . import Extractor, merge
from ._partygraph import Merger as _Merger

__all__ = ["RECORD_SCHEMA", "extract_partitions", "build_graph", "write_graph"]

#: The schema of :func:`extract_partitions`: the document ID, and its record as JSON text.
RECORD_SCHEMA = StructType(
    [
        StructField("id", StringType(), False),
        StructField("record", StringType(), False),
    ]
)

_META = ("url", "date", "title", "source")


def _columns(df: DataFrame, text_col: str, id_col: Optional[str]) -> list:
    cols = df.columns
    if text_col not in cols:
        raise ValueError(
            f'the DataFrame has no "{text_col}" column (it has: {", ".join(cols)}); '
            "name the text column with text_col="
        )
    if id_col is not None and id_col not in cols:
        raise ValueError(
            f'the DataFrame has no "{id_col}" column (it has: {", ".join(cols)}); '
            "give the ID column with id_col= (IDs name the articles in the graph and must be "
            "unique)"
        )
    if id_col is None:
        raise ValueError(
            "id_col is required: on Spark, IDs must come with the rows (a row's position "
            "depends on the partitioning)"
        )
    return [text_col, id_col] + [c for c in _META if c in cols and c not in (text_col, id_col)]


#: Rows extracted per call on an executor: a partition is streamed, not held whole.
_CHUNK = 1024


def _partition_extractor(settings: tuple, text_col: str, id_col: str, built=None):
    gazetteers, fold = settings

    def run(rows: Iterator[Any]) -> Iterator[tuple]:
        # One extractor per partition, built here from the settings (gazetteers, fold).
        ex = Extractor(gazetteers=gazetteers, fold=fold)
        if built is not None:
            built.add(1)
        chunk = []

        def flush():
            for r in ex.extract_many(chunk):
                yield (
                    r["document"]["id"],
                    json.dumps(r, ensure_ascii=False, separators=(",", ":")),
                )
            chunk.clear()

        for row in rows:
            d = row.asDict()
            rec = {"text": d.get(text_col), "id": d.get(id_col)}
            for c in _META:
                if c in d and c not in (text_col, id_col):
                    rec[c] = d[c]
            chunk.append(rec)
            if len(chunk) == _CHUNK:
                yield from flush()
        yield from flush()

    return run


def extract_partitions(
    df: DataFrame,
    text_col: str = "text",
    id_col: Optional[str] = "id",
    *,
    extractor: Optional[Extractor] = None,
    gazetteers: Any = None,
    fold: str = "auto",
    _built=None,
) -> DataFrame:
    """Runs the extractor over the partitions of ``df`` and returns a DataFrame with one row per
    article: ``id`` and ``record`` (its JSON Lines line, as ``partygraph build --format jsonl``
    writes it). ``url``, ``date``, ``title`` and ``source`` columns, when present, are the
    articles' metadata (``date`` as a string, a ``date`` or a timestamp). IDs must be unique.

    Raises ``ValueError`` when a column is missing, ``GazetteerError`` for a bad gazetteer
    folder (on the driver, before any task); a bad row (no text, a text that is not a string)
    fails its task with the row's position in its chunk of the partition.
    ``_built``, an accumulator, counts the extractors built (one per partition; for tests).
    """
    cols = _columns(df, text_col, id_col)
    if extractor is not None:
        settings = (extractor.gazetteers, extractor.fold)
    else:
        # Built once here too, so that a bad setting fails on the driver, before any task.
        settings = (Extractor(gazetteers=gazetteers, fold=fold).gazetteers, fold)
    run = _partition_extractor(settings, text_col, id_col, _built)  # type: ignore[arg-type]
    rdd = df.select(*cols).rdd.mapPartitions(run)
    return df.sparkSession.createDataFrame(rdd, RECORD_SCHEMA)


def build_graph(
    df: DataFrame,
    text_col: str = "text",
    id_col: Optional[str] = "id",
    *,
    extractor: Optional[Extractor] = None,
    gazetteers: Any = None,
    fold: str = "auto",
) -> dict:
    """The node-link graph of the articles of ``df``: :func:`extract_partitions` on the
    executors, then the records collected to the driver and merged (:func:`partygraph.merge`).
    The result is the graph ``partygraph build`` gives for the same articles, the same bytes
    after :func:`partygraph.dumps` whatever the partitioning and partition order (the document
    records differ only in what rows and files carry: a row's ``path`` is its ID, and it may
    have a ``url``).

    Raises ``ValueError`` for a missing column or for two rows with the same ID.
    """
    records = extract_partitions(
        df, text_col, id_col, extractor=extractor, gazetteers=gazetteers, fold=fold
    )
    return merge(_records(records))


def write_graph(
    df: DataFrame,
    path: Any,
    format: str = "json",
    text_col: str = "text",
    id_col: Optional[str] = "id",
    *,
    extractor: Optional[Extractor] = None,
    gazetteers: Any = None,
    fold: str = "auto",
) -> dict:
    """Like :func:`build_graph`, but writes the graph to ``path`` in ``format`` (``json``,
    ``graphml``, ``dot``, ``jsonl``, or ``neo4j``: a folder of import files) as the command does,
    without making a Python dict of it: the driver then holds only the merged graph, a few times
    less than the dict (see the README). Returns ``{"articles": .., "nodes": .., "edges": ..}``.
    ``path`` is on the driver's file system.
    """
    if format not in ("json", "graphml", "dot", "jsonl", "neo4j"):
        raise ValueError(
            f"unknown format {format!r} (expected json, dot, graphml, neo4j or jsonl)"
        )
    records = extract_partitions(
        df, text_col, id_col, extractor=extractor, gazetteers=gazetteers, fold=fold
    )
    m = _Merger()
    for line in _records(records):
        m.add(line)
    m.write(path, format)
    nodes, edges, articles = m.counts()
    return {"articles": articles, "nodes": nodes, "edges": edges}


def _records(records: DataFrame) -> Iterator[str]:
    """The records streamed to the driver partition by partition (merged as they come: the
    driver never holds them all); a second row with an ID is a ``ValueError``."""
    seen = set()
    for row in records.toLocalIterator():
        if row["id"] in seen:
            raise ValueError(f'duplicate id "{row["id"]}": two rows of the DataFrame have it')
        seen.add(row["id"])
        yield row["record"]
