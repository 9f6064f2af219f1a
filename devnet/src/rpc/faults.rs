//! Fault switches: injected latency, HTTP 429 / 5xx answers, truncated JSON bodies, dropped
//! websockets and a lagging tip. Settable at startup ([`FaultConfig`]) and at runtime through the
//! shared [`Faults`] handle (atomics, so handlers read them without locking).
//!
//! The tip lag applies to every method call (HTTP and websocket requests) but not to subscription
//! events, which keep streaming at the real tip: that reproduces the race where a `NewBlock` event
//! arrives before the (load-balanced) HTTP node can serve that height.
//!
//! Rates are decided by a deterministic PRNG (SplitMix64) seeded from [`FaultConfig::seed`], one
//! independent stream per fault kind, so the n-th request of a run always gets the same verdict and
//! changing one rate does not shift the others. No wall clock and no OS randomness are involved.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::watch;

/// Rates are stored as parts per million.
const PPM: u64 = 1_000_000;
/// SplitMix64 increment (the golden ratio).
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// Which rate-based fault a draw is for (each has its own PRNG stream).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer HTTP 429 Too Many Requests.
    TooManyRequests = 0,
    /// Answer HTTP 503 Service Unavailable.
    ServerError = 1,
    /// Cut the JSON body in half.
    Truncate = 2,
}

/// Initial fault settings; everything off by default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultConfig {
    /// PRNG seed for the rate-based faults.
    pub seed: u64,
    /// Delay added before every HTTP answer and every websocket message.
    pub latency: Duration,
    /// Fraction (0..=1) of HTTP requests answered with 429.
    pub rate_429: f64,
    /// Fraction (0..=1) of HTTP requests answered with 503.
    pub rate_5xx: f64,
    /// Fraction (0..=1) of JSON bodies cut in half.
    pub rate_truncate: f64,
    /// Close each websocket abruptly after it has sent this many messages (0 = never).
    pub ws_drop_after: u64,
    /// Serve the tip minus this many blocks ("height not yet available").
    pub lag_blocks: u64,
}

/// How many times each fault fired (for tests and logs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// HTTP 429 answers sent.
    pub too_many_requests: u64,
    /// HTTP 5xx answers sent.
    pub server_errors: u64,
    /// Truncated bodies sent.
    pub truncated: u64,
    /// Websocket connections dropped.
    pub ws_dropped: u64,
}

/// Shared, runtime-adjustable fault switches.
#[derive(Debug)]
pub struct Faults {
    latency_us: AtomicU64,
    rates: [AtomicU32; 3],
    streams: [AtomicU64; 3],
    ws_drop_after: AtomicU64,
    lag_blocks: AtomicU64,
    ws_drop_now: watch::Sender<u64>,
    fired: [AtomicU64; 4],
}

impl Default for Faults {
    fn default() -> Self {
        Self::new(FaultConfig::default())
    }
}

impl Faults {
    /// Faults with the given initial settings.
    pub fn new(config: FaultConfig) -> Self {
        let stream = |k: u64| AtomicU64::new(config.seed ^ k.wrapping_mul(0xD1B5_4A32_D192_ED03));
        let faults = Faults {
            latency_us: AtomicU64::new(0),
            rates: [AtomicU32::new(0), AtomicU32::new(0), AtomicU32::new(0)],
            streams: [stream(1), stream(2), stream(3)],
            ws_drop_after: AtomicU64::new(0),
            lag_blocks: AtomicU64::new(0),
            ws_drop_now: watch::channel(0).0,
            fired: Default::default(),
        };
        faults.set_latency(config.latency);
        faults.set_rate(FaultKind::TooManyRequests, config.rate_429);
        faults.set_rate(FaultKind::ServerError, config.rate_5xx);
        faults.set_rate(FaultKind::Truncate, config.rate_truncate);
        faults.set_ws_drop_after(config.ws_drop_after);
        faults.set_lag_blocks(config.lag_blocks);
        faults
    }

    /// Turns every fault off (the PRNG streams keep their position).
    pub fn clear(&self) {
        self.set_latency(Duration::ZERO);
        for kind in [
            FaultKind::TooManyRequests,
            FaultKind::ServerError,
            FaultKind::Truncate,
        ] {
            self.set_rate(kind, 0.0);
        }
        self.set_ws_drop_after(0);
        self.set_lag_blocks(0);
    }

