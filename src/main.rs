//! The `partygraph` command: a thin layer over the library.

use clap::{Parser, Subcommand, ValueEnum};
use partygraph::corpus;
use partygraph::export::{self, DotOptions, EvidenceMode, Layout};
use partygraph::identity::Roster;
use partygraph::{EntityKind, Extractor, FoldMode, GazetteerBuilder, KnowledgeGraph, batch, query};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The command uses jemalloc: articles are extracted on a thread pool into many small strings,
/// and glibc's allocator spent a quarter of a run on them (BENCHMARKS.md). The library leaves the
/// choice of allocator to the program that embeds it.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts: pages freed by the extraction threads go back to
/// the system after a second instead of ten (and at once once purged), which keeps a merged
/// graph of 500 MB of articles under 1 GB (985 MB with jemalloc's defaults; BENCHMARKS.md).
/// The `_RJEM_MALLOC_CONF` environment variable still overrides them.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8; 37] = b"dirty_decay_ms:1000,muzzy_decay_ms:0\0";

mod progress;

const EXAMPLES: &str = "Examples:
  partygraph build examples/articles -o graph.json
  partygraph build --format dot examples/articles | dot -Tsvg > graph.svg
  cat article.txt | partygraph build --format dot
  partygraph build --gazetteers my-gazetteers/ corpus/ -o graph.json
  partygraph gazetteer check my-gazetteers/
  partygraph build --format graphml corpus/ -o graph.graphml
  partygraph build --format neo4j corpus/ -o neo4j-import/
  partygraph build --format jsonl today/ > today.jsonl
  partygraph merge graph.json today.jsonl -o graph.json
  partygraph build corpus/ --focus \"Bộ Chính trị\" --depth 2 --format dot | dot -Tsvg > bct.svg
  partygraph build corpus/ --since 2024-01 --project co-attendance --format graphml -o people.graphml
  partygraph show \"Bộ Chính trị\" graph.json
  partygraph stats graph.json

Exit codes: 0 success (warnings, e.g. a skipped binary file, may be printed); 1 an input could
not be read (the others are still written; when none could be read, nothing is written and a
previous -o file keeps what it held), a gazetteer or output error, or with --strict any input
warning (then nothing is written); 2 usage error. See docs/ROBUSTNESS.md.";

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
    /// Merge graphs written by build or merge (--format json or jsonl) into one.
    #[command(after_help = EXAMPLES)]
    Merge(MergeArgs),
    /// What the corpus says about one person, committee, resolution or meeting.
    #[command(after_help = EXAMPLES)]
    Show(ShowArgs),
    /// Counts by kind and the top people, resolutions and committees.
    #[command(after_help = EXAMPLES)]
    Stats(StatsArgs),
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
    /// GraphML (Gephi, yEd, Cytoscape).
    Graphml,
    /// Neo4j CSV import files: a folder given with -o DIR.
    Neo4j,
    /// JSON Lines: one article per line, streamed.
    Jsonl,
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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EvidenceArg {
    /// Each sentence with its text (in JSON once, in graph.sentences).
    Text,
    /// The document and offsets only: `show` reads the text back from the articles.
    Span,
    /// No evidence: the facts alone.
    None,
}

