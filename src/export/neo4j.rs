//! Neo4j CSV: `nodes.csv` and `relationships.csv` in the `neo4j-admin database import` header
//! format, for users whose graph outgrows files.
//!
//! - `nodes.csv`: `id:ID`, `:LABEL` (`Person`, `Committee`, `Resolution`, `Meeting`,
//!   `Organization`, `Place`), then the properties: `name` (the label), `kind`, and the rest with
//!   their types in the header (`mentions:int`, `confidence:float`, `aliases:string[]`...).
//! - `relationships.csv`: `:START_ID`, `:END_ID`, `:TYPE` (`CHAIRS`, `ATTENDS`, `SPEAKS_AT`,
//!   `ORGANIZES`, `REFERENCES`, `HOLDS_POSITION`, `ISSUED_BY`, `PART_OF`, `AUTHORED`, or
//!   `CO_ATTENDS` in the projection), then the properties.
//!
//! Fields are quoted as RFC 4180 says (when they hold `,`, `"` or a line break; `"` doubled),
//! records end with CRLF. Arrays use `;` as delimiter (`--array-delimiter=";"`); a `;` inside an
//! array element is written as `,` since the import format cannot escape it. Line breaks inside
//! values are written as spaces, so the import needs no `--multiline-fields`. Empty values are
//! left empty, which the import reads as "no property". Dates stay strings (`date`, `dates`),
//! since many are partial (`2017-03`).

use super::model::{PropType, PropValue, PropertyGraph};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The array delimiter of the CSV files (pass it to `neo4j-admin` as `--array-delimiter=";"`).
pub const ARRAY_DELIMITER: char = ';';

/// Quotes one CSV field as RFC 4180 says: in double quotes, with inner quotes doubled, when it
/// holds a comma, a quote or a line break.
///
/// ```
/// use partygraph::export::csv_field;
/// assert_eq!(csv_field("Lê Văn A"), "Lê Văn A");
/// assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
/// ```
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One line of text: every run of whitespace (line breaks included) becomes one space, other
/// control characters are dropped.
fn one_line(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn type_suffix(t: PropType) -> &'static str {
    match t {
        PropType::String => "",
        PropType::Int => ":int",
        PropType::Float => ":float",
        PropType::StringList => ":string[]",
        PropType::IntList => ":int[]",
    }
}

fn value_field(v: &PropValue) -> String {
    let text = match v {
        PropValue::String(s) => one_line(s),
        PropValue::Int(i) => i.to_string(),
        PropValue::Float(f) if f.is_finite() => f.to_string(),
        PropValue::Float(_) => String::new(),
        PropValue::StringList(l) => l
            .iter()
            .map(|x| one_line(x).replace(ARRAY_DELIMITER, ","))
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(&ARRAY_DELIMITER.to_string()),
        PropValue::IntList(l) => l
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(&ARRAY_DELIMITER.to_string()),
    };
    csv_field(&text)
}

