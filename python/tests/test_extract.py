import json
import pickle
import threading

import pytest

import partygraph
from partygraph import Extractor

TEXT = (
    "Ngày 5/3/2024, Tỉnh ủy Nghệ An tổ chức hội nghị. "
    "Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy, chủ trì hội nghị."
)
UNDATED = "Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị giao ban."


@pytest.fixture(scope="module")
def ex():
    return Extractor()


def test_extract_is_the_jsonl_record(ex, cli, tmp_path):
    row = {"id": "bai-1", "text": TEXT, "url": "https://example.org/bai-1", "source": "Báo A"}
    (tmp_path / "c.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    out, err, code = cli("build", "--format", "jsonl", "c.jsonl", cwd=tmp_path)
    assert code == 0, err
    line = json.loads(out)
    rec = ex.extract(TEXT, id="bai-1", url="https://example.org/bai-1", source="Báo A")
    # A row of a file has a path (file:line); a text given to extract has its ID.
    assert line["document"].pop("path") == "c.jsonl:1"
    assert rec["document"].pop("path") == "bai-1"
    assert rec == line
    assert partygraph.dumps(rec) == partygraph.dumps(line)


def test_extract_offsets_index_the_text_bytes(ex):
    rec = ex.extract(TEXT)
    raw = TEXT.encode("utf-8")
    assert rec["document"]["id"] == "doc"
    for e in rec["entities"]:
        for m in e["mentions"]:
            assert raw[m["start"]:m["end"]].decode("utf-8") == m["text"]


def test_metadata_date_is_used_without_a_dateline(ex):
    rec = ex.extract(UNDATED, id="a", date="2024-03-05", title="Giao ban")
    assert rec["document"]["date"] == "2024-03-05"
    assert rec["document"]["title"] == "Giao ban"
    held = [r for r in rec["relations"] if r["kind"] == "holds_position"]
    assert held and all(r.get("date") == "2024-03-05" for r in held)
    # The dateline wins over the date given.
    assert ex.extract(TEXT, date="2020-01-01")["document"]["date"] == "2024-03-05"
    # Dates, datetimes and D/M/YYYY are read too.
    import datetime

    assert ex.extract(UNDATED, date=datetime.date(2023, 1, 2))["document"]["date"] == "2023-01-02"
    assert ex.extract(UNDATED, date="2/1/2023")["document"]["date"] == "2023-01-02"


def test_bad_arguments_are_value_and_type_errors(ex):
    with pytest.raises(ValueError, match=r'date "soon" is not a date'):
        ex.extract(UNDATED, date="soon")
    with pytest.raises(TypeError):
        ex.extract(5)
    with pytest.raises(ValueError, match='fold must be "auto", "accents" or "ascii"'):
        Extractor(fold="none")
    with pytest.raises(TypeError, match="gazetteers must be a folder"):
        Extractor(gazetteers=5)


def test_extract_many_keeps_order_and_equals_extract(ex):
    texts = [TEXT, UNDATED, "Bộ Chính trị họp."]
    many = ex.extract_many(texts)
    assert [r["document"]["id"] for r in many] == ["record-1", "record-2", "record-3"]
    for i, t in enumerate(texts):
        one = ex.extract(t, id=f"record-{i + 1}")
        assert many[i] == one
    recs = ex.extract_many([{"id": "x", "text": UNDATED, "date": "2024-03-05"}])
    assert recs[0]["document"]["date"] == "2024-03-05"
    renamed = ex.extract_many([{"body": "Bộ Chính trị họp.", "key": 7}], text_field="body", id_field="key")
    assert renamed[0]["document"]["id"] == "7"
    assert ex.extract_many(texts * 3, jobs=1) == ex.extract_many(texts * 3, jobs=2)


def test_extract_many_bad_records(ex):
    with pytest.raises(ValueError, match=r'^record 2: no "text" field$'):
        ex.extract_many([TEXT, {"id": "b"}])
    with pytest.raises(ValueError, match=r'^record 1: "text" is a number, not a string$'):
        ex.extract_many([{"text": 5}])
    with pytest.raises(TypeError, match="record 1: a str"):
        ex.extract_many([5])
    with pytest.warns(UserWarning, match=r'record 1: warning: date "later" is not a date'):
        got = ex.extract_many([{"text": UNDATED, "date": "later"}])
    assert "date" not in got[0]["document"]
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        ex.extract_many([TEXT], jobs=0)


def test_extract_many_releases_the_gil(ex, articles):
    texts = [t for _, t in articles] * 150
    ticks = 0
    done = threading.Event()

    def tick():
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    t = threading.Thread(target=tick)
    t.start()
    before = ticks
    try:
        ex.extract_many(texts)
        during = ticks - before
    finally:
        done.set()
        t.join()
    # With the GIL held for the whole call, the other thread could not count at all.
    assert during > 1000, during


def test_pickle_rebuilds_from_the_settings(ex, tmp_path):
    back = pickle.loads(pickle.dumps(ex))
    assert isinstance(back, Extractor) and back.fold == "auto" and back.gazetteers is None
    assert back.extract(TEXT) == ex.extract(TEXT)
    gz = tmp_path / "gz"
    gz.mkdir()
    (gz / "mine.entities.tsv").write_text("# mine\nperson\tLê Thị Mẫu\n", encoding="utf-8")
    mine = Extractor(gazetteers=str(gz), fold="accents")
    again = pickle.loads(pickle.dumps(mine))
    assert again.gazetteers == [gz] and again.fold == "accents"
    text = "Bà Lê Thị Mẫu dự họp."
    assert again.extract(text) == mine.extract(text)
    assert repr(again) == f"Extractor(gazetteers={[str(gz)]!r}, fold='accents')"
    assert repr(ex) == "Extractor(gazetteers=None, fold='auto')"


def _extract_in_worker(args):
    ex, text = args
    return ex.extract(text)["entities"]


def test_extractor_goes_to_multiprocessing_workers(ex):
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        got = pool.map(_extract_in_worker, [(ex, TEXT), (ex, UNDATED)])
    assert got == [ex.extract(TEXT)["entities"], ex.extract(UNDATED)["entities"]]


def test_gazetteer_error_names_file_and_line(tmp_path):
    gz = tmp_path / "gz"
    gz.mkdir()
    (gz / "x.entities.tsv").write_text("# x\nperson\tLê Thị Mẫu\nperson\tLe Thi Mau\n", encoding="utf-8")
    with pytest.raises(partygraph.GazetteerError, match=r"x\.entities\.tsv:3: .*duplicate person"):
        Extractor(gazetteers=gz)
    assert issubclass(partygraph.GazetteerError, ValueError)
    with pytest.raises(partygraph.GazetteerError, match="no-such-folder"):
        Extractor(gazetteers=tmp_path / "no-such-folder")
