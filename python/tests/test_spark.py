"""partygraph on Spark in local mode: a corpus of 2,000 articles made from the repository's
examples, in 8 partitions, gives the graph `partygraph build` gives for the same articles as
files, byte for byte, in any partition order."""

import json
import os
import random
import shutil
import sys

import pytest

import partygraph
from partygraph import dumps

from conftest import need

ARTICLES_N = 2000
PARTITIONS = 8

# Names written for these tests (not real people), to add a speaker to each article: people
# recur across articles, so the merge joins mentions from many partitions.
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Quốc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Mai", "Nam", "Phúc", "Sơn", "Tâm"]


def corpus(articles):
    """(id, text, url) of ARTICLES_N articles: the examples, each with a sentence of its own."""
    rng = random.Random(16)
    out = []
    for i in range(ARTICLES_N):
        stem, text = articles[i % len(articles)]
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        extra = f"\n\nĐồng chí {name}, Phó Bí thư Đảng ủy, phát biểu tại hội nghị.\n"
        aid = f"a{i:04d}-{stem[:2]}"
        out.append((aid, text.rstrip("\n") + extra, f"https://example.org/tin/{aid}"))
    return out


@pytest.fixture(scope="module")
def spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        need(False, "pyspark is not installed")
    need(shutil.which("java") or os.environ.get("JAVA_HOME"), "Java is not installed (Spark needs Java 17)")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("partygraph-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(PARTITIONS))
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def rows(articles):
    return corpus(articles)


@pytest.fixture(scope="module")
def reference(rows, cli, tmp_path_factory):
    """The command's graph of the same articles, written out as files."""
    d = tmp_path_factory.mktemp("corpus")
    for aid, text, _ in rows:
        (d / f"{aid}.txt").write_text(text, encoding="utf-8")
    out, err, code = cli("build", "-q", "-o", d / "graph.json", d)
    assert code == 0, err
    return json.loads((d / "graph.json").read_text(encoding="utf-8"))


def frame(spark, rows, order):
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(c, StringType(), False) for c in ("id", "text", "url")])
    rdd = spark.sparkContext.parallelize([rows[i] for i in order], PARTITIONS)
    return spark.createDataFrame(rdd, schema)


def without_path_and_url(docs):
    return [{k: v for k, v in d.items() if k not in ("path", "url")} for d in docs]


def test_spark_graph_is_the_commands(spark, rows, reference):
    from partygraph import spark as pgs

    df = frame(spark, rows, range(len(rows)))
    assert df.rdd.getNumPartitions() == PARTITIONS
    g = pgs.build_graph(df)
    assert len(g["graph"]["documents"]) == ARTICLES_N
    assert len(g["nodes"]) > ARTICLES_N  # a meeting per article, people, committees...
    assert dumps(g["nodes"]) == dumps(reference["nodes"])
    assert dumps(g["edges"]) == dumps(reference["edges"])
    assert without_path_and_url(g["graph"]["documents"]) == without_path_and_url(
        reference["graph"]["documents"]
    )
    first = g["graph"]["documents"][0]
    assert first["url"] == f"https://example.org/tin/{first['id']}"
    test_spark_graph_is_the_commands.bytes = dumps(g)


def test_partitions_in_another_order_give_the_same_bytes(spark, rows):
    from partygraph import spark as pgs

    order = list(range(len(rows)))
    random.Random(7).shuffle(order)
    df = frame(spark, rows, order)
    again = dumps(pgs.build_graph(df))
    first = getattr(test_spark_graph_is_the_commands, "bytes", None)
    if first is None:
        first = dumps(pgs.build_graph(frame(spark, rows, range(len(rows)))))
    assert again == first


def test_write_graph_writes_what_the_command_writes(spark, rows, reference, cli, tmp_path):
    from partygraph import spark as pgs

    df = frame(spark, rows, range(len(rows)))
    got = pgs.write_graph(df, tmp_path / "graph.json")
    assert got == {"articles": ARTICLES_N, "nodes": len(reference["nodes"]), "edges": len(reference["edges"])}
    written = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert dumps(written["nodes"]) == dumps(reference["nodes"])
    assert (tmp_path / "graph.json").read_text(encoding="utf-8") == dumps(written)
    pgs.write_graph(df, tmp_path / "import", "neo4j")
    out, err, code = cli("merge", "-q", "--format", "neo4j", "-o", tmp_path / "ref-import", tmp_path / "graph.json")
    assert code == 0, err
    for f in ("nodes.csv", "relationships.csv"):
        assert (tmp_path / "import" / f).read_bytes() == (tmp_path / "ref-import" / f).read_bytes()
    with pytest.raises(ValueError, match="unknown format 'svg'"):
        pgs.write_graph(df, tmp_path / "g.svg", "svg")


def test_extract_partitions_gives_the_jsonl_records(spark, rows):
    from partygraph import spark as pgs

    df = frame(spark, rows[:40], range(40))
    built = spark.sparkContext.accumulator(0)
    out = pgs.extract_partitions(df, _built=built).collect()
    assert built.value == PARTITIONS  # one extractor per partition, not per row
    assert sorted(r["id"] for r in out) == sorted(r[0] for r in rows[:40])
    ex = partygraph.Extractor()
    by_id = {r["id"]: json.loads(r["record"]) for r in out}
    aid, text, url = rows[3]
    assert by_id[aid] == ex.extract(text, id=aid, url=url)


def test_spark_bad_input(spark, rows):
    from partygraph import spark as pgs

    df = frame(spark, rows[:4], range(4))
    with pytest.raises(ValueError, match=r'no "body" column \(it has: id, text, url\)'):
        pgs.extract_partitions(df, text_col="body")
    with pytest.raises(ValueError, match="id_col is required"):
        pgs.extract_partitions(df, id_col=None)
    with pytest.raises(partygraph.GazetteerError, match="no-such-folder"):
        pgs.extract_partitions(df, gazetteers="no-such-folder")
    dup = df.union(df.limit(1))
    with pytest.raises(ValueError, match=r'duplicate id "a0000-01"'):
        pgs.build_graph(dup)
