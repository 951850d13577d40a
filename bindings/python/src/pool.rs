//! The Rust threads `AsyncClient` runs calls on: up to `MAX_THREADS`, started as work
//! arrives, fed by one queue. After `fork` the child starts a pool of its own (its
//! parent's threads do not exist there).

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// Threads at most: enough for the requests a merchant's quota allows in flight.
const MAX_THREADS: usize = 64;

struct Pool {
    pid: u32,
    tx: Sender<Job>,
    rx: Arc<Mutex<Receiver<Job>>>,
    threads: usize,
    /// Jobs queued or running.
    busy: Arc<std::sync::atomic::AtomicUsize>,
}

static POOL: Mutex<Option<Pool>> = Mutex::new(None);

/// Runs `job` on a pool thread.
pub(crate) fn spawn(job: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    use std::sync::atomic::Ordering::SeqCst;
    let mut guard = POOL.lock().unwrap_or_else(|p| p.into_inner());
    let pid = std::process::id();
    if guard.as_ref().is_none_or(|p| p.pid != pid) {
        let (tx, rx) = channel();
        *guard = Some(Pool {
            pid,
            tx,
            rx: Arc::new(Mutex::new(rx)),
            threads: 0,
            busy: Arc::default(),
        });
    }
    let pool = guard.as_mut().expect("the pool was just made");
    let busy = pool.busy.fetch_add(1, SeqCst) + 1;
    if busy > pool.threads && pool.threads < MAX_THREADS {
        let (rx, counter) = (pool.rx.clone(), pool.busy.clone());
        std::thread::Builder::new()
            .name(format!("nameauth-async-{}", pool.threads))
            .spawn(move || loop {
                let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                match next {
                    Ok(job) => {
                        job();
                        counter.fetch_sub(1, SeqCst);
                    }
                    Err(_) => return,
                }
            })
            .inspect_err(|_| {
                pool.busy.fetch_sub(1, SeqCst);
            })?;
        pool.threads += 1;
    }
    pool.tx
        .send(Box::new(job))
        .map_err(|_| std::io::Error::other("the nameauth worker pool has stopped"))
}
