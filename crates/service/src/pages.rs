use accord_domain::DomainError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The default and largest page sizes of list endpoints.
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// A request for one page of a list: an opaque cursor from the previous page and a size.
#[derive(Clone, Debug, Default)]
pub struct PageRequest {
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

impl PageRequest {
    pub(crate) fn limit(&self) -> Result<u32, DomainError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(DomainError::invalid(
                "limit",
                accord_domain::InvalidReason::Limit { max: MAX_LIMIT },
            )),
        }
    }

    /// The cursor's two parts, or `invalid_cursor`.
    pub(crate) fn cursor_parts(&self) -> Result<Option<(String, String)>, DomainError> {
        let Some(c) = self.cursor.as_deref().filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        if c.len() > 1024 {
            return Err(DomainError::InvalidCursor);
        }
        let raw = URL_SAFE_NO_PAD
            .decode(c)
            .map_err(|_| DomainError::InvalidCursor)?;
        let s = String::from_utf8(raw).map_err(|_| DomainError::InvalidCursor)?;
        let (a, b) = s.split_once('\n').ok_or(DomainError::InvalidCursor)?;
        // A forged cursor must not carry text a backend cannot store (a NUL byte).
        if s.chars().filter(|c| c.is_control()).count() != 1 {
            return Err(DomainError::InvalidCursor);
        }
        Ok(Some((a.to_string(), b.to_string())))
    }
}

impl PageRequest {
    /// A cursor of a list ordered by name, then organisation id.
    pub(crate) fn name_cursor(
        &self,
    ) -> Result<Option<(String, accord_domain::TenantId)>, DomainError> {
        self.cursor_parts()?
            .map(|(name, id)| {
                id.parse()
                    .map(|id| (name, id))
                    .map_err(|_| DomainError::InvalidCursor)
            })
            .transpose()
    }
}

impl PageRequest {
    /// A cursor whose second part is an id of a list ordered by id (newest first).
    pub(crate) fn id_cursor<T: std::str::FromStr>(&self) -> Result<Option<T>, DomainError> {
        self.cursor_parts()?
            .map(|(_, id)| id.parse().map_err(|_| DomainError::InvalidCursor))
            .transpose()
    }
}

pub(crate) fn encode_cursor(a: &str, b: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{a}\n{b}"))
}

/// One page of results and the cursor of the next page, if there is one.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Builds a page from `limit + 1` fetched rows.
pub(crate) fn page_from<R, T>(
    mut rows: Vec<R>,
    limit: u32,
    cursor_of: impl Fn(&R) -> String,
    map: impl FnMut(R) -> T,
) -> Page<T> {
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(cursor_of)
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(map).collect(),
        next_cursor,
    }
}
