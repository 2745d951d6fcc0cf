//! The `partygraph` command: a thin layer over the library.

use clap::{Parser, Subcommand, ValueEnum};
use partygraph::corpus;
use partygraph::export::{self, DotOptions, Layout};
use partygraph::{batch, Extractor, FoldMode, KnowledgeGraph};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXAMPLES: &str = "Examples:
  partygraph build examples/articles -o graph.json
  partygraph build --format dot examples/articles | dot -Tsvg > graph.svg
  cat article.txt | partygraph build --format dot
  partygraph build --gazetteers my-gazetteers/ corpus/ -o graph.json
  partygraph gazetteer check my-gazetteers/

Exit codes: 0 success; 1 an input or output failed (the rest was still processed); 2 usage error.";

#[derive(Parser)]
#[command(name = "partygraph", version, about = "Knowledge graph of Vietnamese Communist Party work from news articles", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the graph of articles (files, folders searched for *.txt, or - for stdin).
    #[command(after_help = EXAMPLES)]
    Build(BuildArgs),
    /// Check a gazetteer folder and say what it holds.
    Gazetteer {
        #[command(subcommand)]
        action: GazetteerCmd,
    },
}

#[derive(Subcommand)]
enum GazetteerCmd {
    /// Validate gazetteer files (the embedded ones when no folder is given).
    Check {
        /// Folder of gazetteer files that add to or replace the embedded ones.
        dir: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// networkx node-link JSON.
    Json,
    /// Graphviz DOT.
    Dot,
}

#[derive(Clone, Copy, ValueEnum)]
enum FoldArg {
    /// Detect per document.
    Auto,
    /// Text with diacritics.
    Accents,
    /// Text without diacritics.
    Ascii,
}

#[derive(Clone, Copy, ValueEnum)]
enum LayoutArg {
    Dot,
    Sfdp,
    Neato,
}

#[derive(Parser)]
struct BuildArgs {
    /// Articles: files, folders (recursive), or - for standard input (the default).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write to FILE (atomically: a temporary file renamed on success) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Folder of gazetteer files that add to or replace the embedded ones.
    #[arg(long, value_name = "DIR")]
    gazetteers: Option<PathBuf>,
    /// How to match text: with diacritics, without, or detect per document.
    #[arg(long, value_enum, default_value = "auto")]
    fold: FoldArg,
    /// Layout hint for DOT output.
    #[arg(long, value_enum, default_value = "dot")]
    layout: LayoutArg,
    /// Worker threads (default: all cores).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// No summary line on stderr.
    #[arg(short, long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Build(args) => build(args),
        Command::Gazetteer {
            action: GazetteerCmd::Check { dir },
        } => gazetteer_check(dir),
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("partygraph: {msg}");
    ExitCode::from(1)
}

fn gazetteer_check(dir: Option<PathBuf>) -> ExitCode {
    let mut b = partygraph::GazetteerBuilder::new();
    if let Some(d) = &dir {
        b = b.dir(d);
    }
    match b.build() {
        Ok(g) => {
            let mut out = io::stdout().lock();
            let mut lines = Vec::new();
            for (file, n) in g.files() {
                lines.push(format!("{file}: ok ({n} entities)"));
            }
            let mut by_kind = std::collections::BTreeMap::new();
            for e in g.entries() {
                *by_kind.entry(e.kind.as_str()).or_insert(0usize) += 1;
            }
            let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
            lines.push(format!(
                "total: {} entities ({}), {} surnames, {} titles, {} document types, {} issuer codes, {} triggers",
                g.entries().len(),
                kinds.join(", "),
                g.surnames().len(),
                g.titles().len(),
                g.doctypes().len(),
                g.issuers().len(),
                g.triggers().len()
            ));
            for l in lines {
                if writeln!(out, "{l}").is_err() {
                    break;
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn build(args: BuildArgs) -> ExitCode {
    if let Some(j) = args.jobs {
        if j == 0 {
            eprintln!("partygraph: --jobs must be at least 1");
            return ExitCode::from(2);
        }
        // Only fails when a global pool already exists, which it does not here.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(j).build_global();
    }
    if let Some(o) = &args.output {
        if let Err(m) = check_output_path(o) {
            return fail(m);
        }
    }
    let mut eb = Extractor::builder().fold(match args.fold {
        FoldArg::Auto => FoldMode::Auto,
        FoldArg::Accents => FoldMode::Accents,
        FoldArg::Ascii => FoldMode::Ascii,
    });
    if let Some(d) = &args.gazetteers {
        eb = eb.gazetteer_dir(d);
    }
    let ex = match eb.build() {
        Ok(ex) => ex,
        Err(e) => return fail(e),
    };
    let started = std::time::Instant::now();
    let (inputs, input_errors) = corpus::collect(&args.paths);
    let mut failed = !input_errors.is_empty();
    for e in &input_errors {
        eprintln!("partygraph: {e}");
    }
    let mut graph = KnowledgeGraph::new();
    let mut bytes = 0usize;
    let mut docs = 0usize;
    batch::run(&ex, &inputs, |o| {
        match o {
            batch::Outcome::Done(x, warnings) => {
                for w in warnings {
                    eprintln!("partygraph: {w}");
                }
                bytes += x.document.bytes;
                docs += 1;
                graph.add(*x);
            }
            batch::Outcome::Failed(e) => {
                eprintln!("partygraph: {e}");
                failed = true;
            }
        }
        true
    });
    let layout = match args.layout {
        LayoutArg::Dot => Layout::Dot,
        LayoutArg::Sfdp => Layout::Sfdp,
        LayoutArg::Neato => Layout::Neato,
    };
    let write = |w: &mut dyn Write| -> io::Result<()> {
        match args.format {
            Format::Json => export::write_json(&graph, w),
            Format::Dot => export::write_dot(
                &graph,
                &DotOptions {
                    layout,
                    ..DotOptions::default()
                },
                w,
            ),
        }
    };
    let result = match &args.output {
        Some(path) => write_atomically(path, write),
        None => {
            let stdout = io::stdout();
            let mut lock = io::BufWriter::new(stdout.lock());
            match write(&mut lock) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
                r => r.map_err(|e| format!("writing to standard output: {e}")),
            }
        }
    };
    if let Err(m) = result {
        return fail(m);
    }
    if !args.quiet {
        eprintln!(
            "partygraph: {} files, {:.1} MB, {} nodes, {} edges in {:.2} s",
            docs,
            bytes as f64 / 1e6,
            graph.node_count(),
            graph.edge_count(),
            started.elapsed().as_secs_f64()
        );
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Fails early (before any work) when the output cannot be written where asked.
fn check_output_path(path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!("{}: is a folder; give a file name for -o", path.display()));
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(format!("{}: folder {} does not exist", path.display(), dir.display()));
    }
    Ok(())
}

/// Writes to a temporary file beside `path` and renames it into place on success, so a failure
/// leaves any previous file intact.
fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), String> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.partygraph-{}.tmp", std::process::id()));
    let res = (|| -> io::Result<()> {
        let f = std::fs::File::create(&tmp)?;
        let mut w = io::BufWriter::new(f);
        write(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("{}: cannot write: {}", path.display(), corpus::describe_io(&e)));
    }
    Ok(())
}
