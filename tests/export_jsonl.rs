//! JSON Lines and merging: merging JSON Lines files and earlier JSON graphs gives, byte for
//! byte, the JSON of building everything at once.

mod export_support;

use export_support::*;
use partygraph::export::{self, GraphFile, read_graph, write_extraction, write_json, write_jsonl};
use partygraph::{Extractor, KnowledgeGraph, batch, corpus};

fn json_of(g: &KnowledgeGraph) -> String {
    let mut out = Vec::new();
    write_json(g, &mut out).expect("json");
    String::from_utf8(out).expect("utf-8")
}

fn lines(exs: &[partygraph::Extraction]) -> Vec<u8> {
    let mut out = Vec::new();
    for ex in exs {
        write_extraction(ex, &mut out).expect("line");
    }
    out
}

#[test]
fn one_line_per_article() {
    let exs = synthetic_extractions(30, 8);
    let text = String::from_utf8(lines(&exs)).unwrap();
    assert_eq!(text.lines().count(), exs.len());
    for (line, ex) in text.lines().zip(&exs) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["document"]["id"], ex.document.id.as_str());
        assert!(v["entities"][0]["mentions"].is_array());
        if !ex.relations.is_empty() {
            // Each sentence once in the line's table; relations point into it.
            let id = v["relations"][0]["evidence"].as_u64().unwrap() as usize;
            let sentence = &v["sentences"][id];
            assert_eq!(sentence["id"], id);
            assert_eq!(sentence["text"], ex.relations[0].evidence.text.as_str());
        }
    }
}

#[test]
fn merging_json_and_jsonl_equals_building_everything() {
    let exs = synthetic_extractions(40, 12);
    let mut all = KnowledgeGraph::new();
    for ex in &exs {
        all.add(ex.clone());
    }
    let want = json_of(&all);
    for split in [0, 1, 5, exs.len()] {
        // Yesterday's graph as JSON, today's articles as JSON Lines.
        let mut old = KnowledgeGraph::new();
        for ex in &exs[..split] {
            old.add(ex.clone());
        }
        let old_json = json_of(&old);
        let today = lines(&exs[split..]);
        for order in [true, false] {
            let mut g = KnowledgeGraph::new();
            if order {
                assert_eq!(
                    read_graph(old_json.as_bytes(), &mut g).unwrap(),
                    GraphFile::NodeLink
                );
                read_graph(&today[..], &mut g).unwrap_or(GraphFile::Lines(0));
            } else {
                if !today.is_empty() {
                    read_graph(&today[..], &mut g).unwrap();
                }
                read_graph(old_json.as_bytes(), &mut g).unwrap();
            }
            assert_eq!(json_of(&g), want, "split {split}, json first: {order}");
        }
    }
}

#[test]
fn a_graph_written_as_jsonl_merges_back_to_itself() {
    for g in [synthetic(40, 12), tricky()] {
        let mut text = Vec::new();
        write_jsonl(&g, &mut text).unwrap();
        let mut back = KnowledgeGraph::new();
        read_graph(&text[..], &mut back).unwrap();
        assert_eq!(json_of(&back), json_of(&g));
    }
}

#[test]
fn the_articles_merge_back_byte_for_byte() {
    let ex = Extractor::new().expect("gazetteers");
    let (inputs, _) = corpus::collect(&[articles()]);
    let mut all = KnowledgeGraph::new();
    let mut text = Vec::new();
    batch::run(&ex, &inputs, |o| {
        if let batch::Outcome::Done(x, _) = o {
            write_extraction(&x, &mut text).unwrap();
            all.add(*x);
        }
        true
    });
    assert_eq!(String::from_utf8_lossy(&text).lines().count(), inputs.len());
    let mut back = KnowledgeGraph::new();
    assert_eq!(
        read_graph(&text[..], &mut back).unwrap(),
        GraphFile::Lines(inputs.len())
    );
    assert_eq!(json_of(&back), json_of(&all));
    // And through JSON: the node-link graph reads back to the same JSON.
    let mut again = KnowledgeGraph::new();
    read_graph(json_of(&all).as_bytes(), &mut again).unwrap();
    assert_eq!(json_of(&again), json_of(&all));
}

#[test]
fn bad_input_names_the_line() {
    let exs = synthetic_extractions(5, 2);
    let mut text = lines(&exs);
    text.extend_from_slice(b"\n{\"document\": 3}\n");
    let mut g = KnowledgeGraph::new();
    let err = read_graph(&text[..], &mut g).unwrap_err();
    assert_eq!(err.line, exs.len() + 2, "{err}");
    assert!(err.to_string().starts_with(&format!(
        "line {}: not a partygraph JSON Lines record",
        exs.len() + 2
    )));
    let err = read_graph("\n{\n  \"directed\": ]\n}".as_bytes(), &mut g).unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    assert!(
        read_graph("".as_bytes(), &mut g)
            .unwrap_err()
            .to_string()
            .contains("empty file")
    );
    assert!(read_graph("[1, 2]".as_bytes(), &mut g).is_err());
}

#[test]
fn extractions_of_keeps_every_node_and_fact() {
    let mut g = synthetic(30, 8);
    g.canonicalize();
    let exs = export::extractions_of(&g);
    assert_eq!(exs.len(), g.documents().count());
    let mentions: usize = exs
        .iter()
        .flat_map(|e| &e.entities)
        .map(|e| e.mentions.len())
        .sum();
    let want: usize = g.nodes().iter().map(|n| g.mentions(n).len()).sum();
    assert_eq!(mentions, want);
}
