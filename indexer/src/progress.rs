//! Progress of a sync: a bar with rate and ETA on a terminal, a log line every few seconds
//! otherwise (CI, files, the demo's log).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Reports blocks committed against the chain's tip.
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    last_log: Instant,
    first: u64,
    /// Whether the tip was reached once (then a line a minute is enough).
    caught_up: bool,
}

impl Progress {
    /// Starts reporting from `height` (the cursor).
    pub fn new(height: u64, tip: u64) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(tip);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} blocks {per_sec} eta {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_position(height);
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
            last_log: Instant::now(),
            first: height,
            caught_up: false,
        }
    }

    /// The cursor moved to `height`; the tip is `tip`.
    pub fn update(&mut self, height: u64, tip: u64, events: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(tip.max(height));
            bar.set_position(height);
            bar.set_message(format!("{events} events"));
        } else if self.due(height >= tip) {
            self.last_log = Instant::now();
            let secs = self.start.elapsed().as_secs_f64().max(1e-3);
            let rate = (height - self.first.min(height)) as f64 / secs;
            tracing::info!(
                height,
                tip,
                lag = tip.saturating_sub(height),
                rate = format!("{rate:.0}/s"),
                events,
                "synced"
            );
        }
    }

    /// Whether to log now: every 5 s while backfilling, once on reaching the tip, then every
    /// minute while following it.
    fn due(&mut self, at_tip: bool) -> bool {
        let first_time = at_tip && !self.caught_up;
        self.caught_up |= at_tip;
        let every = if self.caught_up { 60 } else { 5 };
        first_time || self.last_log.elapsed() >= Duration::from_secs(every)
    }

    /// Done.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
