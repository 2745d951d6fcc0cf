//! One node per real person: namesakes in two provinces stay apart, one official through
//! changing offices is one node, a listed Politburo member keeps the plain ID beside a local
//! namesake, and the result is the same bytes in any order, with any `--jobs`, and through
//! JSON Lines built in halves and merged. The articles are written for these tests.

use partygraph::identity::Roster;
use partygraph::{Extractor, KnowledgeGraph, export};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (file name, text): every article of the tests.
const ARTICLES: [(&str, &str); 8] = [
    (
        "qb-hoi-nghi",
        "Quảng Bình: Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12\n\nNgày 10/4/2021, Tỉnh ủy \
         Quảng Bình tổ chức Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12 để cho ý kiến về kế \
         hoạch phát triển kinh tế - xã hội. Đồng chí Trần Văn Hải, Bí thư Tỉnh ủy Quảng Bình, \
         chủ trì hội nghị. Kết luận hội nghị, đồng chí Trần Văn Hải đề nghị các cấp ủy tập trung \
         lãnh đạo thực hiện tốt nhiệm vụ.\n",
    ),
    (
        "ls-so-ket",
        "Lạng Sơn sơ kết công tác xây dựng Đảng 6 tháng đầu năm\n\nNgày 15/7/2021, Tỉnh ủy Lạng \
         Sơn tổ chức hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2021. Đồng chí Trần \
         Văn Hải, Phó Bí thư Tỉnh ủy Lạng Sơn, chủ trì hội nghị. Phát biểu tại hội nghị, đồng chí \
         Trần Văn Hải yêu cầu các đảng bộ trực thuộc nâng cao chất lượng sinh hoạt chi bộ.\n",
    ),
    (
        "bd-2016",
        "Ngày 8/3/2016, Ban Dân vận Tỉnh ủy Bình Định tổ chức hội nghị triển khai công tác dân \
         vận năm 2016. Đồng chí Lê Quang Vĩnh, Trưởng Ban Dân vận Tỉnh ủy Bình Định, chủ trì hội \
         nghị.\n",
    ),
    (
        "bd-2019",
        "Tỉnh ủy Bình Định giao ban công tác dân vận\n\nNgày 20/9/2019, Tỉnh ủy Bình Định tổ \
         chức hội nghị giao ban công tác dân vận quý III. Đồng chí Lê Quang Vĩnh, Phó Bí thư \
         Tỉnh ủy Bình Định, chủ trì hội nghị và phát biểu kết luận.\n",
    ),
    (
        "bd-2023",
        "Bình Định tổng kết công tác kiểm tra, giám sát\n\nNgày 12/1/2023, Tỉnh ủy Bình Định tổ \
         chức hội nghị tổng kết công tác kiểm tra, giám sát năm 2022. Đồng chí Lê Quang Vĩnh, Bí \
         thư Tỉnh ủy Bình Định, chủ trì hội nghị.\n",
    ),
    (
        "ktw-de-an",
        "Ban Kinh tế Trung ương góp ý dự thảo đề án\n\nNgày 14/6/2022, Ban Kinh tế Trung ương \
         tổ chức hội nghị góp ý dự thảo đề án phát triển kinh tế biển. Đồng chí Trần Tuấn Anh, Ủy \
         viên Bộ Chính trị, Trưởng Ban Kinh tế Trung ương, chủ trì hội nghị.\n",
    ),
    (
        "bv-thai-binh",
        "Đảng bộ Bệnh viện Đa khoa tỉnh Thái Bình học tập nghị quyết\n\nNgày 22/8/2022, Đảng ủy \
         Bệnh viện Đa khoa tỉnh Thái Bình tổ chức hội nghị học tập, quán triệt nghị quyết của cấp \
         trên. Đồng chí Trần Tuấn Anh, Phó Giám đốc Bệnh viện Đa khoa tỉnh Thái Bình, chủ trì \
         hội nghị.\n",
    ),
    (
        "tw-truc-tuyen",
        "Hội nghị trực tuyến về phát triển công nghiệp\n\nNgày 3/11/2022, Bộ Chính trị tổ chức \
         hội nghị trực tuyến toàn quốc. Tham dự hội nghị có đồng chí Trần Tuấn Anh.\n",
    ),
];

