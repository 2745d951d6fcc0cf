//! `partygraph._partygraph`: the Rust half of the Python package, a thin layer over the
//! partygraph library. The Python half (`partygraph/__init__.py`) documents the API and adds
//! networkx, pandas and Spark.
//!
//! Records cross the boundary as the library's own JSON (an article's JSON Lines line, the
//! node-link graph), parsed by Python's `json`: what Python gets is exactly what the command
//! writes.

use partygraph::corpus::rows::{self, Article, Fields, Ids, RowFormat};
use partygraph::corpus::{self, InputError};
use partygraph::identity::Roster;
use partygraph::{Extractor, FoldMode, Gazetteer, KnowledgeGraph, batch, export};
use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyTypeError, PyUserWarning, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::sync::Arc;

create_exception!(
    _partygraph,
    GazetteerError,
    PyValueError,
    "A gazetteer file is malformed: the message names the file and line."
);

/// Records converted and extracted per round: the GIL is released while a round is extracted.
const ROUND: usize = 1024;

fn fold_mode(fold: &str) -> PyResult<FoldMode> {
    match fold {
        "auto" => Ok(FoldMode::Auto),
        "accents" => Ok(FoldMode::Accents),
        "ascii" => Ok(FoldMode::Ascii),
        _ => Err(PyValueError::new_err(format!(
            "fold must be \"auto\", \"accents\" or \"ascii\", not {fold:?}"
        ))),
    }
}

/// Extracts entities and relations from articles; built once, shared by threads.
#[pyclass(module = "partygraph._partygraph", name = "Extractor", frozen)]
struct PyExtractor {
    inner: Arc<Extractor>,
    gazetteers: Option<Vec<PathBuf>>,
    fold: String,
}

/// What an extractor is built from: its gazetteer folders and fold mode.
type Settings = (Option<Vec<PathBuf>>, String);

/// `None`, one path or a list of paths.
fn gazetteer_dirs(g: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<PathBuf>>> {
    let Some(g) = g.filter(|g| !g.is_none()) else {
        return Ok(None);
    };
    if let Ok(p) = g.extract::<PathBuf>() {
        return Ok(Some(vec![p]));
    }
    let mut dirs = Vec::new();
    for item in g.try_iter().map_err(|_| {
        PyTypeError::new_err("gazetteers must be a folder (str or os.PathLike) or a list of them")
    })? {
        dirs.push(item?.extract::<PathBuf>().map_err(|_| {
            PyTypeError::new_err(
                "gazetteers must be a folder (str or os.PathLike) or a list of them",
            )
        })?);
    }
    Ok(Some(dirs))
}

/// A metadata or text value of a Python record, as the JSON value a corpus row would hold.
fn json_value(v: &Bound<'_, PyAny>) -> PyResult<Value> {
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::String(s.extract::<String>()?));
    }
    if v.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(v.extract()?));
    }
    if v.is_instance_of::<PyInt>() {
        return Ok(match v.extract::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(v.str()?.extract::<String>()?),
        });
    }
    if v.is_instance_of::<PyFloat>() {
        let x: f64 = v.extract()?;
        // pandas writes a missing value as NaN.
        return Ok(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number));
    }
    // Dates and times (datetime.date, pandas.Timestamp): their ISO form.
    if let Ok(iso) = v.call_method0("isoformat") {
        return Ok(Value::String(iso.extract()?));
    }
    if v.cast::<PyDict>().is_ok() {
        return Ok(Value::Object(Map::new()));
    }
    if v.cast::<PyList>().is_ok() {
        return Ok(Value::Array(Vec::new()));
    }
    Ok(Value::Object(Map::new()))
}