fn evidence_of(e: EvidenceArg) -> EvidenceMode {
    match e {
        EvidenceArg::Text => EvidenceMode::Text,
        EvidenceArg::Span => EvidenceMode::Span,
        EvidenceArg::None => EvidenceMode::None,
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LayoutArg {
    Dot,
    Sfdp,
    Neato,
}

#[derive(Parser)]
struct BuildArgs {
    /// Articles: files, folders (recursive), corpus files of one article per row (.jsonl,
    /// .jsonl.gz, .csv), or - for standard input (the default).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write to FILE (atomically: a temporary file renamed on success) instead of stdout; for
    /// --format neo4j, the folder DIR that gets nodes.csv and relationships.csv.
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
    /// How much of each fact's evidence the output carries (in DOT: the edges' tooltips).
    #[arg(long, value_enum, default_value = "text")]
    evidence: EvidenceArg,
    /// Threads extracting articles (default: all cores); files are read ahead by 4 more, which
    /// mostly wait for the disk.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar and no summary line on stderr (warnings and errors are still written).
    #[arg(short, long)]
    quiet: bool,
    /// Treat every input problem as fatal: a file skipped (binary), not valid UTF-8 or
    /// unreadable makes the run fail with exit code 1, and nothing is written.
    #[arg(long)]
    strict: bool,
    /// How to read inputs: auto (.html/.htm and pages as HTML, the rest as text), text, or html
    /// (the visible text of the page; offsets still index the file's bytes).
    #[arg(
        long = "input",
        value_enum,
        default_value = "auto",
        value_name = "KIND"
    )]
    input: InputArg,
    /// The field (JSON Lines) or column (CSV) of corpus files that holds an article's text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    text_field: String,
    /// The field or column of corpus files that holds an article's ID.
    #[arg(long, value_name = "NAME", default_value = "id")]
    id_field: String,
    #[command(flatten)]
    view: ViewArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputArg {
    /// By extension (.html/.htm, .txt) and, for other names and stdin, by content.
    Auto,
    /// Plain UTF-8 text.
    Text,
    /// HTML pages: their visible text.
    Html,
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
        Command::Merge(args) => merge(args),
        Command::Show(args) => show(args),
        Command::Stats(args) => stats(args),
        Command::Gazetteer {
            action: GazetteerCmd::Check { dir },
        } => gazetteer_check(dir),
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    say(msg);
    ExitCode::from(1)
}

/// Prints one `partygraph: ...` line on stderr. Never panics: when stderr is closed (e.g.
/// `2>&1 | head`), the line is dropped.
fn say(msg: impl std::fmt::Display) {
    // With the progress bar (when drawn) lifted out of the way.
    progress::suspend(|| {
        let _ = writeln!(io::stderr().lock(), "partygraph: {msg}");
    });
}

/// True when writing failed because the reader went away (`| head`), also when the error is
/// wrapped (serde_json wraps the I/O errors of its writer).
fn is_broken_pipe(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return true;
    }
    let inner = e.get_ref();
    inner
        .and_then(|i| i.downcast_ref::<serde_json::Error>())
        .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
        || inner
            .and_then(|i| i.downcast_ref::<io::Error>())
            .is_some_and(is_broken_pipe)
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

/// The extractor the flags ask for: the fold mode and gazetteer folders.
fn extractor(
    fold: FoldArg,
    gazetteers: Option<&Path>,
) -> Result<Extractor, partygraph::GazetteerError> {
    let mut eb = Extractor::builder().fold(match fold {
        FoldArg::Auto => FoldMode::Auto,
        FoldArg::Accents => FoldMode::Accents,
        FoldArg::Ascii => FoldMode::Ascii,
    });
    if let Some(d) = gazetteers {
        eb = eb.gazetteer_dir(d);
    }
    eb.build()
}

fn build(args: BuildArgs) -> ExitCode {
    if let Some(j) = args.jobs {
        if j == 0 {
            say("--jobs must be at least 1");
            return ExitCode::from(2);
        }
        // Only fails when a global pool already exists, which it does not here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build_global();
    }
    if let Err((code, m)) = check_output(args.format, args.output.as_deref()) {
        say(m);
        return ExitCode::from(code);
    }
    let ex = match extractor(args.fold, args.gazetteers.as_deref()) {
        Ok(ex) => ex,
        Err(e) => return fail(e),
    };
    let started = std::time::Instant::now();
    let input_format = match args.input {
        InputArg::Auto => corpus::InputFormat::Auto,
        InputArg::Text => corpus::InputFormat::Text,
        InputArg::Html => corpus::InputFormat::Html,
    };
    let (inputs, input_errors) = corpus::collect_with(&args.paths, input_format);
    // Corpus files given by name (.jsonl, .jsonl.gz, .csv) are read a row at a time, after the
    // articles; every document ID of the run is unique (a duplicate is an error naming both).
    let (inputs, row_files) = match input_format {
        corpus::InputFormat::Auto => corpus::rows::split(inputs),
        _ => (inputs, Vec::new()),
    };
    let fields = corpus::rows::Fields {
        text: args.text_field.clone(),
        id: args.id_field.clone(),
    };
    let mut ids = corpus::rows::Ids::default();
    for i in &inputs {
        let _ = ids.claim(&i.id, &i.source.to_string());
    }
    let mut progress = progress::Progress::new(inputs.len() + row_files.len(), args.quiet, started);
    let in_rows = std::cell::Cell::new(false);
    // Errors fail the run (exit 1; what could be read is still written); with --strict,
    // warnings do too, and nothing is written.
    let mut failed = input_errors.iter().any(|e| args.strict || !e.is_warning());
    // Inputs that failed (errors, not inputs skipped on purpose), for the closing line.
    let mut failures = input_errors.iter().filter(|e| !e.is_warning()).count();
    for e in &input_errors {
        say(e);
    }
    let mut graph = KnowledgeGraph::new();
    let mut bytes = 0usize;
    let mut docs = 0usize;
    // JSON Lines of the graph as built stream: one line per article as it finishes, no merge.
    // (Not with --strict to stdout: nothing may be written there when an input fails.)
    let mut stream = None;
    if matches!(args.format, Format::Jsonl)
        && args.view.is_identity()
        && !(args.strict && args.output.is_none())
    {
        match LineSink::open(args.output.as_deref()) {
            Ok(s) => stream = Some(s),
            Err(m) => return fail(m),
        }
    }
    let mut stream_error: Option<io::Error> = None;
    let mut handle = |o: &batch::Outcome| {
        if stream_error.is_some() {
            return false;
        }
        match o {
            batch::Outcome::Done(x, warnings) => {
                failed |= args.strict && !warnings.is_empty();
                for w in warnings {
                    say(w);
                }
                bytes += x.document.bytes;
                docs += 1;
                match in_rows.get() {
                    true => progress.bytes(x.document.bytes),
                    false => progress.inc(x.document.bytes),
                }
                match stream.as_mut() {
                    Some(s) => {
                        if let Err(e) = s.line(x, evidence_of(args.evidence)) {
                            stream_error = Some(e);
                            return false;
                        }
                    }
                    None => graph.add_from(x),
                }
            }
            // A part of a long document: merged or written like an article, counted at its end.
            batch::Outcome::Part(x) => match stream.as_mut() {
                Some(s) => {
                    if let Err(e) = s.line(x, evidence_of(args.evidence)) {
                        stream_error = Some(e);
                        return false;
                    }
                }
                None => graph.add_from(x),
            },
            batch::Outcome::Failed(e) => {
                failed |= args.strict || !e.is_warning();
                failures += usize::from(!e.is_warning());
                say(e);
                if !in_rows.get() {
                    progress.inc(0);
                }
            }
        }
        true
    };
    // Outcomes borrowed: the pool frees them (see `batch::run_borrowed`).
    batch::run_borrowed(&ex, &inputs, &mut handle);
    in_rows.set(true);
    for file in &row_files {
        match corpus::rows::RowReader::open(file.path(), &fields) {
            Ok(rows) => batch::run_jobs(
                &ex,
                corpus::rows::jobs(rows, &file.id, &mut ids),
                &mut handle,
            ),
            Err(e) => {
                handle(&batch::Outcome::Failed(e));
            }
        }
    }
    // The list of inputs and the IDs claimed are done with: freed before people are told
    // apart and the graph is written, the run's peak (about 60 MB at 236,000 files).
    drop((inputs, row_files, ids));
    // Nothing could be read (every input failed, or none was found): write nothing, so a typo
    // in a path never replaces yesterday's graph with an empty one.
    let nothing_read = docs == 0;
    progress.writing(&format!("writing {}", export_format(args.format).as_str()));
    if let Some(s) = stream {
        let keep = stream_error.is_none() && !(failed && args.strict) && !nothing_read;
        let finished = s.finish(keep);
        progress.finish();
        if let Some(e) = stream_error {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            return fail(match &args.output {
                Some(o) => format!("{}: cannot write: {}", o.display(), corpus::describe_io(&e)),
                None => format!("writing to standard output: {e}"),
            });
        }
        if let Err(m) = finished {
            return fail(m);
        }
        if keep {
            if !args.quiet {
                say(format_args!(
                    "{} files, {:.1} MB, streamed as JSON Lines in {:.2} s",
                    docs,
                    bytes as f64 / 1e6,
                    started.elapsed().as_secs_f64()
                ));
            }
            say_partial(failures, docs, args.output.as_deref());
            return if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    }
    if nothing_read {
        progress.finish();
        return fail(not_written(
            "no input could be read",
            args.output.as_deref(),
        ));
    }
    if failed && args.strict {
        return fail(match &args.output {
            Some(o) => format!(
                "--strict: input problems above; {} not written",
                o.display()
            ),
            None => "--strict: input problems above; no output written".to_string(),
        });
    }
    // Who is who, decided on the whole corpus.
    graph.settle_people(&Roster::from_gazetteer(ex.gazetteer()));
    let (nodes, edges) = match emit(
        &graph,
        &args.view,
        args.format,
        args.output.as_deref(),
        args.layout,
        args.evidence,
    ) {
        Ok(Written::Done(n, e)) => (n, e),
        // The reader went away (`| head`): stop quietly.
        Ok(Written::ReaderGone) => return ExitCode::SUCCESS,
        Err(m) => return fail(m),
    };
    progress.finish();
    // The run ends here: freeing the graph node by node takes a second at 50 MB of articles,
    // and the system takes the memory back at exit anyway.
    std::mem::forget(graph);
    if !args.quiet {
        say(format_args!(
            "{} files, {:.1} MB, {} nodes, {} edges in {:.2} s",
            docs,
            bytes as f64 / 1e6,
            nodes,
            edges,
            started.elapsed().as_secs_f64()
        ));
    }
    say_partial(failures, docs, args.output.as_deref());
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// After a run that wrote its output although some inputs failed: how many, and what the output
/// holds (also with `--quiet`: it is part of the error report, not the summary).
fn say_partial(failures: usize, docs: usize, output: Option<&Path>) {
    if failures == 0 {
        return;
    }
    let inputs = if failures == 1 { "input" } else { "inputs" };
    let articles = if docs == 1 { "article" } else { "articles" };
    match output {
        Some(o) => say(format_args!(
            "{failures} {inputs} could not be read; {} holds the {docs} {articles} read",
            o.display()
        )),
        None => say(format_args!(
            "{failures} {inputs} could not be read; the output holds the {docs} {articles} read"
        )),
    }
}

/// `why; OUTPUT not written (it keeps what it held)`, or `why; nothing written` for stdout.
fn not_written(why: &str, output: Option<&Path>) -> String {
    match output {
        Some(o) if o.exists() => {
            format!("{why}; {} not written (it keeps what it held)", o.display())
        }
        Some(o) => format!("{why}; {} not written", o.display()),
        None => format!("{why}; nothing written"),
    }
}

/// The folder an output path goes in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Fails early (before any work) when the output cannot be written where asked.
fn check_output_path(path: &Path) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!(
            "{}: is a folder; give a file name for -o",
            path.display()
        ));
    }
    let dir = parent_dir(path);
    if !dir.is_dir() {
        return Err(format!(
            "{}: folder {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    Ok(())
}

/// Writes to a temporary file beside `path` and renames it into place on success, so a failure
/// leaves any previous file intact. A link is followed (the file it points to is replaced, the
/// link stays); a path that is not a regular file (`/dev/null`, a named pipe) is written
/// directly, never replaced.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    let shown = path.display();
    let target = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => path.to_path_buf(),
    };
    let existing = std::fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        let res = std::fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .and_then(|f| {
                let mut w = io::BufWriter::new(f);
                write(&mut w)?;
                w.flush()
            });
        return res.map_err(|e| format!("{shown}: cannot write: {}", corpus::describe_io(&e)));
    }
    let path = target.as_path();
    let tmp = export::temp_beside(path);
    let res = (|| -> io::Result<()> {
        let f = std::fs::File::create(&tmp)?;
        if let Some(m) = &existing {
            // Keep the permissions of the file being replaced.
            f.set_permissions(m.permissions())?;
        }
        let mut w = io::BufWriter::new(f);
        write(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!(
            "{shown}: cannot write: {}",
            corpus::describe_io(&e)
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Output formats, filters and projections, `merge`, `show`, `stats`.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, ValueEnum)]
enum ProjectArg {
    /// Person–person: an edge between two people who took part (chaired, attended, spoke) in the
    /// same meetings, weighted by how many, with the meetings listed.
    CoAttendance,
}

/// Filters and projections, applied to the merged graph before it is written.
#[derive(clap::Args, Clone)]
struct ViewArgs {
    /// Keep the neighbourhood of one person, committee, resolution or meeting (by ID, name,
    /// alias or document code).
    #[arg(long, value_name = "NAME", help_heading = "Filters")]
    focus: Option<String>,
    /// Hops around --focus to keep.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1,
        requires = "focus",
        help_heading = "Filters"
    )]
    depth: usize,
    /// Keep only nodes of these kinds (comma-separated: person, committee, resolution, meeting,
    /// organization, place, document).
    #[arg(
        long,
        value_name = "KIND,...",
        value_delimiter = ',',
        help_heading = "Filters"
    )]
    kinds: Vec<EntityKind>,
    /// Keep only meetings held on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = query::parse_date, help_heading = "Filters")]
    since: Option<String>,
    /// Keep only meetings held on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = query::parse_date, help_heading = "Filters")]
    until: Option<String>,
    /// Write a projection of the (filtered) graph instead of the graph.
    #[arg(long, value_enum, value_name = "PROJECTION", help_heading = "Filters")]
    project: Option<ProjectArg>,
}

