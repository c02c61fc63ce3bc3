//! A log-linear latency histogram: 16 sub-buckets per power of two (about 6% resolution),
//! exact below 32 ns, fixed memory however many values it sees.

/// Values below this are counted exactly.
const LINEAR: u64 = 32;
/// Sub-buckets per power of two.
const SUB: usize = 16;

fn bucket(v: u64) -> usize {
    if v < LINEAR {
        return v as usize;
    }
    let e = 63 - v.leading_zeros() as usize; // >= 5
    let m = ((v >> (e - 4)) & 0xf) as usize;
    LINEAR as usize + (e - 5) * SUB + m
}

fn lower_bound(idx: usize) -> u64 {
    if idx < LINEAR as usize {
        return idx as u64;
    }
    let e = (idx - LINEAR as usize) / SUB + 5;
    let m = ((idx - LINEAR as usize) % SUB) as u64;
    (1u64 << e) | (m << (e - 4))
}

/// Counts of durations (nanoseconds).
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    max: u64,
}

impl Histogram {
    /// Counts one value.
    #[inline]
    pub fn record(&mut self, v: u64) {
        let b = bucket(v);
        if self.counts.len() <= b {
            self.counts.resize(b + 1, 0);
        }
        self.counts[b] += 1;
        self.total += 1;
        self.max = self.max.max(v);
    }

    /// Records `n` values of `v` at once.
    pub fn record_n(&mut self, v: u64, n: u64) {
        if n == 0 {
            return;
        }
        let b = bucket(v);
        if self.counts.len() <= b {
            self.counts.resize(b + 1, 0);
        }
        self.counts[b] += n;
        self.total += n;
        self.max = self.max.max(v);
    }

    /// Raises the maximum to `v` (a maximum known exactly while the values are not).
    pub fn raise_max(&mut self, v: u64) {
        self.max = self.max.max(v);
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &Histogram) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.max = self.max.max(other.max);
    }

    /// The largest value seen.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// The counts by power of two: `(lower bound in ns, count)` for each non-empty range
    /// `[2^k, 2^(k+1))` (and `[0, 1)`), in order — what a latency chart draws.
    pub fn log2(&self) -> Vec<(u64, u64)> {
        let mut out: Vec<(u64, u64)> = Vec::new();
        for (i, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let lo = lower_bound(i);
            let pow = if lo == 0 {
                0
            } else {
                1u64 << (63 - lo.leading_zeros())
            };
            match out.last_mut() {
                Some(last) if last.0 == pow => last.1 += c,
                _ => out.push((pow, c)),
            }
        }
        out
    }

    /// The value at quantile `q` (0..=1), as the lower bound of its bucket, capped at the max.
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return lower_bound(i).min(self.max);
            }
        }
        self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_of_two_sum_the_fine_buckets() {
        let mut h = Histogram::default();
        for v in [0u64, 1, 3, 3, 40, 50, 63, 64, 1000, 1023, 1024] {
            h.record(v);
        }
        assert_eq!(
            h.log2(),
            vec![
                (0, 1),
                (1, 1),
                (2, 2),
                (32, 3),
                (64, 1),
                (512, 2),
                (1024, 1)
            ]
        );
        assert_eq!(h.log2().iter().map(|b| b.1).sum::<u64>(), 11);
    }

    #[test]
    fn buckets_are_monotonic_and_tight() {
        let mut last = 0;
        for v in [
            0u64,
            1,
            31,
            32,
            33,
            47,
            48,
            100,
            1000,
            12345,
            1 << 40,
            u64::MAX,
        ] {
            let b = bucket(v);
            assert!(b >= last, "{v}");
            last = b;
            let lo = lower_bound(b);
            assert!(lo <= v, "{v}: lower bound {lo}");
            assert!(v - lo <= v / 16 + 1, "{v}: lower bound {lo} too loose");
        }
    }

    #[test]
    fn quantiles() {
        let mut h = Histogram::default();
        for v in 1..=1000u64 {
            h.record(v * 1000);
        }
        let p50 = h.quantile(0.5);
        assert!((470_000..=500_000).contains(&p50), "{p50}");
        let p99 = h.quantile(0.99);
        assert!((930_000..=990_000).contains(&p99), "{p99}");
        assert_eq!(h.max(), 1_000_000);
        assert_eq!(Histogram::default().quantile(0.5), 0);
    }
}
