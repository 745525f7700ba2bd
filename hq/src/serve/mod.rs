//! `kiosk-hq serve --listen ADDR`: the live link's head-office end. Kiosks post batches over
//! HTTPS (axum on tokio, rustls with the ring provider); each batch is an export of a run of
//! events and goes through `load`'s own per-export path ([`crate::load::load_export_bytes`]):
//! the registered key only, chain continuity, idempotence. The answer is head office's signed
//! receipt, or the sequence number it expects next, or a refusal with its reason.
//!
//! The database work runs on plain threads, each with its own connection (the `postgres`
//! client blocks); the async side only parses, queues and answers.

mod announcements;
mod ingest;
mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use handoff_kiosk::domain::link_wire::{
    ANNOUNCEMENTS_PATH, AnnouncementRequest, AnnouncementsReply, BATCH_PATH, Batch, Reply,
};
use handoff_kiosk::domain::signing::StoreKey;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;

pub use ingest::STALL_BATCH_ENV;

/// The largest batch body taken (a batch of 5,000 events is about 4 MB).
const BODY_LIMIT: usize = 16 * 1024 * 1024;

pub struct ServeOptions {
    pub listen: SocketAddr,
    pub db_url: String,
    pub cert_pem: PathBuf,
    pub key_pem: PathBuf,
    /// Head office's own key: it signs the receipts.
    pub signing_key: StoreKey,
    /// Database connections ingesting at once.
    pub connections: usize,
}

#[derive(Clone)]
struct AppState {
    ingest: ingest::Ingest,
    announcements: announcements::Announcements,
}

/// Serves until SIGINT or SIGTERM. `on_listening` is told the bound address (port 0 picks one).
pub fn serve(options: ServeOptions, on_listening: impl FnOnce(SocketAddr)) -> Result<()> {
    let tls = tls::acceptor(&options.cert_pem, &options.key_pem)?;
    let signing_key = Arc::new(options.signing_key);
    let ingest = ingest::Ingest::start(
        &options.db_url,
        options.connections.max(1),
        Arc::clone(&signing_key),
    )?;
    let announcements = announcements::Announcements::new(&options.db_url, signing_key);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .with_context(|| format!("cannot listen on {}", options.listen))?;
        on_listening(listener.local_addr()?);
        let app = Router::new()
            .route(BATCH_PATH, post(receive_batch))
            .route(ANNOUNCEMENTS_PATH, post(send_announcements))
            .layer(DefaultBodyLimit::max(BODY_LIMIT))
            .with_state(AppState {
                ingest,
                announcements,
            });
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .context("cannot listen for SIGTERM")?;
        loop {
            let (tcp, _peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    // A connection that failed before it was accepted says nothing about the next.
                    Err(_) => continue,
                },
                _ = tokio::signal::ctrl_c() => break,
                _ = terminate.recv() => break,
            };
            let tls = tls.clone();
            let service = TowerToHyperService::new(app.clone());
            tokio::spawn(async move {
                let Ok(stream) = tls.accept(tcp).await else {
                    return;
                };
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
        Ok(())
    })
}

async fn receive_batch(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> (StatusCode, axum::Json<Reply>) {
    let batch: Batch = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(error) => {
            return (
                StatusCode::BAD_REQUEST,
                axum::Json(Reply::Refused {
                    reason: format!("not a batch: {error}"),
                }),
            );
        }
    };
    match state.ingest.submit(batch).await {
        Ok(reply) => (StatusCode::OK, axum::Json(reply)),
        // The database is away: nothing was taken, and the kiosk sends it again later.
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(Reply::Refused { reason }),
        ),
    }
}

async fn send_announcements(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> (StatusCode, axum::Json<AnnouncementsReply>) {
    let request: AnnouncementRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return (
                StatusCode::BAD_REQUEST,
                axum::Json(AnnouncementsReply::Refused {
                    reason: format!("not a request for announcements: {error}"),
                }),
            );
        }
    };
    match state.announcements.answer(request).await {
        Ok(reply @ AnnouncementsReply::Signed { .. }) => (StatusCode::OK, axum::Json(reply)),
        Ok(refused) => (StatusCode::FORBIDDEN, axum::Json(refused)),
        Err(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(AnnouncementsReply::Refused { reason }),
        ),
    }
}
