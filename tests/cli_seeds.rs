//! End to end on the real seed articles: the binary builds their graph, every mention's offsets
//! slice the original file to the mention's text, the entities of the gold annotations that the
//! gazetteers know are found, and the JSON loads in Python networkx.

mod common;

use partygraph::text::{Fold, fold};
use partygraph::{EntityKind, Gazetteer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

fn build_seeds() -> Option<(std::path::PathBuf, Value, tempfile::TempDir)> {
    let shared = common::shared_dir()?;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("seeds.json");
    let status = Command::new(env!("CARGO_BIN_EXE_partygraph"))
        .args(["build", "--quiet", "-o"])
        .arg(&out)
        .arg(shared.join("seeds"))
        .status()
        .expect("run partygraph");
    assert!(status.success(), "partygraph build failed: {status}");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("output written"))
        .expect("valid JSON");
    Some((shared, json, dir))
}

#[test]
fn mentions_slice_the_original_files() {
    let Some((shared, json, _dir)) = build_seeds() else {
        return;
    };
    let docs: BTreeMap<String, String> = json["graph"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap().to_string();
            (
                d["id"].as_str().unwrap().to_string(),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    assert_eq!(docs.len(), 5);
    let mut checked = 0;
    for n in json["nodes"].as_array().unwrap() {
        for m in n["mentions"].as_array().unwrap() {
            let text = &docs[m["doc"].as_str().unwrap()];
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e), "{n}");
            assert_eq!(
                &text[s..e],
                m["text"].as_str().unwrap(),
                "mention of {}",
                n["id"]
            );
            checked += 1;
        }
    }
    // Evidence: positions in graph.sentences, each sentence the bytes it names.
    let sentences = json["graph"]["sentences"].as_array().unwrap();
    for e in json["edges"].as_array().unwrap() {
        for id in e["evidence"].as_array().unwrap() {
            let ev = &sentences[id.as_u64().unwrap() as usize];
            let text = &docs[ev["doc"].as_str().unwrap()];
            let (s, t) = (
                ev["start"].as_u64().unwrap() as usize,
                ev["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..t], ev["text"].as_str().unwrap());
        }
    }
    assert!(checked > 50, "only {checked} mentions");
    let _ = shared;
}

#[test]
fn gold_entities_the_gazetteers_know_are_found() {
    let Some((shared, json, _dir)) = build_seeds() else {
        return;
    };
    let g = Gazetteer::embedded().unwrap();
    // Every name a node goes by, folded.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for n in json["nodes"].as_array().unwrap() {
        let id = n["id"].as_str().unwrap().to_string();
        names.insert(
            fold(n["label"].as_str().unwrap(), Fold::Accents),
            id.clone(),
        );
        for a in n["aliases"].as_array().unwrap() {
            names.insert(fold(a.as_str().unwrap(), Fold::Accents), id.clone());
        }
    }
    let mut known = 0;
    for entry in std::fs::read_dir(shared.join("gold")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        for c in gold["committees"].as_array().unwrap() {
            let mut forms = vec![c["name"].as_str().unwrap().to_string()];
            forms.extend(
                c["aliases"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string()),
            );
            if let Some(e) = forms
                .iter()
                .find_map(|f| g.find_by_name(EntityKind::Committee, f))
            {
                known += 1;
                assert!(
                    json["nodes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|n| n["id"] == e.id()),
                    "{}: gazetteer committee {} not in the graph",
                    p.display(),
                    e.name
                );
            }
        }
        for r in gold["resolutions"].as_array().unwrap() {
            if let Some(code) = r["code"].as_str() {
                let hit = json["nodes"].as_array().unwrap().iter().any(|n| {
                    n["kind"] == "resolution"
                        && n["code"]
                            .as_str()
                            .is_some_and(|c| c.replace(' ', "") == code)
                });
                assert!(hit, "{}: resolution {code} not in the graph", p.display());
                known += 1;
            }
        }
        for person in gold["people"].as_array().unwrap() {
            let name = fold(person["name"].as_str().unwrap(), Fold::Accents);
            assert!(
                names.contains_key(&name),
                "{}: person {name} not in the graph",
                p.display()
            );
        }
    }
    assert!(
        known >= 5,
        "only {known} gold entities are in the gazetteers"
    );
}

#[test]
fn json_loads_in_networkx() {
    let Some((_shared, json, dir)) = build_seeds() else {
        return;
    };
    if !common::tools::have_networkx() {
        return;
    }
    let path = dir.path().join("seeds.json");
    let script = format!(
        "import json, networkx as nx\n\
         g = nx.node_link_graph(json.load(open({:?})), edges='edges')\n\
         assert g.is_directed() and g.is_multigraph()\n\
         print(g.number_of_nodes(), g.number_of_edges())\n",
        path.display().to_string()
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    let counts: Vec<usize> = printed
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(counts[0], json["nodes"].as_array().unwrap().len());
    assert_eq!(counts[1], json["edges"].as_array().unwrap().len());
}
