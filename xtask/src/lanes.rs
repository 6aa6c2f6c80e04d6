//! Steps side by side: lanes, each a thread that runs its steps in order,
//! all at once. The test run's suites mostly wait (on timers, reconnects,
//! browsers), so two lanes on two cores take little more than the longer
//! one. What each lane prints is shown as it comes, each line marked with
//! the lane's name (`[browsers] ...`), and its counts and step times join
//! the run's summary when every lane is done.

use crate::summary::Summary;
use std::cell::RefCell;
use std::time::Instant;

thread_local! {
    /// The name of the lane this thread runs, if it runs one.
    static LANE: RefCell<Option<&'static str>> = const { RefCell::new(None) };
}

/// What marks a line printed for the lane this thread runs: `[name] `, or
/// nothing outside a lane.
pub fn mark() -> String {
    LANE.with(|lane| {
        lane.borrow()
            .map(|name| format!("[{name}] "))
            .unwrap_or_default()
    })
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
                    LANE.with(|lane| *lane.borrow_mut() = Some(name));
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