/// One Python record (a text, or a mapping with a text field and metadata) as an article; the
/// metadata warnings are issued as Python warnings. `n` counts records from 1.
fn record_article(
    py: Python<'_>,
    item: &Bound<'_, PyAny>,
    n: usize,
    fields: &Fields,
) -> PyResult<Article> {
    if let Ok(s) = item.cast::<PyString>() {
        return Ok(Article::new(s.extract::<String>()?));
    }
    let mapping = if item.cast::<PyDict>().is_ok() || item.hasattr("keys")? {
        item.clone()
    } else if item.hasattr("asDict")? {
        // A Spark Row.
        item.call_method0("asDict")?
    } else {
        return Err(PyTypeError::new_err(format!(
            "record {n}: a str (the text) or a dict with a \"{}\" field, not {}",
            fields.text,
            item.get_type().name()?
        )));
    };
    let mut map = Map::new();
    for name in [
        fields.text.as_str(),
        fields.id.as_str(),
        "url",
        "date",
        "title",
        "source",
    ] {
        match mapping.get_item(name) {
            Ok(v) => {
                map.insert(name.to_string(), json_value(&v)?);
            }
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => {}
            Err(e) => return Err(e),
        }
    }
    let (article, warnings) = Article::from_json(&map, fields)
        .map_err(|p| PyValueError::new_err(format!("record {n}: {p}")))?;
    for w in warnings {
        warn(py, &format!("record {n}: warning: {w}"))?;
    }
    Ok(article)
}

fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let c = std::ffi::CString::new(message.replace('\0', " ")).unwrap_or_default();
    PyErr::warn(py, &py.get_type::<PyUserWarning>(), &c, 1)
}

fn json_loads(py: Python<'_>, text: &[u8]) -> PyResult<Py<PyAny>> {
    let text = std::str::from_utf8(text).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

/// The line the command writes for an article, as a Python dict.
fn record_dict(py: Python<'_>, x: &partygraph::Extraction) -> PyResult<Py<PyAny>> {
    let mut line = Vec::new();
    export::write_extraction(x, &mut line).map_err(|e| PyOSError::new_err(e.to_string()))?;
    json_loads(py, &line)
}

/// Runs `f` on a pool of `jobs` threads, or on the shared pool when `None`.
fn on_pool<T: Send>(jobs: Option<usize>, f: impl FnOnce() -> T + Send) -> PyResult<T> {
    match jobs {
        None => Ok(f()),
        Some(0) => Err(PyValueError::new_err("jobs must be at least 1")),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| PyOSError::new_err(e.to_string()))?;
            Ok(pool.install(f))
        }
    }
}

#[pymethods]
impl PyExtractor {
    #[new]
    #[pyo3(signature = (gazetteers=None, fold="auto"))]
    fn new(gazetteers: Option<&Bound<'_, PyAny>>, fold: &str) -> PyResult<PyExtractor> {
        let dirs = gazetteer_dirs(gazetteers)?;
        let mut b = Extractor::builder().fold(fold_mode(fold)?);
        for d in dirs.iter().flatten() {
            b = b.gazetteer_dir(d);
        }
        let inner = b
            .build()
            .map_err(|e| GazetteerError::new_err(e.to_string()))?;
        Ok(PyExtractor {
            inner: Arc::new(inner),
            gazetteers: dirs,
            fold: fold.to_string(),
        })
    }

    /// The gazetteer folders it was built with (`None`: the embedded gazetteers only).
    #[getter]
    fn gazetteers(&self) -> Option<Vec<PathBuf>> {
        self.gazetteers.clone()
    }

    /// The fold mode: auto, accents or ascii.
    #[getter]
    fn fold(&self) -> String {
        self.fold.clone()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let gazetteers = match &self.gazetteers {
            None => "None".to_string(),
            Some(d) => {
                let names: Vec<String> = d.iter().map(|p| p.display().to_string()).collect();
                PyList::new(py, names)?.repr()?.extract()?
            }
        };
        let fold: String = PyString::new(py, &self.fold).repr()?.extract()?;
        Ok(format!("Extractor(gazetteers={gazetteers}, fold={fold})"))
    }