/// The Neo4j label of a node kind: `person` → `Person`.
fn label_of(kind: &str) -> String {
    let mut c = kind.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn record(w: &mut impl Write, fields: &[String]) -> io::Result<()> {
    w.write_all(fields.join(",").as_bytes())?;
    w.write_all(b"\r\n")
}

/// Writes the two CSV files of a graph (the knowledge graph, or a projection) to two writers.
///
/// ```
/// use partygraph::{export, KnowledgeGraph};
/// let (mut nodes, mut rels) = (Vec::new(), Vec::new());
/// export::write_neo4j_csv(&KnowledgeGraph::new(), &mut nodes, &mut rels).unwrap();
/// assert!(String::from_utf8(nodes).unwrap().starts_with("id:ID,:LABEL,name,"));
/// assert!(String::from_utf8(rels).unwrap().starts_with(":START_ID,:END_ID,:TYPE,"));
/// ```
pub fn write_neo4j_csv(
    graph: impl Into<PropertyGraph>,
    mut nodes: impl Write,
    mut relationships: impl Write,
) -> io::Result<()> {
    let pg: PropertyGraph = graph.into();
    // `label` becomes `name` (Neo4j's usual caption property); `kind` is kept as a property too.
    let prop_name = |n: &str| {
        if n == "label" {
            "name".to_string()
        } else {
            n.to_string()
        }
    };
    let node_keys: Vec<_> = pg.node_keys.iter().filter(|k| k.name != "kind").collect();
    let node_keys: Vec<_> = node_keys
        .iter()
        .filter(|k| k.name == "label")
        .chain(node_keys.iter().filter(|k| k.name != "label"))
        .copied()
        .collect();
    let mut header = vec!["id:ID".to_string(), ":LABEL".to_string()];
    header.extend(
        node_keys
            .iter()
            .map(|k| format!("{}{}", prop_name(k.name), type_suffix(k.ty))),
    );
    header.push("kind".into());
    record(&mut nodes, &header)?;
    for n in &pg.nodes {
        let mut row = vec![csv_field(&n.id), csv_field(&label_of(&n.kind))];
        row.extend(
            node_keys
                .iter()
                .map(|k| n.props.get(k.name).map(value_field).unwrap_or_default()),
        );
        row.push(csv_field(&n.kind));
        record(&mut nodes, &row)?;
    }
    nodes.flush()?;

    let edge_keys: Vec<_> = pg.edge_keys.iter().filter(|k| k.name != "kind").collect();
    let mut header = vec![
        ":START_ID".to_string(),
        ":END_ID".to_string(),
        ":TYPE".to_string(),
    ];
    header.extend(
        edge_keys
            .iter()
            .map(|k| format!("{}{}", k.name, type_suffix(k.ty))),
    );
    record(&mut relationships, &header)?;
    for e in &pg.edges {
        let mut row = vec![
            csv_field(&e.source),
            csv_field(&e.target),
            csv_field(&e.kind.to_ascii_uppercase()),
        ];
        row.extend(
            edge_keys
                .iter()
                .map(|k| e.props.get(k.name).map(value_field).unwrap_or_default()),
        );
        record(&mut relationships, &row)?;
    }
    relationships.flush()
}

/// Writes `nodes.csv` and `relationships.csv` into the folder `dir`, atomically: when `dir` does
/// not exist, both files are written into a temporary folder beside it which is then renamed to
/// `dir`; when it exists, each file is written to a temporary file in it and renamed into place
/// after both were written. On failure no partial file is left behind.
///
/// ```
/// use partygraph::{export, KnowledgeGraph};
/// let dir = std::env::temp_dir().join(format!("partygraph-doc-neo4j-{}", std::process::id()));
/// export::write_neo4j_dir(&KnowledgeGraph::new(), &dir).unwrap();
/// assert!(dir.join("nodes.csv").is_file() && dir.join("relationships.csv").is_file());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn write_neo4j_dir(graph: impl Into<PropertyGraph>, dir: &Path) -> io::Result<()> {
    let pg: PropertyGraph = graph.into();
    if dir.exists() {
        if !dir.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "exists and is not a folder (neo4j output is a folder)",
            ));
        }
        let tmp_nodes = super::temp_beside(&dir.join("nodes.csv"));
        let tmp_rels = super::temp_beside(&dir.join("relationships.csv"));
        let res = (|| {
            write_pair(pg, &tmp_nodes, &tmp_rels)?;
            std::fs::rename(&tmp_nodes, dir.join("nodes.csv"))?;
            std::fs::rename(&tmp_rels, dir.join("relationships.csv"))
        })();
        if res.is_err() {
            let _ = std::fs::remove_file(&tmp_nodes);
            let _ = std::fs::remove_file(&tmp_rels);
        }
        return res;
    }
    let tmp: PathBuf = super::temp_beside(dir);
    let res = (|| {
        std::fs::create_dir(&tmp)?;
        write_pair(pg, &tmp.join("nodes.csv"), &tmp.join("relationships.csv"))?;
        std::fs::rename(&tmp, dir)
    })();
    if res.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    res
}

fn write_pair(pg: PropertyGraph, nodes: &Path, rels: &Path) -> io::Result<()> {
    let n = std::fs::File::create(nodes)?;
    let r = std::fs::File::create(rels)?;
    let mut nw = io::BufWriter::new(n);
    let mut rw = io::BufWriter::new(r);
    write_neo4j_csv(pg, &mut nw, &mut rw)?;
    let n = nw.into_inner().map_err(|e| e.into_error())?;
    let r = rw.into_inner().map_err(|e| e.into_error())?;
    n.sync_all()?;
    r.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_lists_are_int_arrays() {
        assert_eq!(type_suffix(PropType::IntList), ":int[]");
        assert_eq!(value_field(&PropValue::IntList(vec![0, 52, 7])), "0;52;7");
        assert_eq!(value_field(&PropValue::IntList(Vec::new())), "");
    }
}
