//! Steps side by side: lanes, each a thread that runs its steps in order,
//! all at once. The test run's suites mostly wait (on timers, reconnects,
//! browsers), so two lanes on two cores take little more than the longer
//! one. What each lane prints is shown as it comes, each line marked with
//! the lane's name (`[browsers] ...`), and its counts and step times join
//! the run's summary when every lane is done.

use crate::summary::Summary;
use std::cell::Cell;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Instant;

thread_local! {
    /// The name of the lane this thread runs, if it runs one.
    static LANE: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// What marks a line printed for the lane this thread runs: `[name] `, or
/// nothing outside a lane.
pub fn mark() -> String {
    LANE.with(|lane| {
        lane.get()
            .map(|name| format!("[{name}] "))
            .unwrap_or_default()
    })
}

/// What one lane hands to the others, which wait for it where they need it
/// (the examples' pages, built beside the suites that test other things
/// first). Given once; every wait after that returns it at once.
pub struct Handoff<T> {
    given: Mutex<Option<T>>,
    changed: Condvar,
}

impl<T: Clone> Handoff<T> {
    /// Nothing given yet.
    pub fn new() -> Self {
        Handoff {
            given: Mutex::new(None),
            changed: Condvar::new(),
        }
    }

    /// Gives what `make` returns, or `or_else` if it panics, so no lane waits
    /// forever for a lane that failed; returns what it gave.
    pub fn give_from(&self, make: impl FnOnce() -> T, or_else: T) -> T {
        let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(make)).unwrap_or(or_else);
        let mut given = self.given.lock().unwrap_or_else(PoisonError::into_inner);
        *given = Some(made.clone());
        self.changed.notify_all();
        made
    }

    /// What was given, once it is; says how long this lane waited for `what`
    /// if it had to.
    pub fn wait(&self, what: &str) -> T {
        let started = Instant::now();
        let mut given = self.given.lock().unwrap_or_else(PoisonError::into_inner);
        let mut waited = false;
        loop {
            if let Some(value) = given.as_ref() {
                if waited {
                    println!(
                        "{}xtask: waited {:.0} s for {what}",
                        mark(),
                        started.elapsed().as_secs_f64()
                    );
                }
                return value.clone();
            }
            waited = true;
            given = self
                .changed
                .wait(given)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// One lane: its name and its steps, which add to the summary they are given.
pub type Lane<'a> = (
    &'static str,
    Box<dyn FnOnce(&mut Summary) -> Result<(), String> + Send + 'a>,
);

/// Runs every lane at once, each on its own thread, and adds what each
/// recorded to `summary`. A lane that cannot go on (Err) stops there; the
/// others finish, what every lane recorded is added, and the first such
/// error is returned.
pub fn run(summary: &mut Summary, lanes: Vec<Lane<'_>>) -> Result<(), String> {
    let outcomes: Vec<(&str, Summary, Result<(), String>, f64)> = std::thread::scope(|scope| {
        let running: Vec<_> = lanes
            .into_iter()
            .map(|(name, steps)| {
                let thread = scope.spawn(move || {
                    LANE.with(|lane| lane.set(Some(name)));
                    let started = Instant::now();
                    let mut recorded = Summary::default();
                    let outcome = steps(&mut recorded);
                    (recorded, outcome, started.elapsed().as_secs_f64())
                });
                (name, thread)
            })
            .collect();
        running
            .into_iter()
            .map(|(name, thread)| match thread.join() {
                Ok((recorded, outcome, seconds)) => (name, recorded, outcome, seconds),
                Err(_) => (name, Summary::default(), Err("it panicked".to_owned()), 0.0),
            })
            .collect()
    });
    let mut first_error = None;
    for (name, recorded, outcome, seconds) in outcomes {
        println!("xtask: lane {name} took {seconds:.0} s");
        summary.absorb(recorded);
        if let Err(error) = outcome {
            first_error.get_or_insert(format!("lane {name}: {error}"));
        }
    }
    first_error.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_run_at_once_and_their_counts_join_the_summary() {
        let mut summary = Summary::default();
        let started = Instant::now();
        let step = |name: &'static str| -> Lane<'static> {
            (
                name,
                Box::new(move |recorded: &mut Summary| {
                    assert_eq!(mark(), format!("[{name}] "));
                    std::thread::sleep(std::time::Duration::from_millis(300));
                    recorded.add_step(name, true, &["# pass 2".to_owned()]);
                    Ok(())
                }),
            )
        };
        run(&mut summary, vec![step("a"), step("b")]).unwrap();
        assert!(
            started.elapsed().as_millis() < 550,
            "side by side, not one after the other"
        );
        assert_eq!((summary.passed, summary.failed), (4, 0));
        assert_eq!(summary.step_times.len(), 2);
        assert_eq!(mark(), "", "no mark outside a lane");
    }

    #[test]
    fn a_handoff_waits_for_what_another_lane_gives_or_for_its_panic() {
        let built: Handoff<Result<u32, String>> = Handoff::new();
        let seen = Mutex::new(Vec::new());
        let gives: Lane<'_> = (
            "gives",
            Box::new(|_: &mut Summary| {
                std::thread::sleep(std::time::Duration::from_millis(200));
                assert_eq!(built.give_from(|| Ok(7), Err("panicked".to_owned())), Ok(7));
                Ok(())
            }),
        );
        let waits = |name: &'static str| -> Lane<'_> {
            (
                name,
                Box::new(|_: &mut Summary| {
                    seen.lock().unwrap().push(built.wait("the build"));
                    Ok(())
                }),
            )
        };
        let started = Instant::now();
        run(&mut Summary::default(), vec![waits("a"), gives, waits("b")]).unwrap();
        assert!(started.elapsed().as_millis() >= 200, "the waits waited");
        assert_eq!(*seen.lock().unwrap(), [Ok(7), Ok(7)]);
        assert_eq!(built.wait("given already"), Ok(7), "at once once given");

        let panics: Handoff<Result<u32, String>> = Handoff::new();
        let given = panics.give_from(
            || panic!("a bug in the build"),
            Err("it panicked".to_owned()),
        );
        assert_eq!(given, Err("it panicked".to_owned()));
        assert_eq!(panics.wait("the build"), Err("it panicked".to_owned()));
    }

    #[test]
    fn a_lane_that_stops_is_reported_and_the_others_still_count() {
        let mut summary = Summary::default();
        let stops: Lane<'static> = (
            "stops",
            Box::new(|recorded: &mut Summary| {
                recorded.add_step("before", true, &["# pass 1".to_owned()]);
                Err("no driver".to_owned())
            }),
        );
        let counts: Lane<'static> = (
            "counts",
            Box::new(|recorded: &mut Summary| {
                recorded.add_step("one", false, &["# fail 1".to_owned()]);
                Ok(())
            }),
        );
        let error = run(&mut summary, vec![stops, counts]).unwrap_err();
        assert_eq!(error, "lane stops: no driver");
        assert_eq!((summary.passed, summary.failed), (1, 1));
        assert_eq!(summary.failed_steps, ["one"]);
    }
}