impl ViewArgs {
    fn filter(&self) -> query::Filter {
        query::Filter {
            focus: self.focus.clone(),
            depth: self.depth,
            kinds: (!self.kinds.is_empty()).then(|| self.kinds.iter().copied().collect()),
            since: self.since.clone(),
            until: self.until.clone(),
        }
    }

    /// True when the graph is written as built: JSON Lines can then stream.
    fn is_identity(&self) -> bool {
        self.filter().is_empty() && self.project.is_none()
    }
}

fn export_format(f: Format) -> export::Format {
    match f {
        Format::Json => export::Format::Json,
        Format::Dot => export::Format::Dot,
        Format::Graphml => export::Format::Graphml,
        Format::Neo4j => export::Format::Neo4j,
        Format::Jsonl => export::Format::Jsonl,
    }
}

fn layout_of(l: LayoutArg) -> Layout {
    match l {
        LayoutArg::Dot => Layout::Dot,
        LayoutArg::Sfdp => Layout::Sfdp,
        LayoutArg::Neato => Layout::Neato,
    }
}

/// Checks, before any work, that the output can go where asked. `Err((code, message))`.
fn check_output(format: Format, output: Option<&Path>) -> Result<(), (u8, String)> {
    match (format, output) {
        (Format::Neo4j, None) => Err((
            2,
            "--format neo4j writes a folder (nodes.csv, relationships.csv): give it with -o DIR"
                .into(),
        )),
        (Format::Neo4j, Some(dir)) => {
            if dir.exists() && !dir.is_dir() {
                return Err((
                    1,
                    format!(
                        "{}: exists and is not a folder; neo4j output is a folder",
                        dir.display()
                    ),
                ));
            }
            let parent = parent_dir(dir);
            if !parent.is_dir() {
                return Err((
                    1,
                    format!(
                        "{}: folder {} does not exist",
                        dir.display(),
                        parent.display()
                    ),
                ));
            }
            Ok(())
        }
        (_, Some(path)) => check_output_path(path).map_err(|m| (1, m)),
        (_, None) => Ok(()),
    }
}

