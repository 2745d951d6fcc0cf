//! Writes a deterministic benchmark corpus: many ~2 KB articles built from the seed articles in
//! `../shared/seeds` (see `benches/support/corpus.rs` for what varies).
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --size 50MB --out bench-corpus/50mb
//! ```
//!
//! Options: `--size SIZE` (`50MB`, `800KB`, `1GB`; default 50MB), `--out DIR` (required; must be
//! new or empty, or a corpus written before with `--force`), `--seed N` (default 1: the same
//! seed gives the same files byte for byte), `--seeds DIR` (default `../shared/seeds` or
//! `$PARTYGRAPH_SEEDS`), `--gazetteers DIR` (default the repository's `gazetteers/`).

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

const MARKER: &str = "corpus.info";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => {
            eprintln!("gen_corpus: {m}");
            ExitCode::from(1)
        }
    }
}

fn run() -> Result<(), String> {
    let mut size = 50 * corpus::MB;
    let mut out: Option<PathBuf> = None;
    let mut seed = 1u64;
    let mut seeds = corpus::default_seeds_dir();
    let mut gazetteers = corpus::default_gazetteers_dir();
    let mut force = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--size" => size = corpus::parse_size(&value("--size")?)?,
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|_| "--seed takes a number".to_string())?
            }
            "--seeds" => seeds = PathBuf::from(value("--seeds")?),
            "--gazetteers" => gazetteers = PathBuf::from(value("--gazetteers")?),
            "--force" => force = true,
            "-h" | "--help" => {
                println!(
                    "usage: gen_corpus --size 50MB --out DIR [--seed N] [--seeds DIR] \
                     [--gazetteers DIR] [--force]"
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    let src = corpus::Sources::load(&seeds, &gazetteers)?;
    if out.exists() {
        let empty = std::fs::read_dir(&out)
            .map_err(|e| format!("{}: {e}", out.display()))?
            .next()
            .is_none();
        if !empty {
            if !(force && out.join(MARKER).is_file()) {
                return Err(format!(
                    "{} is not empty: give a new folder (or --force to replace a corpus written \
                     by gen_corpus)",
                    out.display()
                ));
            }
            std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
    }
    let started = std::time::Instant::now();
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let w = corpus::write_corpus(&src, &out, seed, size)?;
    let styles: Vec<String> = w
        .by_style
        .iter()
        .map(|(s, n)| format!("{} {}", n, s.as_str()))
        .collect();
    let info = format!(
        "files={}\nbytes={}\nseed={}\nsize={}\nstyles={}\n",
        w.files,
        w.bytes,
        seed,
        size,
        styles.join(", ")
    );
    std::fs::write(out.join(MARKER), info).map_err(|e| format!("{MARKER}: {e}"))?;
    eprintln!(
        "gen_corpus: {} files, {:.1} MB ({}) in {}, {:.1} s",
        w.files,
        w.bytes as f64 / 1e6,
        styles.join(", "),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