    /// Sets the delay added to every HTTP answer and websocket message.
    pub fn set_latency(&self, latency: Duration) {
        let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.latency_us.store(us, Ordering::Relaxed);
    }

    /// Current added latency.
    pub fn latency(&self) -> Duration {
        Duration::from_micros(self.latency_us.load(Ordering::Relaxed))
    }

    /// Sets the fraction (clamped to 0..=1; NaN = 0) of requests hit by `kind`.
    pub fn set_rate(&self, kind: FaultKind, rate: f64) {
        let rate = if rate.is_nan() {
            0.0
        } else {
            rate.clamp(0.0, 1.0)
        };
        // In range by the clamp above, so the cast cannot truncate meaningfully.
        let ppm = (rate * PPM as f64).round() as u32;
        self.rates[kind as usize].store(ppm, Ordering::Relaxed);
    }

    /// Current rate of `kind` (0..=1).
    pub fn rate(&self, kind: FaultKind) -> f64 {
        f64::from(self.rates[kind as usize].load(Ordering::Relaxed)) / PPM as f64
    }

    /// Closes each websocket after it has sent `n` messages (0 = never).
    pub fn set_ws_drop_after(&self, n: u64) {
        self.ws_drop_after.store(n, Ordering::Relaxed);
    }

    /// Message budget per websocket (0 = unlimited).
    pub fn ws_drop_after(&self) -> u64 {
        self.ws_drop_after.load(Ordering::Relaxed)
    }

    /// Makes HTTP serve the tip minus `k` blocks.
    pub fn set_lag_blocks(&self, k: u64) {
        self.lag_blocks.store(k, Ordering::Relaxed);
    }

    /// Current tip lag in blocks.
    pub fn lag_blocks(&self) -> u64 {
        self.lag_blocks.load(Ordering::Relaxed)
    }

    /// Drops every open websocket connection now.
    pub fn drop_websockets(&self) {
        self.ws_drop_now.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// How many times each fault has fired so far.
    pub fn counts(&self) -> FaultCounts {
        let get = |i: usize| self.fired[i].load(Ordering::Relaxed);
        FaultCounts {
            too_many_requests: get(0),
            server_errors: get(1),
            truncated: get(2),
            ws_dropped: get(3),
        }
    }

    /// Draws the next verdict for `kind`: true when the fault should fire. Draws nothing while the
    /// rate is 0, so a disabled fault does not advance its stream.
    pub fn roll(&self, kind: FaultKind) -> bool {
        let ppm = u64::from(self.rates[kind as usize].load(Ordering::Relaxed));
        if ppm == 0 {
            return false;
        }
        let state = self.streams[kind as usize]
            .fetch_add(GOLDEN, Ordering::Relaxed)
            .wrapping_add(GOLDEN);
        let draw = ((splitmix64(state) >> 32) * PPM) >> 32;
        let fire = draw < ppm;
        if fire {
            self.fired[kind as usize].fetch_add(1, Ordering::Relaxed);
        }
        fire
    }

    /// Receiver that changes whenever [`Faults::drop_websockets`] is called.
    pub(crate) fn ws_drop_signal(&self) -> watch::Receiver<u64> {
        self.ws_drop_now.subscribe()
    }

    /// Records one dropped websocket.
    pub(crate) fn note_ws_dropped(&self) {
        self.fired[3].fetch_add(1, Ordering::Relaxed);
    }
}

/// SplitMix64 output function.
fn splitmix64(state: u64) -> u64 {
    let mut z = state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdicts(seed: u64, rate: f64) -> Vec<bool> {
        let faults = Faults::new(FaultConfig {
            seed,
            rate_429: rate,
            ..FaultConfig::default()
        });
        (0..200)
            .map(|_| faults.roll(FaultKind::TooManyRequests))
            .collect()
    }

    #[test]
    fn same_seed_same_verdicts() {
        assert_eq!(verdicts(7, 0.3), verdicts(7, 0.3));
        assert_ne!(verdicts(7, 0.3), verdicts(8, 0.3));
    }

    #[test]
    fn rate_is_roughly_respected() {
        let hits = verdicts(1, 0.25).into_iter().filter(|v| *v).count();
        assert!((30..=70).contains(&hits), "{hits}");
        assert!(verdicts(1, 1.0).into_iter().all(|v| v));
        assert!(verdicts(1, 0.0).into_iter().all(|v| !v));
    }
}
