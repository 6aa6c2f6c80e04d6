//! Adds up the `test result:` lines of cargo test and wasm-bindgen-test-runner,
//! and times each step.

use std::process::Command;
use std::time::{Duration, Instant};

/// Passed and failed counts over every suite, the steps that failed, and how
/// long each step took: the time since the step recorded before it (or since
/// the summary was made), so that work between two steps (a build the next
/// one needs) counts for the next.
#[derive(Debug)]
pub struct Summary {
    pub passed: u64,
    pub failed: u64,
    pub failed_steps: Vec<String>,
    pub step_times: Vec<(String, Duration)>,
    since: Instant,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            passed: 0,
            failed: 0,
            failed_steps: Vec::new(),
            step_times: Vec::new(),
            since: Instant::now(),
        }
    }
}

impl Summary {
    /// Runs `command` as the step `step` (its output shown as it comes) and
    /// adds its counts, as [`Summary::add_step`].
    pub fn run_step(&mut self, step: &str, command: &mut Command) -> Result<(), String> {
        let (ok, lines) = crate::process::run_capturing(command)?;
        self.add_step(step, ok, &lines);
        Ok(())
    }

    /// Records how long `step` took: the time since the last step recorded.
    fn time(&mut self, step: &str) {
        let now = Instant::now();
        self.step_times.push((step.to_owned(), now - self.since));
        self.since = now;
    }

    /// The `count` steps that took longest, longest first, a line each
    /// (`  123 s  step`).
    pub fn slowest_steps(&self, count: usize) -> Vec<String> {
        let mut times = self.step_times.clone();
        times.sort_by_key(|(_, took)| std::cmp::Reverse(*took));
        times
            .iter()
            .take(count)
            .map(|(step, took)| format!("{:>5.0} s  {step}", took.as_secs_f64()))
            .collect()
    }

    /// Adds the counts from the output of one step; records the step as failed
    /// if it exited badly or printed no `test result:` line at all.
    pub fn add_step(&mut self, step: &str, succeeded: bool, lines: &[String]) {
        self.time(step);
        let mut results = 0;
        for line in lines {
            if let Some((passed, failed)) = parse_result_line(line) {
                self.passed += passed;
                self.failed += failed;
                results += 1;
            }
        }
        if !succeeded || results == 0 {
            self.failed_steps.push(step.to_owned());
        }
    }

    /// Records a step that is not a test run (a build, a lint) by its outcome.
    /// A check (lint, docs, a build) counts as one test: passed, or failed
    /// with its step named, so the closing line never reads "0 failed" for
    /// a run that failed.
    pub fn add_check(&mut self, step: &str, outcome: Result<(), String>) {
        self.time(step);
        match outcome {
            Ok(()) => self.passed += 1,
            Err(message) => {
                eprintln!("xtask: {step}: {message}");
                self.failed += 1;
                self.failed_steps.push(step.to_owned());
            }
        }
    }

    /// Adds the counts, failed steps and step times `other` recorded (a
    /// lane's, see [`crate::lanes`]).
    pub fn absorb(&mut self, other: Summary) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.failed_steps.extend(other.failed_steps);
        self.step_times.extend(other.step_times);
        // The next step recorded here is timed from now, not from before the lanes.
        self.since = Instant::now();
    }

    pub fn succeeded(&self) -> bool {
        self.failed == 0 && self.failed_steps.is_empty()
    }
}

/// The counts of one closing line: libtest's (cargo test,
/// wasm-bindgen-test-runner) `test result: ok. 14 passed; 0 failed; ...` →
/// (14, 0), or node:test's TAP `# pass 3` → (3, 0) and `# fail 1` → (0, 1).
pub fn parse_result_line(line: &str) -> Option<(u64, u64)> {
    let line = line.trim();
    if let Some(count) = line.strip_prefix("# pass ") {
        return Some((count.trim().parse().ok()?, 0));
    }
    if let Some(count) = line.strip_prefix("# fail ") {
        return Some((0, count.trim().parse().ok()?));
    }
    let rest = line.strip_prefix("test result: ")?;
    let count = |label: &str| {
        rest.split(';').map(str::trim).find_map(|part| {
            let part = part.rsplit(". ").next().unwrap_or(part);
            part.strip_suffix(label)?.trim().parse::<u64>().ok()
        })
    };
    Some((count(" passed")?, count(" failed")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cargo_and_runner_lines() {
        let ok = "test result: ok. 15 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.11s";
        assert_eq!(parse_result_line(ok), Some((15, 0)));
        let failed = "test result: FAILED. 5 passed; 8 failed; 0 ignored; 0 filtered out; finished in 11.73s";
        assert_eq!(parse_result_line(failed), Some((5, 8)));
        assert_eq!(parse_result_line("running 3 tests"), None);
        assert_eq!(parse_result_line("# pass 3"), Some((3, 0)));
        assert_eq!(parse_result_line("# fail 1"), Some((0, 1)));
        assert_eq!(parse_result_line("# passing"), None);
    }

    #[test]
    fn a_step_without_results_counts_as_failed() {
        let mut summary = Summary::default();
        summary.add_step("empty", true, &["nothing".to_owned()]);
        summary.add_step(
            "good",
            true,
            &["test result: ok. 2 passed; 0 failed;".to_owned()],
        );
        assert_eq!((summary.passed, summary.failed), (2, 0));
        assert_eq!(summary.failed_steps, ["empty"]);
        assert!(!summary.succeeded());
        let timed: Vec<&str> = summary.step_times.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(timed, ["empty", "good"], "every step is timed, in order");
    }

    #[test]
    fn the_slowest_steps_come_first() {
        let mut summary = Summary::default();
        for (step, seconds) in [("quick", 1), ("slow", 90), ("middling", 12)] {
            summary
                .step_times
                .push((step.to_owned(), Duration::from_secs(seconds)));
        }
        assert_eq!(
            summary.slowest_steps(2),
            ["   90 s  slow", "   12 s  middling"]
        );
    }
}
