use accord_domain::DomainError;
use accord_store::StoreError;

/// A use case failed: either a rule said no (shown to the caller with its code), or
/// something broke inside (logged, shown as a generic failure).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Rule(#[from] DomainError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Internal(e.to_string())
    }
}

impl Error {
    /// The rule error, if this is one.
    pub fn rule(&self) -> Option<&DomainError> {
        match self {
            Error::Rule(e) => Some(e),
            Error::Internal(_) => None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Error::Rule(e) => e.code(),
            Error::Internal(_) => "internal_error",
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
