//! A time-ordered queue of things to do, so a block only looks at what is due instead of every
//! deployment, booking or pilot (a month of 6 s blocks is 432,000 of them).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<T> {
    at_s: u64,
    seq: u64,
    task: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at_s, self.seq) == (other.at_s, other.seq)
    }
}

impl<T> Eq for Entry<T> {}

impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T> Ord for Entry<T> {
    // Reversed: the earliest (then first scheduled) entry is the heap's maximum.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at_s, other.seq).cmp(&(self.at_s, self.seq))
    }
}

/// Tasks by due chain time; equal times run in the order they were scheduled (deterministic).
pub struct Agenda<T> {
    heap: BinaryHeap<Entry<T>>,
    seq: u64,
}

impl<T> Default for Agenda<T> {
    fn default() -> Self {
        Agenda {
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }
}

impl<T> Agenda<T> {
    /// Schedules `task` for the first block at or after chain time `at_s`.
    pub fn at(&mut self, at_s: u64, task: T) {
        self.seq += 1;
        self.heap.push(Entry {
            at_s,
            seq: self.seq,
            task,
        });
    }

    /// Removes and returns every task due at `now_s`, in order.
    pub fn due(&mut self, now_s: u64) -> Vec<T> {
        let mut out = Vec::new();
        while self.heap.peek().is_some_and(|e| e.at_s <= now_s) {
            if let Some(e) = self.heap.pop() {
                out.push(e.task);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_tasks_come_out_in_time_then_schedule_order() {
        let mut a = Agenda::default();
        a.at(30, "c");
        a.at(10, "a");
        a.at(10, "b");
        a.at(50, "d");
        assert_eq!(a.due(5), Vec::<&str>::new());
        assert_eq!(a.due(30), vec!["a", "b", "c"]);
        assert_eq!(a.due(49), Vec::<&str>::new());
        assert_eq!(a.due(100), vec!["d"]);
        assert_eq!(a.due(u64::MAX), Vec::<&str>::new());
    }
}