/// What writing did.
enum Written {
    /// Written: the number of nodes and edges.
    Done(usize, usize),
    /// The reader of standard output went away (`| head`).
    ReaderGone,
}

/// Filters, projects and writes the graph.
fn emit(
    graph: &KnowledgeGraph,
    view: &ViewArgs,
    format: Format,
    output: Option<&Path>,
    layout: LayoutArg,
    evidence: EvidenceArg,
) -> Result<Written, String> {
    // No filter: write the graph as it is (query::filter would copy it, a second graph in memory).
    let filter = view.filter();
    let g = match filter.is_empty() {
        true => std::borrow::Cow::Borrowed(graph),
        false => std::borrow::Cow::Owned(
            query::filter(graph, &filter).map_err(|e| format!("--focus {e}"))?,
        ),
    };
    let co;
    let (out, nodes, edges) = match view.project {
        Some(ProjectArg::CoAttendance) => {
            co = query::co_attendance(&g);
            (
                export::Output::CoAttendance(&co),
                co.people.len(),
                co.edges.len(),
            )
        }
        None => (export::Output::Graph(&g), g.node_count(), g.edge_count()),
    };
    let options = export::WriteOptions {
        dot: DotOptions {
            layout: layout_of(layout),
            ..DotOptions::default()
        },
        evidence: evidence_of(evidence),
    };
    let format = export_format(format);
    match output {
        Some(dir) if format.is_folder() => export::write_neo4j_with(out, options.evidence, dir)
            .map_err(|e| {
                format!(
                    "{}: cannot write: {}",
                    dir.display(),
                    corpus::describe_io(&e)
                )
            })?,
        Some(path) => write_atomically(path, |w| export::write(out, format, &options, w))?,
        None => {
            let mut lock = io::BufWriter::new(io::stdout().lock());
            match export::write(out, format, &options, &mut lock) {
                Err(e) if is_broken_pipe(&e) => return Ok(Written::ReaderGone),
                r => r.map_err(|e| format!("writing to standard output: {e}"))?,
            }
        }
    }
    Ok(Written::Done(nodes, edges))
}

