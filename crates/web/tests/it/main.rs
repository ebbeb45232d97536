#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail loudly on broken fixtures"
)]
//! Integration tests: the whole application in-process through its router, each test on
//! its own fresh SQLite database and fake clock.

mod api_errors;
mod auth;
mod delegated_matrix;
mod delegated_model;
mod directory;
mod guests;
mod i18n;
mod invitations;
mod layering;
mod listings;
mod mail;
mod oem;
mod openapi;
mod operator;
mod policy;
mod portals;
mod requests;
mod service_requests;
mod subscriptions;
mod support;
