//! The progress bar of `partygraph build` (on stderr): files done / total, MB/s, ETA.
//!
//! Drawn only when stderr is a terminal, `--quiet` is not given, and the run takes more than a
//! moment (it appears after [`SHOW_AFTER`]); otherwise it is hidden and costs nothing. Lines
//! printed while it is drawn (warnings, errors, the summary) go through [`suspend`], which lifts
//! the bar out of the way.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The bar on screen, for [`suspend`].
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Runs `print` (which writes to stderr) with the bar, when one is drawn, lifted out of the way.
pub fn suspend(print: impl FnOnce()) {
    let active = ACTIVE.lock().ok().and_then(|a| a.clone());
    match active {
        Some(bar) => bar.suspend(print),
        None => print(),
    }
}

/// A run shorter than this never shows a bar.
pub const SHOW_AFTER: Duration = Duration::from_millis(500);

/// Progress over a list of files.
pub struct Progress {
    bar: Option<ProgressBar>,
    shown: bool,
    started: Instant,
    bytes: Arc<AtomicU64>,
}

impl Progress {
    /// A bar over `files` inputs; hidden unless stderr is a terminal and not `quiet`.
    pub fn new(files: usize, quiet: bool, started: Instant) -> Progress {
        let wanted = !quiet && files > 1 && std::io::stderr().is_terminal();
        let bytes = Arc::new(AtomicU64::new(0));
        let bar = wanted.then(|| {
            let b = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::hidden());
            let counted = Arc::clone(&bytes);
            let style = ProgressStyle::with_template(
                "{elapsed:>4} [{wide_bar}] {pos}/{len} files  {mbps}  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key(
                "mbps",
                move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let secs = s.elapsed().as_secs_f64().max(1e-3);
                    let mb = counted.load(Ordering::Relaxed) as f64 / 1e6;
                    let _ = write!(w, "{:.1} MB/s", mb / secs);
                },
            )
            .progress_chars("=> ");
            b.set_style(style);
            b
        });
        Progress {
            bar,
            shown: false,
            started,
            bytes,
        }
    }

    /// One more input done, of `bytes` bytes.
    pub fn inc(&mut self, bytes: usize) {
        let Some(bar) = &self.bar else { return };
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
        bar.inc(1);
        if !self.shown && self.started.elapsed() >= SHOW_AFTER {
            self.shown = true;
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
            if let Ok(mut a) = ACTIVE.lock() {
                *a = Some(bar.clone());
            }
        }
    }

    /// Bytes read within an input (the rows of a corpus file), without counting an input.
    pub fn bytes(&mut self, bytes: usize) {
        self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// Turns the bar into a spinner with `what` while the output is written.
    pub fn writing(&self, what: &str) {
        if let (Some(bar), true) = (&self.bar, self.shown) {
            let style = ProgressStyle::with_template("{elapsed:>4} {spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.set_message(what.to_string());
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            if let Ok(mut a) = ACTIVE.lock() {
                *a = None;
            }
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