fn write_articles(dir: &Path) -> Vec<PathBuf> {
    ARTICLES
        .iter()
        .map(|(name, text)| {
            let p = dir.join(format!("{name}.txt"));
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect()
}

fn partygraph(args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_partygraph"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn built(paths: &[PathBuf], extra: &[&str]) -> Vec<u8> {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        std::ffi::OsStr::new("build"),
        std::ffi::OsStr::new("--quiet"),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    args.extend(paths.iter().map(|p| p.as_os_str()));
    partygraph(&args)
}

/// The graph of every article, built by the library.
fn graph() -> KnowledgeGraph {
    let ex = Extractor::new().unwrap();
    let mut g = KnowledgeGraph::new();
    for (id, text) in ARTICLES {
        g.add(ex.extract_str(id, text));
    }
    g.settle_people(&Roster::from_gazetteer(ex.gazetteer()));
    g
}

/// The person nodes of a name's slug, each with the articles naming it.
fn people(g: &KnowledgeGraph, slug: &str) -> Vec<(String, BTreeSet<String>)> {
    let plain = format!("person:{slug}");
    let split = format!("person:{slug}--");
    g.nodes()
        .into_iter()
        .filter(|n| n.id() == plain || n.id().starts_with(&split))
        .map(|n| {
            let docs = g.mentions(n).iter().map(|m| m.doc.to_string()).collect();
            (n.id().to_string(), docs)
        })
        .collect()
}

fn docs(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn officials_of_one_name_in_two_provinces_are_two_nodes() {
    let g = graph();
    assert_eq!(
        people(&g, "tran-van-hai"),
        [
            // Named as often in each: the smaller context key keeps the plain ID.
            ("person:tran-van-hai".to_string(), docs(&["ls-so-ket"])),
            (
                "person:tran-van-hai--tinh-uy-quang-binh".to_string(),
                docs(&["qb-hoi-nghi"])
            ),
        ]
    );
    let n = g.node("person:tran-van-hai--tinh-uy-quang-binh").unwrap();
    let others: Vec<&str> = g.namesake(n).unwrap().same_name_as(n.id()).collect();
    assert_eq!(others, ["person:tran-van-hai"]);
    assert_eq!(*g.namesake(n).unwrap().places, ["quang-binh"]);
}

#[test]
fn one_official_through_changing_offices_in_one_province_is_one_node() {
    let g = graph();
    assert_eq!(
        people(&g, "le-quang-vinh"),
        [(
            "person:le-quang-vinh".to_string(),
            docs(&["bd-2016", "bd-2019", "bd-2023"])
        )]
    );
    let n = g.node("person:le-quang-vinh").unwrap();
    assert!(g.namesake(n).is_none(), "one person: no namesakes");
}

#[test]
fn a_listed_member_keeps_the_plain_id_beside_a_local_namesake() {
    let g = graph();
    assert_eq!(
        people(&g, "tran-tuan-anh"),
        [
            // The article with no office named joins the listed member.
            (
                "person:tran-tuan-anh".to_string(),
                docs(&["ktw-de-an", "tw-truc-tuyen"])
            ),
            (
                "person:tran-tuan-anh--benh-vien-da-khoa-thai-binh".to_string(),
                docs(&["bv-thai-binh"])
            ),
        ]
    );
    // The deputy director's position went with him, the member's stayed.
    let titles = |id: &str| -> Vec<String> {
        g.edges_from(id)
            .into_iter()
            .filter_map(|(_, _, e)| g.title(e).map(String::from))
            .collect()
    };
    assert_eq!(
        titles("person:tran-tuan-anh--benh-vien-da-khoa-thai-binh"),
        ["Phó Giám đốc"]
    );
    assert!(!titles("person:tran-tuan-anh").contains(&"Phó Giám đốc".to_string()));
}

#[test]
fn the_listed_member_alone_keeps_the_plain_id_and_the_namesake_alone_does_not() {
    let ex = Extractor::new().unwrap();
    let roster = Roster::from_gazetteer(ex.gazetteer());
    let alone = |id: &str| {
        let text = ARTICLES.iter().find(|a| a.0 == id).unwrap().1;
        let mut g = KnowledgeGraph::new();
        g.add(ex.extract_str(id, text));
        g.settle_people(&roster);
        people(&g, "tran-tuan-anh")
            .into_iter()
            .map(|p| p.0)
            .collect::<Vec<_>>()
    };
    assert_eq!(alone("ktw-de-an"), ["person:tran-tuan-anh"]);
    assert_eq!(
        alone("bv-thai-binh"),
        ["person:tran-tuan-anh--benh-vien-da-khoa-thai-binh"]
    );
}

#[test]
fn settling_again_after_more_articles_equals_settling_once() {
    let ex = Extractor::new().unwrap();
    let roster = Roster::from_gazetteer(ex.gazetteer());
    let mut g = KnowledgeGraph::new();
    for (id, text) in &ARTICLES[..5] {
        g.add(ex.extract_str(id, text));
    }
    g.settle_people(&roster);
    for (id, text) in &ARTICLES[5..] {
        g.add(ex.extract_str(id, text));
    }
    g.settle_people(&roster);
    g.settle_people(&roster);
    let json = |g: &KnowledgeGraph| {
        let mut out = Vec::new();
        export::write_json(g, &mut out).unwrap();
        out
    };
    assert_eq!(json(&g), json(&graph()));
}

#[test]
fn the_same_nodes_in_any_order_with_any_jobs_and_through_merge() {
    let d = tempfile::tempdir().unwrap();
    let paths = write_articles(d.path());
    let want = built(&paths, &["--jobs", "1"]);
    let text = String::from_utf8(want.clone()).unwrap();
    assert!(text.contains("person:tran-tuan-anh--benh-vien-da-khoa-thai-binh"));
    assert!(text.contains(r#""same_name_as":["person:tran-van-hai"]"#));

    let mut reversed = paths.clone();
    reversed.reverse();
    assert_eq!(
        built(&reversed, &["--jobs", "2"]),
        want,
        "other order, 2 jobs"
    );
    assert_eq!(
        built(&reversed, &["--jobs", "1"]),
        want,
        "other order, 1 job"
    );

    // Halves that split every namesake pair, built as JSON Lines, then merged.
    let (even, odd): (Vec<PathBuf>, Vec<PathBuf>) = {
        let (a, b): (Vec<_>, Vec<_>) = paths
            .iter()
            .cloned()
            .enumerate()
            .partition(|(i, _)| i % 2 == 0);
        (
            a.into_iter().map(|x| x.1).collect(),
            b.into_iter().map(|x| x.1).collect(),
        )
    };
    let a = d.path().join("a.jsonl");
    let b = d.path().join("b.jsonl");
    std::fs::write(&a, built(&odd, &["--format", "jsonl"])).unwrap();
    std::fs::write(&b, built(&even, &["--format", "jsonl"])).unwrap();
    let merged = partygraph(&[
        "merge".as_ref(),
        "--quiet".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
    ]);
    assert_eq!(merged, want, "JSON Lines of halves, merged");
    let merged = partygraph(&[
        "merge".as_ref(),
        "--quiet".as_ref(),
        b.as_os_str(),
        a.as_os_str(),
    ]);
    assert_eq!(merged, want, "merged in the other order");

    // A graph of one half (its namesakes already told apart) grown by the other half.
    let half = d.path().join("half.json");
    std::fs::write(&half, built(&odd, &[])).unwrap();
    let grown = partygraph(&[
        "merge".as_ref(),
        "--quiet".as_ref(),
        half.as_os_str(),
        b.as_os_str(),
    ]);
    assert_eq!(
        grown, want,
        "a JSON graph of one half and JSON Lines of the other"
    );
    // And the whole graph merged with itself gives itself.
    let whole = d.path().join("whole.json");
    std::fs::write(&whole, &want).unwrap();
    let again = partygraph(&[
        "merge".as_ref(),
        "--quiet".as_ref(),
        whole.as_os_str(),
        whole.as_os_str(),
    ]);
    assert_eq!(again, want, "merged with itself");
}

#[test]
fn show_lists_every_node_of_a_name_with_what_tells_them_apart() {
    let d = tempfile::tempdir().unwrap();
    let paths = write_articles(d.path());
    let graph = d.path().join("g.json");
    std::fs::write(&graph, built(&paths, &[])).unwrap();
    let text = String::from_utf8(partygraph(&[
        "show".as_ref(),
        "Trần Tuấn Anh".as_ref(),
        graph.as_os_str(),
    ]))
    .unwrap();
    assert!(
        text.starts_with("Trần Tuấn Anh (person:tran-tuan-anh)"),
        "{text}"
    );
    assert!(text.contains("People of this name (2 nodes"), "{text}");
    assert!(
        text.contains("  - person:tran-tuan-anh--benh-vien-da-khoa-thai-binh\n"),
        "{text}"
    );
    assert!(
        text.contains("offices: Phó Giám đốc, Bệnh viện Đa khoa"),
        "{text}"
    );
    assert!(text.contains("places: thai-binh"), "{text}");
    assert!(text.contains("years: 2022"), "{text}");
    // One of them by ID.
    let one = String::from_utf8(partygraph(&[
        "show".as_ref(),
        "person:tran-van-hai--tinh-uy-quang-binh".as_ref(),
        graph.as_os_str(),
    ]))
    .unwrap();
    assert!(one.contains("  - person:tran-van-hai\n"), "{one}");
    assert!(one.contains("(shown below)"), "{one}");
    // As JSON for scripts.
    let json: serde_json::Value = serde_json::from_slice(&partygraph(&[
        "show".as_ref(),
        "Trần Văn Hải".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        graph.as_os_str(),
    ]))
    .unwrap();
    let ids: Vec<&str> = json["namesakes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "person:tran-van-hai",
            "person:tran-van-hai--tinh-uy-quang-binh"
        ]
    );
}
