//! How many heights are fetched at once: additive increase while nodes answer, halved when they
//! push back (429, 5xx, timeouts), as TCP does with its congestion window.

/// The adaptive window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    size: usize,
    min: usize,
    max: usize,
    /// Successes since the last growth; the window grows by one per `size` successes, i.e.
    /// once per full window.
    credit: usize,
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
        self.credit += 1;
        if self.credit >= self.size {
            self.credit = 0;
            self.size = (self.size + 1).min(self.max);
        }
    }

    /// A node pushed back: halve.
    pub fn pressure(&mut self) {
        self.credit = 0;
        self.size = (self.size / 2).max(self.min);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_by_one_per_window_and_halves_under_pressure() {
        let mut w = Window::new(4, 1, 6);
        for _ in 0..4 {
            w.success();
        }
        assert_eq!(w.size(), 5);
        for _ in 0..100 {
            w.success();
        }
        assert_eq!(w.size(), 6, "capped at max");
        w.pressure();
        assert_eq!(w.size(), 3);
        w.pressure();
        w.pressure();
        w.pressure();
        assert_eq!(w.size(), 1, "never below min");
    }
}
