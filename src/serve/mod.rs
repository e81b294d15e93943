//! `serve`: build into memory, serve on loopback, rebuild on change, reload the browser.
//!
//! The rebuild loop runs on its own thread and publishes each good site to the HTTP server;
//! a failed rebuild keeps the last good site and shows the error on every open page.

mod http;
mod listen;
pub mod session;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::pipeline::BuildOptions;
use http::Shared;
use session::{Rebuilt, Session};

/// What `verbatim serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub interface: IpAddr,
    /// The port to try first; the next free one is taken when it is busy.
    pub port: u16,
    /// Poll the files instead of relying on the operating system's notifications.
    pub poll: bool,
}

/// Told what the server is doing; the binary prints it.
pub trait Reporter: Send + Sync {
    fn listening(&self, url: &str, polling: bool);
    fn rebuilt(&self, rebuilt: &Rebuilt);
    fn failed(&self, error: &Error);
}

/// Builds, serves and watches until the process is stopped.
pub fn serve(mut options: ServeOptions, reporter: Arc<dyn Reporter>) -> Result<()> {
    // Watchers report absolute paths: work from the root's absolute path too.
    options.build.root = options
        .build
        .root
        .canonicalize()
        .map_err(|e| Error::io(&options.build.root, e))?;
    let session = Session::start(options.build.clone())?;
    let base_path = session.config().base_path();
    let shared = Shared::new(session.pages(), base_path.clone());
    let watch = watch::watch(&options.build.root, options.poll)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(&options.build.root, e))?;
    let listener = runtime.block_on(bind(options.interface, options.port))?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::io(&options.build.root, e))?;
    reporter.listening(&format!("http://{address}{base_path}"), watch.polling);
    spawn_rebuild_loop(session, watch, Arc::clone(&shared), Arc::clone(&reporter));
    runtime.block_on(listen::serve(listener, http::router(shared)));
    Ok(())
}

/// The first free port from `port` on (the OS picks one when `port` is 0).
async fn bind(interface: IpAddr, port: u16) -> Result<tokio::net::TcpListener> {
    let mut last_error = None;
    for candidate in (0..50u16).filter_map(|offset| port.checked_add(offset)) {
        match tokio::net::TcpListener::bind(SocketAddr::new(interface, candidate)).await {
            Ok(listener) => return Ok(listener),
            Err(e) => last_error = Some(e),
        }
        if port == 0 {
            break;
        }
    }
    let error = last_error.unwrap_or_else(|| std::io::Error::other("no port to try"));
    Err(Error::io(format!("{interface}:{port}"), error))
}

fn spawn_rebuild_loop(
    session: Session,
    watch: watch::Watch,
    shared: Arc<Shared>,
    reporter: Arc<dyn Reporter>,
) {
    let session = Arc::new(Mutex::new(session));
    // From here on rayon's global pool only builds search indexes (Pagefind parses on it),
    // so its threads give way to an edit's, which render on a pool of their own.
    rayon::broadcast(|_| give_way());
    let indexer = Arc::new(Indexer {
        session: Arc::clone(&session),
        shared: Arc::clone(&shared),
        reporter: Arc::clone(&reporter),
        running: Mutex::new(false),
    });
    std::thread::spawn(move || {
        // Own the whole watch here: the watcher stops when it is dropped.
        let mut watch = watch;
        // Edits render on threads of their own. Pagefind parses on rayon's global pool, and
        // an edit's pages queued behind a background index's work waited tens of seconds; on
        // separate threads they only share the cores.
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("rebuild-{i}"))
            .build()
            .ok();
        while let Some(changed) = watch.next_batch() {
            let mut current = lock(&session);
            let session: &mut Session = &mut current;
            let applied = match &pool {
                Some(pool) => pool.install(|| session.apply(&changed)),
                None => session.apply(&changed),
            };
            match applied {
                Ok(Some(rebuilt)) => {
                    shared.publish(current.pages());
                    reporter.rebuilt(&rebuilt);
                    drop(current);
                    // An edit's pages are served first; the search index follows, without
                    // another reload.
                    Indexer::catch_up(&indexer);
                }
                Ok(None) => {}
                Err(error) => {
                    shared.fail(error.to_string());
                    reporter.failed(&error);
                }
            }
        }
    });
}

/// Builds the search index on its own thread, so that edits go on while it works: at ten
/// thousand episodes it takes minutes, the edit's pages well under a second. One build at a
/// time; when it ends and the site has changed meanwhile, it starts again from the latest
/// archive.
struct Indexer {
    session: Arc<Mutex<Session>>,
    shared: Arc<Shared>,
    reporter: Arc<dyn Reporter>,
    running: Mutex<bool>,
}

impl Indexer {
    fn catch_up(this: &Arc<Indexer>) {
        {
            let mut running = lock(&this.running);
            if *running {
                return;
            }
            *running = true;
        }
        let this = Arc::clone(this);
        std::thread::spawn(move || {
            give_way();
            loop {
                // Decided under the same lock `catch_up` takes, so no edit goes unindexed.
                let source = {
                    let mut running = lock(&this.running);
                    let source = lock(&this.session).stale_index();
                    *running = source.is_some();
                    match source {
                        Some(source) => source,
                        None => return,
                    }
                };
                match source.build() {
                    Ok(index) => {
                        let mut session = lock(&this.session);
                        session.install_index(&source, index);
                        this.shared.publish_quietly(session.pages());
                    }
                    Err(error) => {
                        this.reporter.failed(&error);
                        *lock(&this.running) = false;
                        return;
                    }
                }
            }
        });
    }
}

/// Lowers the calling thread's scheduling priority (a nice value of 10), so that when an edit
/// and a search index both want the cores, the edit gets most of them: with the same priority,
/// one edit in five at 10,000 episodes took over a second while an index was being built.
/// Elsewhere than Linux, threads keep their priority.
fn give_way() {
    #[cfg(target_os = "linux")]
    // SAFETY: `gettid` cannot fail, and `setpriority` on the calling thread's own id changes
    // nothing but that thread's priority; a failure leaves it as it was, which is harmless.
    unsafe {
        let thread = libc::gettid() as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, thread, 10);
    }
}

/// A poisoned lock only means another thread panicked mid-rebuild; the session it guards is
/// still the last good one.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