/// JSON Lines written as each article finishes: to standard output, or to a temporary file
/// renamed into place when the run ends.
enum LineSink {
    Stdout(io::StdoutLock<'static>),
    File {
        tmp: PathBuf,
        path: PathBuf,
        w: io::BufWriter<std::fs::File>,
    },
    /// A target that is not a regular file (`/dev/null`, a named pipe): written in place, never
    /// replaced.
    Direct {
        path: PathBuf,
        w: io::BufWriter<std::fs::File>,
    },
}

impl LineSink {
    fn open(output: Option<&Path>) -> Result<LineSink, String> {
        let Some(shown) = output else {
            return Ok(LineSink::Stdout(io::stdout().lock()));
        };
        let fail = |e: io::Error| {
            format!(
                "{}: cannot write: {}",
                shown.display(),
                corpus::describe_io(&e)
            )
        };
        // As `write_atomically`: follow links to the real file, and write devices and pipes in
        // place (renaming over /dev/null would replace the device with a file).
        let target = std::fs::canonicalize(shown).unwrap_or_else(|_| shown.to_path_buf());
        let existing = std::fs::metadata(&target).ok();
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(fail)?;
            return Ok(LineSink::Direct {
                path: shown.to_path_buf(),
                w: io::BufWriter::new(f),
            });
        }
        let tmp = export::temp_beside(&target);
        let f = std::fs::File::create(&tmp).map_err(fail)?;
        if let Some(m) = &existing {
            // Keep the permissions of the file being replaced.
            f.set_permissions(m.permissions()).map_err(fail)?;
        }
        Ok(LineSink::File {
            tmp,
            path: target,
            w: io::BufWriter::new(f),
        })
    }

