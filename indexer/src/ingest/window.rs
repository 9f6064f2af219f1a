//! How many heights are fetched at once, as TCP sizes its congestion window: slow start (one
//! more per success, so the window doubles each round trip) until nodes first push back (429,
//! 5xx, timeouts), then additive increase (one more per full window), halved on each pushback.

/// The adaptive window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    size: usize,
    min: usize,
    max: usize,
    /// Successes since the last growth; after slow start the window grows by one per `size`
    /// successes, i.e. once per full window.
    credit: usize,
    /// No pushback seen yet: grow by one per success.
    slow_start: bool,
}

impl Window {
    /// A window starting at `start`, kept within `[min, max]`.
    pub fn new(start: usize, min: usize, max: usize) -> Self {
        let min = min.max(1);
        let max = max.max(min);
        Window {
            size: start.clamp(min, max),
            min,
            max,
            credit: 0,
            slow_start: true,
        }
    }

    /// Requests allowed in flight now.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The largest the window may grow to.
    pub fn max(&self) -> usize {
        self.max
    }

    /// A request succeeded.
    pub fn success(&mut self) {
        if self.slow_start {
            self.size = (self.size + 1).min(self.max);
            return;
        }
        self.credit += 1;
        if self.credit >= self.size {
            self.credit = 0;
            self.size = (self.size + 1).min(self.max);
        }
    }

    /// A node pushed back: halve.
    pub fn pressure(&mut self) {
        self.slow_start = false;
        self.credit = 0;
        self.size = (self.size / 2).max(self.min);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_start_then_one_per_window_and_halves_under_pressure() {
        let mut w = Window::new(4, 1, 64);
        for _ in 0..4 {
            w.success();
        }
        assert_eq!(w.size(), 8, "slow start: one more per success");
        w.pressure();
        assert_eq!(w.size(), 4);
        for _ in 0..4 {
            w.success();
        }
        assert_eq!(w.size(), 5, "after pushback: one more per full window");
        for _ in 0..10_000 {
            w.success();
        }
        assert_eq!(w.size(), 64, "capped at max");
        let mut w = Window::new(6, 1, 6);
        w.pressure();
        assert_eq!(w.size(), 3);
        w.pressure();
        w.pressure();
        w.pressure();
        assert_eq!(w.size(), 1, "never below min");
    }
}
