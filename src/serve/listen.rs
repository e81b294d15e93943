//! Accepting connections for the preview server: the only module that knows hyper.
//!
//! A client that opens a connection and sends nothing, or sends its request a byte at a time,
//! must not stop the server answering others. Each connection has a few seconds to send its
//! request's headers, and only so many connections are served at once: past that, new ones
//! wait to be accepted until one closes. Without the limit, idle connections took every file
//! descriptor the process may open, and then nothing was accepted and no rebuild could read a
//! file; without the timeout, they never closed.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a connection may take to send a request's headers, from when it opens or its last
/// response ends. A browser sends them at once; a keep-alive connection idle for longer is
/// closed, and the browser opens another.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// Open files kept for the rest of the process (the rebuilds read every source file) when the
/// connection limit is worked out from the process's open-file limit.
const RESERVED_FILES: usize = 64;
/// At most this many connections at once, whatever the open-file limit: a preview has a few
/// browser tabs, each with a handful of connections.
const MAX_CONNECTIONS: usize = 1024;
const MIN_CONNECTIONS: usize = 16;
/// The open-file limit assumed where it cannot be asked for: macOS's default.
const DEFAULT_FILE_LIMIT: usize = 256;
/// The pause after a failed accept (most often: out of file descriptors), before trying again.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

/// Serves `router` to every connection `listener` accepts, until the process stops.
pub async fn serve(listener: TcpListener, router: Router) {
    let permits = Arc::new(Semaphore::new(connection_limit()));
    loop {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(ACCEPT_RETRY).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            // A connection that fails (closed, timed out, bad request) concerns only its client.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

/// How many connections are served at once: what the open-file limit allows with room to
/// spare, within [`MIN_CONNECTIONS`] and [`MAX_CONNECTIONS`].
fn connection_limit() -> usize {
    open_file_limit()
        .unwrap_or(DEFAULT_FILE_LIMIT)
        .saturating_sub(RESERVED_FILES)
        .clamp(MIN_CONNECTIONS, MAX_CONNECTIONS)
}

#[cfg(target_os = "linux")]
fn open_file_limit() -> Option<usize> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes only the struct it is given, which lives for the call.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    read.then(|| usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX))
}

#[cfg(not(target_os = "linux"))]
fn open_file_limit() -> Option<usize> {
    None
}
