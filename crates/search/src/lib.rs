//! The partner directory index (tantivy): derived from the store, never its source of truth.