    fn line(&mut self, ex: &partygraph::Extraction, evidence: EvidenceMode) -> io::Result<()> {
        match self {
            // Standard output is line-buffered: each line goes out as it is written.
            LineSink::Stdout(w) => export::write_extraction_with(ex, evidence, w),
            LineSink::File { w, .. } | LineSink::Direct { w, .. } => {
                export::write_extraction_with(ex, evidence, w)
            }
        }
    }

    /// Flushes, and renames the file into place when `keep` (else removes it).
    fn finish(self, keep: bool) -> Result<(), String> {
        match self {
            LineSink::Stdout(mut w) => w
                .flush()
                .map_err(|e| format!("writing to standard output: {e}")),
            LineSink::Direct { path, mut w } => w.flush().map_err(|e| {
                format!(
                    "{}: cannot write: {}",
                    path.display(),
                    corpus::describe_io(&e)
                )
            }),
            LineSink::File { tmp, path, w } => {
                let res = (|| -> io::Result<()> {
                    let f = w.into_inner().map_err(|e| e.into_error())?;
                    f.sync_all()?;
                    if keep {
                        std::fs::rename(&tmp, &path)?;
                    }
                    Ok(())
                })();
                if res.is_err() || !keep {
                    let _ = std::fs::remove_file(&tmp);
                }
                res.map_err(|e| {
                    format!(
                        "{}: cannot write: {}",
                        path.display(),
                        corpus::describe_io(&e)
                    )
                })
            }
        }
    }
}

#[derive(Parser)]
struct MergeArgs {
    /// Graphs to merge: JSON graphs (--format json) and JSON Lines files (--format jsonl), or -
    /// for standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write to FILE (atomically), or for neo4j to the folder DIR, instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Layout hint for DOT output.
    #[arg(long, value_enum, default_value = "dot")]
    layout: LayoutArg,
    /// How much of each fact's evidence the output carries (in DOT: the edges' tooltips).
    #[arg(long, value_enum, default_value = "text")]
    evidence: EvidenceArg,
    /// No summary line on stderr.
    #[arg(short, long)]
    quiet: bool,
    /// Folder of gazetteer files that add to or replace the embedded ones (the listed people
    /// that tell namesakes apart).
    #[arg(long, value_name = "DIR")]
    gazetteers: Option<PathBuf>,
    #[command(flatten)]
    view: ViewArgs,
}