    /// Pickled as its settings: it is built again from them where it is unpickled.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Settings)> {
        let me = slf.get();
        Ok((
            slf.getattr("__class__")?,
            (me.gazetteers.clone(), me.fold.clone()),
        ))
    }

    #[pyo3(signature = (text, id=None, url=None, date=None, title=None, source=None))]
    #[allow(clippy::too_many_arguments)]
    fn extract(
        &self,
        py: Python<'_>,
        text: &str,
        id: Option<&Bound<'_, PyAny>>,
        url: Option<&Bound<'_, PyAny>>,
        date: Option<&Bound<'_, PyAny>>,
        title: Option<&Bound<'_, PyAny>>,
        source: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let mut map = Map::new();
        map.insert("text".into(), Value::String(text.to_string()));
        for (name, v) in [
            ("id", id),
            ("url", url),
            ("date", date),
            ("title", title),
            ("source", source),
        ] {
            if let Some(v) = v {
                map.insert(name.into(), json_value(v)?);
            }
        }
        let (article, warnings) = Article::from_json(&map, &Fields::default())
            .map_err(|p| PyValueError::new_err(p.to_string()))?;
        if let Some(w) = warnings.first() {
            // An argument given that cannot be used is a mistake, not a row to skip.
            return Err(PyValueError::new_err(
                w.trim_end_matches("; ignored").to_string(),
            ));
        }
        let id = article.id.clone().unwrap_or_else(|| "doc".to_string());
        let info = article.info(&id, &id);
        let ex = Arc::clone(&self.inner);
        let x = py.detach(move || ex.extract(info, &article.text));
        record_dict(py, &x)
    }

    #[pyo3(signature = (records, text_field="text", id_field="id", jobs=None))]
    fn extract_many(
        &self,
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        text_field: &str,
        id_field: &str,
        jobs: Option<usize>,
    ) -> PyResult<Py<PyList>> {
        let fields = Fields {
            text: text_field.to_string(),
            id: id_field.to_string(),
        };
        let out = PyList::empty(py);
        let mut round: Vec<batch::Job> = Vec::new();
        let mut n = 0usize;
        let flush = |round: &mut Vec<batch::Job>| -> PyResult<()> {
            let todo = std::mem::take(round);
            let ex = Arc::clone(&self.inner);
            let done: Vec<partygraph::Extraction> = py.detach(move || {
                on_pool(jobs, move || {
                    let mut done = Vec::with_capacity(todo.len());
                    batch::run_jobs(&ex, todo.into_iter().map(Ok), |o| {
                        if let batch::Outcome::Done(x, _) = o {
                            done.push((**x).clone());
                        }
                        true
                    });
                    done
                })
            })?;
            for x in &done {
                out.append(record_dict(py, x)?)?;
            }
            Ok(())
        };
        for item in records.try_iter()? {
            n += 1;
            let a = record_article(py, &item?, n, &fields)?;
            let id = a.id.clone().unwrap_or_else(|| format!("record-{n}"));
            round.push(batch::Job::new(a.info(&id, &id), a.text));
            if round.len() == ROUND {
                flush(&mut round)?;
            }
        }
        flush(&mut round)?;
        Ok(out.unbind())
    }
}

/// What a build met: problems with inputs and warnings.
#[derive(Default)]
struct Report {
    errors: Vec<InputError>,
    warnings: Vec<String>,
}

impl Report {
    fn outcome(&mut self, g: &mut KnowledgeGraph, o: &batch::Outcome) {
        match o {
            batch::Outcome::Done(x, w) => {
                self.warnings.extend(w.iter().map(|w| w.to_string()));
                g.add_from(x);
            }
            batch::Outcome::Part(x) => g.add_from(x),
            batch::Outcome::Failed(e) if e.is_warning() => self.warnings.push(e.to_string()),
            batch::Outcome::Failed(e) => self.errors.push(e.clone()),
        }
    }
}

