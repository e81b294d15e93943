//! `serve`: build into memory, serve on loopback, rebuild on change, reload the browser.
//!
//! The rebuild loop runs on its own thread and publishes each good site to the HTTP server;
//! a failed rebuild keeps the last good site and shows the error on every open page.

mod http;
pub mod session;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

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
    runtime.block_on(async move {
        axum::serve(listener, http::router(shared))
            .await
            .map_err(|e| Error::io(&options.build.root, e))
    })
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
    mut session: Session,
    watch: watch::Watch,
    shared: Arc<Shared>,
    reporter: Arc<dyn Reporter>,
) {
    std::thread::spawn(move || {
        // Own the whole watch here: the watcher stops when it is dropped.
        let mut watch = watch;
        while let Some(changed) = watch.next_batch() {
            match session.apply(&changed) {
                Ok(Some(rebuilt)) => {
                    shared.publish(session.pages());
                    reporter.rebuilt(&rebuilt);
                    // An edit's pages are served first; the search index follows, without
                    // another reload.
                    if rebuilt.kind == "episodes" {
                        match session.reindex() {
                            Ok(()) => shared.publish_quietly(session.pages()),
                            Err(error) => reporter.failed(&error),
                        }
                    }
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
