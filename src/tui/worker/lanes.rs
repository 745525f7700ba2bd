//! The worker's lanes: each lane is one thread with a queue of its own, so a job in one lane
//! never waits behind a job in the other. A lane may let the newest queued job of a kind stand
//! in for an older one that has not started (gitui's asyncjob), so a burst of requests for the
//! same long work runs it once.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

/// Which lane a job runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Short work a person at the counter stands waiting for (argon2 checks and hashes). Every
    /// job runs, in the order submitted.
    Pin,
    /// Long work nobody stands waiting for (the chain check, report, export). Only the newest
    /// queued job of a kind runs.
    Background,
    /// Slips to paper: a printer may take seconds to time out, and nothing else waits behind
    /// it. Every slip prints, in the order submitted.
    Printer,
}

struct Queue<J> {
    jobs: VecDeque<J>,
    /// False once the handle is dropped: the thread ends after its current job.
    wanted: bool,
    /// False once the thread has ended (or could not start): submissions are refused, so the
    /// app can say the worker stopped instead of waiting for a result that never comes.
    alive: bool,
}

struct Shared<J> {
    queue: Mutex<Queue<J>>,
    wake: Condvar,
}

impl<J> Shared<J> {
    fn lock(&self) -> MutexGuard<'_, Queue<J>> {
        // Jobs run outside the lock, so a panicking job cannot leave the queue half-changed:
        // a poisoned lock still guards a consistent queue.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next job to run, or None once the handle is gone.
    fn next_job(&self) -> Option<J> {
        let mut queue = self.lock();
        loop {
            if !queue.wanted {
                return None;
            }
            if let Some(job) = queue.jobs.pop_front() {
                return Some(job);
            }
            queue = self
                .wake
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Marks the lane dead when its thread ends, however it ends (a panic included).
struct MarkEnded<J>(Arc<Shared<J>>);

impl<J> Drop for MarkEnded<J> {
    fn drop(&mut self) {
        let mut queue = self.0.lock();
        queue.alive = false;
        // Jobs that never started never will; their PINs are dropped (and zeroized) now.
        queue.jobs.clear();
    }
}

/// One lane: a thread that runs its queue's jobs one at a time through a runner.
pub(super) struct LaneThread<J> {
    shared: Arc<Shared<J>>,
    /// Whether a newly submitted job takes the place of a queued one that has not started.
    replaces: fn(queued: &J, newer: &J) -> bool,
}

/// How much CPU a lane's thread asks for when the cores are busy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LanePriority {
    Normal,
    /// Yields to the PIN lane (and the screen): a chain check may take longer, a clerk's PIN
    /// check must not. Threads the job starts (the integrity check beside the chain walk)
    /// inherit it.
    Lower,
}

/// Lowers the calling thread's scheduling priority (nice 10). Best effort: where the system
/// refuses, the lane still runs, only without the head start for the PIN lane.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority take plain integers and touch no memory of ours; on
        // Linux, PRIO_PROCESS with a thread id sets that one thread's nice value.
        let outcome = unsafe {
            let thread_id = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, thread_id as libc::id_t, 10)
        };
        if outcome != 0 {
            tracing::debug!("could not lower the background lane's priority");
        }
    }
}

impl<J: Send + 'static> LaneThread<J> {
    /// Starts the lane's thread. `runner` runs one job and says whether to keep going (false
    /// once its results have nowhere to go).
    pub(super) fn spawn(
        name: &str,
        priority: LanePriority,
        replaces: fn(queued: &J, newer: &J) -> bool,
        runner: impl FnMut(J) -> bool + Send + 'static,
    ) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                jobs: VecDeque::new(),
                wanted: true,
                alive: true,
            }),
            wake: Condvar::new(),
        });
        let for_thread = Arc::clone(&shared);
        let spawned = thread::Builder::new().name(name.to_owned()).spawn(move || {
            if priority == LanePriority::Lower {
                lower_this_threads_priority();
            }
            // Declared before the guard so it is dropped after it: whoever watches the
            // runner's channels close sees a lane that already refuses new jobs.
            let mut runner = runner;
            let _ended = MarkEnded(Arc::clone(&for_thread));
            while let Some(job) = for_thread.next_job() {
                if !runner(job) {
                    break;
                }
            }
        });
        if spawned.is_err() {
            shared.lock().alive = false;
        }
        Self { shared, replaces }
    }

    /// Queues a job; false when the lane's thread has ended.
    pub(super) fn submit(&self, job: J) -> bool {
        let mut queue = self.shared.lock();
        if !queue.alive {
            return false;
        }
        let replaces = self.replaces;
        match queue.jobs.iter_mut().find(|queued| replaces(queued, &job)) {
            // In the older job's place, so a steady stream of requests cannot starve the
            // other kinds queued behind it. The older job's result would be stale: the app
            // only waits for the newest job of a kind.
            Some(queued) => *queued = job,
            None => queue.jobs.push_back(job),
        }
        drop(queue);
        self.shared.wake.notify_one();
        true
    }
}