/// Builds the node-link JSON of article files and corpus files (`paths`) and records.
#[pyfunction]
#[pyo3(signature = (paths, records, extractor, jobs=None, text_field="text", id_field="id", evidence="text"))]
#[allow(clippy::too_many_arguments)]
fn build_json(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    records: &Bound<'_, PyAny>,
    extractor: &Bound<'_, PyExtractor>,
    jobs: Option<usize>,
    text_field: &str,
    id_field: &str,
    evidence: &str,
) -> PyResult<Py<PyAny>> {
    let evidence = evidence_mode(evidence)?;
    let fields = Fields {
        text: text_field.to_string(),
        id: id_field.to_string(),
    };
    let mut report = Report::default();
    let mut ids = Ids::default();
    let (inputs, row_files) = if paths.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let (inputs, errors) = corpus::collect(&paths);
        for e in errors {
            match e.is_warning() {
                true => report.warnings.push(e.to_string()),
                false => report.errors.push(e),
            }
        }
        rows::split(inputs)
    };
    for i in &inputs {
        let _ = ids.claim(&i.id, &i.source.to_string());
    }
    // Records first through the ID check (it needs no file), converted while the GIL is held.
    let mut jobs_of_records = Vec::new();
    let mut n = 0usize;
    for item in records.try_iter()? {
        n += 1;
        let a = record_article(py, &item?, n, &fields)?;
        let id = a.id.clone().unwrap_or_else(|| format!("record-{n}"));
        let at = format!("record {n}");
        if let Err(first) = ids.claim(&id, &at) {
            return Err(PyValueError::new_err(format!(
                "{at}: duplicate id \"{id}\" (also the ID of {first})"
            )));
        }
        jobs_of_records.push(batch::Job::new(a.info(&id, &id), a.text));
    }
    let ex = Arc::clone(&extractor.get().inner);
    let (json, report) = py.detach(move || {
        on_pool(jobs, move || {
            let mut g = KnowledgeGraph::new();
            batch::run_borrowed(&ex, &inputs, |o| {
                report.outcome(&mut g, o);
                true
            });
            for file in &row_files {
                match rows::RowReader::open(file.path(), &fields) {
                    Ok(r) => batch::run_jobs(&ex, rows::jobs(r, &file.id, &mut ids), |o| {
                        report.outcome(&mut g, o);
                        true
                    }),
                    Err(e) => report.errors.push(e),
                }
            }
            batch::run_jobs(&ex, jobs_of_records.into_iter().map(Ok), |o| {
                report.outcome(&mut g, o);
                true
            });
            // Who is who, decided on the whole corpus (as the command does).
            g.settle_people(&Roster::from_gazetteer(ex.gazetteer()));
            let mut json = Vec::new();
            let written = export::write_json_with(&g, evidence, &mut json);
            (written.map(|_| json), report)
        })
    })?;
    for w in &report.warnings {
        warn(py, w)?;
    }
    if !report.errors.is_empty() {
        let message = report
            .errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        // A duplicate ID is bad input; anything else is a file that could not be read.
        return Err(
            match report
                .errors
                .iter()
                .all(|e| e.message.starts_with("duplicate id"))
            {
                true => PyValueError::new_err(message),
                false => PyOSError::new_err(message),
            },
        );
    }
    let json = json.map_err(|e| PyOSError::new_err(e.to_string()))?;
    json_loads(py, &json)
}

/// Merges records and graphs given one at a time as JSON text (article records as JSON Lines
/// lines, node-link graphs): what is held is the merged graph, not the texts.
#[pyclass(module = "partygraph._partygraph", name = "Merger")]
struct PyMerger {
    graph: KnowledgeGraph,
    items: usize,
    /// The listed people and provinces that tell namesakes apart.
    roster: Roster,
    /// Whether who is who was decided since the last item.
    settled: bool,
}

impl PyMerger {
    /// Decides who is who on everything merged, once after each change.
    fn settle(&mut self, py: Python<'_>) {
        if !self.settled {
            let (graph, roster) = (&mut self.graph, &self.roster);
            py.detach(|| graph.settle_people(roster));
            self.settled = true;
        }
    }
}

#[pymethods]
impl PyMerger {
    #[new]
    fn new() -> PyMerger {
        PyMerger {
            graph: KnowledgeGraph::new(),
            items: 0,
            roster: Gazetteer::embedded()
                .map(|g| Roster::from_gazetteer(&g))
                .unwrap_or_default(),
            settled: true,
        }
    }

