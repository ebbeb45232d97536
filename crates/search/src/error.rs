//! What can go wrong with the directory index, in words an operator can act on.

use std::path::PathBuf;

/// A failure of the directory index. The `Display` text says what failed and, where it
/// helps, what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The search engine itself failed (I/O under the index, a corrupt segment, a lock).
    #[error("the partner directory index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Reading the index's files failed (a search or the opening of a segment).
    #[error("reading the partner directory index failed: {0}")]
    Read(#[from] std::io::Error),
    /// The index directory could not be created, read or wiped.
    #[error("the partner directory index directory {path} cannot be used: {source}")]
    Directory {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The page size asked for is outside what the directory serves.
    #[error("a page holds 1 to {max} partners, not {limit}")]
    BadLimit { limit: usize, max: usize },
    /// The page asked for starts beyond the deepest one served.
    #[error(
        "results beyond the first {max} are not served (offset {offset} asked); narrow the search with words or filters instead"
    )]
    TooDeep { offset: usize, max: usize },
    /// A previous write panicked while holding the writer; the process should restart.
    #[error("the partner directory index writer is unusable after an earlier failure; restart the process to rebuild the index")]
    WriterPoisoned,
}
