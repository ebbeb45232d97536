//! The baseline: a bare axum server answering fixed bytes, with no auth and no middleware.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::Context;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use tokio::task::JoinHandle;

/// The bare server, serving until [`Bare::stop`].
pub struct Bare {
    pub addr: SocketAddr,
    server: JoinHandle<std::io::Result<()>>,
}

impl Bare {
    pub fn stop(self) {
        self.server.abort();
    }
}

fn json(body: Bytes) -> ([(axum::http::HeaderName, HeaderValue); 1], Bytes) {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
}

/// `GET /me`, `GET /customers` and `GET /users` answer exactly `me`, `customers` and
/// `users`.
pub async fn start(me: Bytes, customers: Bytes, users: Bytes) -> anyhow::Result<Bare> {
    let app = Router::new()
        .route(
            "/users",
            get(move || std::future::ready(json(users.clone()))),
        )
        .route("/me", get(move || std::future::ready(json(me.clone()))))
        .route(
            "/customers",
            get(move || std::future::ready(json(customers.clone()))),
        );
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .context("cannot listen on 127.0.0.1")?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(Bare { addr, server })
}