    /// Merges one record or graph (JSON text); `ValueError` names the item (from 1).
    fn add(&mut self, py: Python<'_>, text: &str) -> PyResult<()> {
        self.items += 1;
        self.settled = false;
        let n = self.items;
        let text = text.trim();
        if text.is_empty() {
            return Err(PyValueError::new_err(format!(
                "item {n}: empty: not a record or a graph"
            )));
        }
        let graph = &mut self.graph;
        py.detach(|| export::read_graph(text.as_bytes(), graph))
            .map(|_| ())
            .map_err(|e| {
                PyValueError::new_err(format!(
                    "item {n}: {}",
                    e.to_string().trim_start_matches("line 1: ")
                ))
            })
    }

    /// The records and graphs added so far.
    #[getter]
    fn items(&self) -> usize {
        self.items
    }

    /// Nodes, edges and articles of the merged graph.
    fn counts(&mut self, py: Python<'_>) -> (usize, usize, usize) {
        self.settle(py);
        (
            self.graph.node_count(),
            self.graph.edge_count(),
            self.graph.documents().len(),
        )
    }

    /// Writes the merged graph to `path` in `format` (json, jsonl, graphml, dot, or neo4j: a
    /// folder) as the command does: a file is written to a temporary file renamed into place.
    #[pyo3(signature = (path, format="json", evidence="text"))]
    fn write(
        &mut self,
        py: Python<'_>,
        path: PathBuf,
        format: &str,
        evidence: &str,
    ) -> PyResult<()> {
        let format: export::Format = format.parse().map_err(PyValueError::new_err)?;
        let evidence = evidence_mode(evidence)?;
        self.settle(py);
        let graph = &self.graph;
        let out = export::Output::Graph(graph);
        let res = py.detach(|| -> std::io::Result<()> {
            if format.is_folder() {
                return export::write_neo4j_with(out, evidence, &path);
            }
            let tmp = export::temp_beside(&path);
            let written = (|| {
                let f = std::fs::File::create(&tmp)?;
                let mut w = std::io::BufWriter::new(f);
                let options = export::WriteOptions {
                    evidence,
                    ..export::WriteOptions::default()
                };
                export::write(out, format, &options, &mut w)?;
                std::io::Write::flush(&mut w)?;
                std::fs::rename(&tmp, &path)
            })();
            if written.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            written
        });
        res.map_err(|e| {
            PyOSError::new_err(format!(
                "{}: cannot write: {}",
                path.display(),
                corpus::describe_io(&e)
            ))
        })
    }

    /// The merged graph, as the node-link dict the command writes as JSON.
    #[pyo3(signature = (evidence="text"))]
    fn graph(&mut self, py: Python<'_>, evidence: &str) -> PyResult<Py<PyAny>> {
        let evidence = evidence_mode(evidence)?;
        self.settle(py);
        let graph = &self.graph;
        let json = py.detach(|| {
            let mut json = Vec::new();
            export::write_json_with(graph, evidence, &mut json).map(|_| json)
        });
        let json = json.map_err(|e| PyOSError::new_err(e.to_string()))?;
        json_loads(py, &json)
    }
}

/// The evidence mode named `name` (`text`, `span` or `none`); a `ValueError` naming it else.
fn evidence_mode(name: &str) -> PyResult<export::EvidenceMode> {
    name.parse()
        .map_err(|m: String| PyValueError::new_err(format!("evidence: {m}")))
}

/// Whether `path` names a corpus file (one article per row).
#[pyfunction]
fn is_corpus_file(path: PathBuf) -> bool {
    RowFormat::of(&path).is_some()
}

#[pymodule]
fn _partygraph(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyExtractor>()?;
    m.add_function(wrap_pyfunction!(build_json, m)?)?;
    m.add_class::<PyMerger>()?;
    m.add_function(wrap_pyfunction!(is_corpus_file, m)?)?;
    m.add("GazetteerError", m.py().get_type::<GazetteerError>())?;
    m.add("__version__", partygraph::VERSION)?;
    Ok(())
}