impl<J> Drop for LaneThread<J> {
    /// The thread finishes the job it is running (nothing can interrupt argon2 or a chain walk
    /// midway) and then ends; queued jobs are dropped unrun, since nobody is left to want them.
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        queue.wanted = false;
        queue.jobs.clear();
        drop(queue);
        self.shared.wake.notify_all();
    }
}

/// A PIN lane, a background lane and a printer lane, each on its own thread, and the rule
/// that sends each job to one of them.
pub struct Lanes<J> {
    pin: LaneThread<J>,
    background: LaneThread<J>,
    printer: LaneThread<J>,
    lane_of: fn(&J) -> Lane,
}

impl<J: Send + 'static> Lanes<J> {
    /// `same_kind` decides which background jobs stand in for each other; the PIN lane keeps
    /// every job, because each has a person waiting on it.
    pub(super) fn spawn(
        lane_of: fn(&J) -> Lane,
        same_kind: fn(&J, &J) -> bool,
        runner: impl FnMut(J) -> bool + Clone + Send + 'static,
    ) -> Self {
        Self {
            pin: LaneThread::spawn(
                "kiosk-pin",
                LanePriority::Normal,
                |_, _| false,
                runner.clone(),
            ),
            background: LaneThread::spawn(
                "kiosk-background",
                LanePriority::Lower,
                same_kind,
                runner.clone(),
            ),
            printer: LaneThread::spawn("kiosk-printer", LanePriority::Normal, |_, _| false, runner),
            lane_of,
        }
    }

    /// False when the job's lane has ended.
    pub(super) fn submit(&self, job: J) -> bool {
        match (self.lane_of)(&job) {
            Lane::Pin => self.pin.submit(job),
            Lane::Background => self.background.submit(job),
            Lane::Printer => self.printer.submit(job),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
    use std::time::Duration;

    /// Only a bound on how long a broken lane may hang a test; no test waits for it to pass.
    const PATIENCE: Duration = Duration::from_secs(60);

    /// Holds a job in its runner until the test lets it go, so "still running" is a fact of
    /// the test rather than a guess about timing.
    struct Hold {
        started: Sender<()>,
        release: Receiver<()>,
    }

    struct TestJob {
        name: &'static str,
        lane: Lane,
        kind: char,
        hold: Option<Hold>,
    }

    fn job(name: &'static str, lane: Lane, kind: char) -> TestJob {
        TestJob {
            name,
            lane,
            kind,
            hold: None,
        }
    }

    /// A job that, once running, says so and waits for the returned sender.
    fn held(name: &'static str, lane: Lane, kind: char) -> (TestJob, Receiver<()>, Sender<()>) {
        let (started, started_rx) = mpsc::channel();
        let (release_tx, release) = mpsc::channel();
        let job = TestJob {
            hold: Some(Hold { started, release }),
            ..job(name, lane, kind)
        };
        (job, started_rx, release_tx)
    }

    fn runner(done: Sender<&'static str>) -> impl FnMut(TestJob) -> bool + Clone + Send {
        move |job: TestJob| {
            if let Some(hold) = job.hold {
                let _ = hold.started.send(());
                let _ = hold.release.recv();
            }
            done.send(job.name).is_ok()
        }
    }

    fn lanes(done: Sender<&'static str>) -> Lanes<TestJob> {
        Lanes::spawn(|job| job.lane, |a, b| a.kind == b.kind, runner(done))
    }

    fn wait_started(started: &Receiver<()>) {
        assert_eq!(
            started.recv_timeout(PATIENCE),
            Ok(()),
            "the held job started"
        );
    }

    #[test]
    fn pin_and_background_jobs_finish_while_a_print_is_still_waiting_for_the_printer() {
        let (done, finished) = mpsc::channel();
        let lanes = lanes(done);
        let (print, started, release) = held("print", Lane::Printer, 'x');
        assert!(lanes.submit(print));
        wait_started(&started);
        assert!(lanes.submit(job("pin", Lane::Pin, 'p')));
        assert_eq!(finished.recv_timeout(PATIENCE), Ok("pin"));
        assert!(lanes.submit(job("report", Lane::Background, 'r')));
        assert_eq!(finished.recv_timeout(PATIENCE), Ok("report"));
        release.send(()).unwrap();
        assert_eq!(finished.recv_timeout(PATIENCE), Ok("print"));
    }

    #[test]
    fn a_pin_job_finishes_while_a_background_job_is_still_running() {
        let (done, finished) = mpsc::channel();
        let lanes = lanes(done);
        let (verify, started, release) = held("verify", Lane::Background, 'v');
        assert!(lanes.submit(verify));
        wait_started(&started);
        assert!(lanes.submit(job("pin", Lane::Pin, 'p')));
        // With one queue the PIN job would sit behind the held one until the timeout.
        assert_eq!(finished.recv_timeout(PATIENCE), Ok("pin"));
        release.send(()).unwrap();
        assert_eq!(finished.recv_timeout(PATIENCE), Ok("verify"));
    }

    #[test]
    fn a_newer_background_job_replaces_a_queued_one_of_its_kind() {
        let (done, finished) = mpsc::channel();
        let lanes = lanes(done);
        let (running, started, release) = held("verify 1", Lane::Background, 'v');
        assert!(lanes.submit(running));
        wait_started(&started);
        for (name, kind) in [
            ("report 1", 'r'),
            ("export 1", 'e'),
            ("report 2", 'r'),
            ("verify 2", 'v'),
            ("report 3", 'r'),
        ] {
            assert!(lanes.submit(job(name, Lane::Background, kind)));
        }
        release.send(()).unwrap();
        let ran: Vec<_> = (0..4)
            .map(|_| finished.recv_timeout(PATIENCE).unwrap())
            .collect();
        // The running job was not replaced; the newest report took the first report's place.
        assert_eq!(ran, ["verify 1", "report 3", "export 1", "verify 2"]);
        drop(lanes);
        // Both threads ended (the runners and their senders are gone) and nothing else ran.
        assert_eq!(
            finished.recv_timeout(PATIENCE),
            Err(RecvTimeoutError::Disconnected)
        );
    }

    #[test]
    fn the_pin_lane_runs_every_job_in_order() {
        let (done, finished) = mpsc::channel();
        let lanes = lanes(done);
        let (first, started, release) = held("check 1", Lane::Pin, 'p');
        assert!(lanes.submit(first));
        wait_started(&started);
        assert!(lanes.submit(job("check 2", Lane::Pin, 'p')));
        assert!(lanes.submit(job("hash 1", Lane::Pin, 'h')));
        assert!(lanes.submit(job("check 3", Lane::Pin, 'p')));
        release.send(()).unwrap();
        let ran: Vec<_> = (0..4)
            .map(|_| finished.recv_timeout(PATIENCE).unwrap())
            .collect();
        assert_eq!(ran, ["check 1", "check 2", "hash 1", "check 3"]);
    }

    #[test]
    fn dropping_the_lanes_ends_both_threads_after_the_running_job() {
        let (done, finished) = mpsc::channel();
        let lanes = lanes(done);
        let (running, started, release) = held("verify", Lane::Background, 'v');
        assert!(lanes.submit(running));
        wait_started(&started);
        assert!(lanes.submit(job("report", Lane::Background, 'r')));
        drop(lanes);
        release.send(()).unwrap();
        assert_eq!(finished.recv_timeout(PATIENCE), Ok("verify"));
        // The idle PIN thread ended too, and the queued report never ran.
        assert_eq!(
            finished.recv_timeout(PATIENCE),
            Err(RecvTimeoutError::Disconnected)
        );
    }

    #[test]
    fn a_lane_whose_results_have_nowhere_to_go_refuses_new_jobs() {
        let (done, finished) = mpsc::channel();
        drop(finished);
        // The probe's only sender lives in the runner: it closes when the thread has ended.
        let (probe, thread_gone) = mpsc::channel::<()>();
        let mut inner = runner(done);
        let lane = LaneThread::spawn(
            "test-lane",
            LanePriority::Normal,
            |_, _| false,
            move |job| {
                let _keep = &probe;
                inner(job)
            },
        );
        assert!(lane.submit(job("check", Lane::Pin, 'p')));
        assert_eq!(
            thread_gone.recv_timeout(PATIENCE),
            Err(RecvTimeoutError::Disconnected)
        );
        assert!(!lane.submit(job("check again", Lane::Pin, 'p')));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_background_lane_yields_to_the_pin_lane() {
        // Each job reports the nice value of the thread that ran it.
        let (report, nice_values) = mpsc::channel::<(Lane, i32)>();
        let lanes = Lanes::spawn(
            |job: &Lane| *job,
            |_, _| false,
            move |lane: Lane| {
                // SAFETY: plain integer calls on the current thread.
                let nice =
                    unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
                report.send((lane, nice)).is_ok()
            },
        );
        assert!(lanes.submit(Lane::Pin));
        assert!(lanes.submit(Lane::Background));
        let mut seen: Vec<(Lane, i32)> = (0..2)
            .map(|_| nice_values.recv().expect("both lanes report"))
            .collect();
        seen.sort_by_key(|(lane, _)| *lane == Lane::Background);
        let (pin, background) = (seen[0].1, seen[1].1);
        assert!(
            background > pin,
            "the background lane runs at a lower priority (nice {background} vs {pin})"
        );
    }
}
