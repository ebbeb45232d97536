//! Wire types shared by the API's resources: pagination and `mailto:` links.

use accord_service::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    #[param(max_length = 1024)]
    pub cursor: Option<String>,
    /// Page size.
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
}

impl PageQuery {
    pub fn page(&self) -> PageRequest {
        PageRequest {
            cursor: self.cursor.clone(),
            limit: self.limit,
        }
    }
}

/// An id from a path, or 404 naming what was looked for: text that is not an id names
/// nothing that exists (`what` is one of the `what-*` names).
pub fn id_or_404<T: std::str::FromStr>(
    id: &str,
    what: &'static str,
) -> Result<T, accord_domain::DomainError> {
    id.parse()
        .map_err(|_| accord_domain::DomainError::NotFound { what })
}

/// Declares a page of a list: its items and the cursor of the next page.
macro_rules! page_type {
    ($name:ident, $item:ty) => {
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` to get the next page; `null` on the last page.
            pub next_cursor: Option<String>,
        }

        impl $name {
            pub fn of<S>(p: accord_service::Page<S>, f: impl FnMut(S) -> $item) -> Self {
                Self {
                    items: p.items.into_iter().map(f).collect(),
                    next_cursor: p.next_cursor,
                }
            }
        }
    };
}
pub(crate) use page_type;

/// Percent-encodes for a `mailto:` URI component (and any other URI component).
pub fn mailto_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn mailto(to: Option<&str>, subject: &str, body: &str) -> String {
    format!(
        "mailto:{}?subject={}&body={}",
        to.map(mailto_encode).unwrap_or_default(),
        mailto_encode(subject),
        mailto_encode(body)
    )
}

/// A JSON answer, serialized in one pass into a buffer sized for it (axum's own `Json`
/// writes through a growing `BytesMut` in many small pieces, which showed in profiles of
/// the list endpoints).
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        let mut buf = Vec::with_capacity(4096);
        match serde_json::to_writer(&mut buf, &self.0) {
            Ok(()) => (
                [(
                    axum::http::header::CONTENT_TYPE,
                    axum::http::HeaderValue::from_static("application/json"),
                )],
                buf,
            )
                .into_response(),
            Err(e) => crate::error::ApiError::from(accord_service::Error::Internal(format!(
                "cannot serialize the answer: {e}"
            )))
            .into_response(),
        }
    }
}