/// The listed people and provinces of the embedded gazetteers and those of `dir`.
fn roster(dir: Option<&Path>) -> Result<Roster, String> {
    let mut b = GazetteerBuilder::new();
    if let Some(d) = dir {
        b = b.dir(d);
    }
    b.build()
        .map(|g| Roster::from_gazetteer(&g))
        .map_err(|e| e.to_string())
}

/// Reads a JSON graph or JSON Lines file (`-` for stdin) into `graph`.
fn read_graph_file(path: &Path, graph: &mut KnowledgeGraph) -> Result<export::GraphFile, String> {
    let res = if path.as_os_str() == "-" {
        export::read_graph(io::stdin().lock(), graph)
    } else {
        let f = std::fs::File::open(path)
            .map_err(|e| format!("{}: {}", path.display(), corpus::describe_io(&e)))?;
        export::read_graph(io::BufReader::new(f), graph)
    };
    res.map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads back from the articles the text of `spans` (evidence written with `--evidence span`),
/// saying what could not be read; the texts found.
fn read_back_texts(
    graph: &KnowledgeGraph,
    spans: &[corpus::readback::SpanKey],
) -> std::collections::HashMap<corpus::readback::SpanKey, String> {
    if spans.is_empty() {
        return Default::default();
    }
    let got = corpus::readback::read_back(graph.documents(), spans);
    const SHOWN: usize = 3;
    for p in got.problems.iter().take(SHOWN) {
        say(format_args!("warning: {p}"));
    }
    if got.problems.len() > SHOWN {
        say(format_args!(
            "warning: {} more inputs could not be read",
            got.problems.len() - SHOWN
        ));
    }
    if got.missing > 0 {
        say(format_args!(
            "warning: {} of {} evidence sentences (written with --evidence span) could not be \
             read back from the articles; they are given without text",
            got.missing,
            spans.len()
        ));
    }
    got.texts
}

fn merge(args: MergeArgs) -> ExitCode {
    if let Err((code, m)) = check_output(args.format, args.output.as_deref()) {
        say(m);
        return ExitCode::from(code);
    }
    let started = std::time::Instant::now();
    let roster = match roster(args.gazetteers.as_deref()) {
        Ok(r) => r,
        Err(m) => return fail(m),
    };
    let mut graph = KnowledgeGraph::new();
    for f in &args.files {
        if let Err(m) = read_graph_file(f, &mut graph) {
            return fail(m);
        }
    }
    // Who is who, decided anew on everything merged.
    graph.settle_people(&roster);
    // Sentences of graphs written with offsets only, when the output carries text.
    let carries_text = args.evidence == EvidenceArg::Text && args.view.project.is_none();
    if carries_text {
        let missing = graph.missing_sentences();
        let texts = read_back_texts(&graph, &missing);
        graph.fill_sentences(&texts);
    }
    let docs = graph.documents().count();
    match emit(
        &graph,
        &args.view,
        args.format,
        args.output.as_deref(),
        args.layout,
        args.evidence,
    ) {
        Err(m) => fail(m),
        Ok(Written::ReaderGone) => ExitCode::SUCCESS,
        Ok(Written::Done(nodes, edges)) => {
            if !args.quiet {
                say(format_args!(
                    "merged {} files: {docs} articles, {nodes} nodes, {edges} edges in {:.2} s",
                    args.files.len(),
                    started.elapsed().as_secs_f64()
                ));
            }
            ExitCode::SUCCESS
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// Text for people.
    Text,
    /// JSON for scripts.
    Json,
}

/// Where `show` and `stats` read the corpus from.
#[derive(clap::Args)]
struct CorpusArgs {
    /// Articles (files, folders searched recursively) and graphs (*.json, *.jsonl files written
    /// by build or merge); - or nothing for an article on standard input.
    paths: Vec<PathBuf>,
    /// Folder of gazetteer files that add to or replace the embedded ones.
    #[arg(long, value_name = "DIR")]
    gazetteers: Option<PathBuf>,
    /// How to match text: with diacritics, without, or detect per document.
    #[arg(long, value_enum, default_value = "auto")]
    fold: FoldArg,
    /// Output: text for people, json for scripts.
    #[arg(long, value_enum, default_value = "text")]
    format: ReportFormat,
}

#[derive(Parser)]
struct ShowArgs {
    /// The person, committee, resolution or meeting: its ID, name, alias or document code.
    name: String,
    #[command(flatten)]
    corpus: CorpusArgs,
}

#[derive(Parser)]
struct StatsArgs {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// How many entries each ranking lists.
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
}

fn is_graph_file(p: &Path) -> bool {
    p.is_file()
        && p.extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("json") || x.eq_ignore_ascii_case("jsonl"))
}

/// Builds the graph of articles and graph files. Input problems are reported; `Ok(true)` when
/// some input failed.
fn load_corpus(args: &CorpusArgs, graph: &mut KnowledgeGraph) -> Result<bool, String> {
    let (graphs, articles): (Vec<PathBuf>, Vec<PathBuf>) =
        args.paths.iter().cloned().partition(|p| is_graph_file(p));
    for g in &graphs {
        read_graph_file(g, graph)?;
    }
    if !graphs.is_empty() && articles.is_empty() {
        graph.settle_people(&roster(args.gazetteers.as_deref())?);
        return Ok(false);
    }
    let ex = extractor(args.fold, args.gazetteers.as_deref()).map_err(|e| e.to_string())?;
    let (inputs, errors) = corpus::collect_with(&articles, corpus::InputFormat::Auto);
    let mut failed = false;
    for e in &errors {
        failed |= !e.is_warning();
        say(e);
    }
    batch::run_borrowed(&ex, &inputs, |o| {
        match o {
            batch::Outcome::Done(x, warnings) => {
                for w in warnings {
                    say(w);
                }
                graph.add_from(x);
            }
            batch::Outcome::Part(x) => graph.add_from(x),
            batch::Outcome::Failed(e) => {
                failed |= !e.is_warning();
                say(e);
            }
        }
        true
    });
    graph.settle_people(&Roster::from_gazetteer(ex.gazetteer()));
    Ok(failed)
}

/// Writes a report to standard output; a closed pipe ends quietly.
fn print_report(text: &str, failed: bool) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if !is_broken_pipe(&e) => fail(format!("writing to standard output: {e}")),
        _ if failed => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

fn to_json(v: &impl serde::Serialize) -> String {
    match serde_json::to_string_pretty(v) {
        Ok(s) => s + "\n",
        Err(e) => format!("{{\"error\": {:?}}}\n", e.to_string()),
    }
}

fn show(args: ShowArgs) -> ExitCode {
    let mut graph = KnowledgeGraph::new();
    let failed = match load_corpus(&args.corpus, &mut graph) {
        Ok(f) => f,
        Err(m) => return fail(m),
    };
    match query::show(&graph, &args.name) {
        Ok(mut r) => {
            // Sentences of graphs written with offsets only: read back from the articles.
            let missing: Vec<corpus::readback::SpanKey> = r
                .facts
                .iter()
                .flat_map(|f| &f.evidence)
                .filter(|v| v.text.is_empty() && !v.doc.is_empty())
                .map(|v| (v.doc.clone(), v.start, v.end))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let texts = read_back_texts(&graph, &missing);
            for v in r.facts.iter_mut().flat_map(|f| &mut f.evidence) {
                if let Some(t) = texts.get(&(v.doc.clone(), v.start, v.end)) {
                    v.text = t.clone();
                }
            }
            print_report(
                &match args.corpus.format {
                    ReportFormat::Text => r.to_text(),
                    ReportFormat::Json => to_json(&r),
                },
                failed,
            )
        }
        Err(e) => fail(e),
    }
}

fn stats(args: StatsArgs) -> ExitCode {
    let mut graph = KnowledgeGraph::new();
    let failed = match load_corpus(&args.corpus, &mut graph) {
        Ok(f) => f,
        Err(m) => return fail(m),
    };
    let s = query::stats(&graph, args.top);
    print_report(
        &match args.corpus.format {
            ReportFormat::Text => s.to_text(),
            ReportFormat::Json => to_json(&s),
        },
        failed,
    )
}
