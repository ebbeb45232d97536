//! The index itself: opening (and wiping a stale one), writing, and the state shared by
//! searches of one reader generation.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::index::SegmentId;
use tantivy::indexer::{IndexWriterOptions, UserOperation};
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};
use uuid::Uuid;

use crate::bits::Bits;
use crate::facets::CityTable;
use crate::schema::{build_schema, document, Fields, SCHEMA_VERSION};
use crate::search::Landing;
use crate::segment::{FieldNames, SegmentData};
use crate::text::{
    cjk_bigram_analyzer, cjk_substring_analyzer, latin_analyzer, latin_prefix_analyzer,
    CJK_BIGRAMS, CJK_SUBSTRINGS, LATIN, LATIN_PREFIXES,
};
use crate::{ProfileDoc, SearchError};

/// Indexing threads. Each builds its own segments; two keep both cores of the target
/// machine busy while the caller produces documents.
const WRITER_THREADS: usize = 2;
/// The writer's memory, all threads together: a segment is flushed when its thread's
/// share is full, so a large budget means few, large segments after a rebuild.
const WRITER_MEMORY: usize = 1 << 30;
/// Background merges of the small segments that updates leave behind.
const MERGE_THREADS: usize = 1;

/// What each commit carries, so a reopened index knows its schema and its feed position.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    stamp: i64,
}

/// The partner directory index. `Send + Sync`; share it in an `Arc`. Searches never wait for
/// writes: they read the last committed generation.
pub struct DirectoryIndex {
    pub(crate) fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    stamp: Mutex<Option<i64>>,
    /// State derived from the current reader generation, built by the first search of it.
    view: Mutex<Option<Arc<View>>>,
    /// What each segment searched so far knows (kept while the segment exists).
    segments: Mutex<HashMap<SegmentId, Arc<SegmentData>>>,
    pub(crate) names: FieldNames,
}

/// What searches of one reader generation share.
pub(crate) struct View {
    pub generation: u64,
    pub cities: CityTable,
    /// Per segment, in searcher order.
    pub segments: Vec<SegView>,
    /// The unfiltered browse of each cloud (its facets and first pages), built on demand.
    pub landing: Mutex<HashMap<u64, Arc<Landing>>>,
}

/// A segment in one generation: its sets and, if it has deletions, its live documents.
pub(crate) struct SegView {
    pub data: Arc<SegmentData>,
    pub alive: Option<Bits>,
}

impl DirectoryIndex {
    /// An index in memory (tests, benchmarks).
    pub fn in_ram() -> Result<Self, SearchError> {
        let (schema, fields) = build_schema();
        Self::with_index(Index::create_in_ram(schema), fields, None)
    }

    /// Opens the index in `dir` (creating the directory and index if missing). If the
    /// directory holds an index of another schema version or one that cannot be opened,
    /// it is wiped and recreated empty (stamp() then returns None).
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let io = |source| SearchError::Directory {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields) = build_schema();
        if let Some((index, stamp)) = open_current(dir, &schema) {
            match Self::with_index(index, fields, stamp) {
                Ok(ix) => return Ok(ix),
                // Another writer holds the index: refuse rather than wipe its work.
                Err(e @ SearchError::Index(tantivy::TantivyError::LockFailure(..))) => {
                    return Err(e)
                }
                // Its segments cannot be read: rebuilt from the store like a stale one.
                Err(_) => {}
            }
        }
        wipe(dir).map_err(io)?;
        let index = Index::create_in_dir(dir, schema)?;
        Self::with_index(index, fields, None)
    }

    fn with_index(index: Index, fields: Fields, stamp: Option<i64>) -> Result<Self, SearchError> {
        let tokenizers = index.tokenizers();
        tokenizers.register(LATIN, latin_analyzer());
        tokenizers.register(CJK_BIGRAMS, cjk_bigram_analyzer());
        tokenizers.register(CJK_SUBSTRINGS, cjk_substring_analyzer());
        tokenizers.register(LATIN_PREFIXES, latin_prefix_analyzer());
        let writer = index.writer_with_options(
            IndexWriterOptions::builder()
                .num_worker_threads(WRITER_THREADS)
                .memory_budget_per_thread(WRITER_MEMORY / WRITER_THREADS)
                .num_merge_threads(MERGE_THREADS)
                .build(),
        )?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let schema = index.schema();
        Ok(DirectoryIndex {
            names: FieldNames::new(&schema, &fields),
            segments: Mutex::new(HashMap::new()),
            fields,
            reader,
            writer: Mutex::new(writer),
            stamp: Mutex::new(stamp),
            view: Mutex::new(None),
        })
    }

    /// The feed position stored with the last commit (tantivy commit payload), None for a fresh/empty index.
    pub fn stamp(&self) -> Option<i64> {
        self.stamp.lock().map_or(None, |s| *s)
    }

    /// Replaces the whole content: deletes everything, adds the published `docs`, commits
    /// with `stamp` and reloads the reader. Returns the number of documents indexed.
    pub fn rebuild(
        &self,
        docs: impl IntoIterator<Item = ProfileDoc>,
        stamp: i64,
    ) -> Result<u64, SearchError> {
        let mut writer = self.writer()?;
        let written = (|| {
            writer.delete_all_documents()?;
            let mut n = 0u64;
            for d in docs {
                if d.profile.published {
                    writer.add_document(document(&self.fields, &d))?;
                    n += 1;
                }
            }
            Ok::<_, SearchError>(n)
        })();
        match written {
            Ok(n) => {
                self.commit(&mut writer, stamp)?;
                Ok(n)
            }
            Err(e) => {
                let _ = writer.rollback();
                Err(e)
            }
        }
    }

    /// Upserts (delete by partner id, then add) and removes by partner id, commits with
    /// `stamp`, and reloads the reader so that the next search sees it. An upsert of an
    /// unpublished profile is a removal.
    pub fn apply(
        &self,
        upserts: Vec<ProfileDoc>,
        removals: Vec<Uuid>,
        stamp: i64,
    ) -> Result<(), SearchError> {
        let mut ops = Vec::with_capacity(upserts.len() * 2 + removals.len());
        for d in &upserts {
            ops.push(UserOperation::Delete(self.id_term(d.partner_id)));
            if d.profile.published {
                ops.push(UserOperation::Add(document(&self.fields, d)));
            }
        }
        for id in removals {
            ops.push(UserOperation::Delete(self.id_term(id)));
        }
        let mut writer = self.writer()?;
        if let Err(e) = writer.run(ops) {
            let _ = writer.rollback();
            return Err(e.into());
        }
        self.commit(&mut writer, stamp)
    }

    /// Searchable documents.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn id_term(&self, id: Uuid) -> Term {
        Term::from_field_bytes(self.fields.id, id.as_bytes())
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::WriterPoisoned)
    }

    fn commit(&self, writer: &mut IndexWriter, stamp: i64) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&Payload {
            schema: SCHEMA_VERSION,
            stamp,
        })
        .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        if let Ok(mut s) = self.stamp.lock() {
            *s = Some(stamp);
        }
        self.reader.reload()?;
        // Prepare what searches of the new generation share now, so that the writer pays
        // for new segments rather than the next search.
        self.searcher()?;
        Ok(())
    }

    /// The current searcher and the state of its generation.
    pub(crate) fn searcher(&self) -> Result<(Searcher, Arc<View>), SearchError> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let mut slot = self.view.lock().map_err(|_| SearchError::WriterPoisoned)?;
        if let Some(view) = slot.as_ref().filter(|v| v.generation == generation) {
            return Ok((searcher, view.clone()));
        }
        let mut cache = self
            .segments
            .lock()
            .map_err(|_| SearchError::WriterPoisoned)?;
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for seg in searcher.segment_readers() {
            let data = match cache.get(&seg.segment_id()) {
                Some(d) => d.clone(),
                None => {
                    let d = Arc::new(SegmentData::build(seg, &self.names)?);
                    cache.insert(seg.segment_id(), d.clone());
                    d
                }
            };
            let alive = seg.alive_bitset().map(|a| {
                let mut bits = Bits::new(seg.max_doc());
                for doc in a.iter_alive() {
                    bits.insert(doc);
                }
                bits
            });
            segments.push(SegView { data, alive });
        }
        let live: std::collections::HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        cache.retain(|id, _| live.contains(id));
        drop(cache);
        let view = Arc::new(View {
            generation,
            segments,
            cities: CityTable::build(&searcher, &self.fields)?,
            landing: Mutex::new(HashMap::new()),
        });
        *slot = Some(view.clone());
        Ok((searcher, view))
    }
}

/// The index in `dir` with its stamp, if it is one of this schema version; `None` when
/// there is none, it cannot be opened, or it is of another version.
fn open_current(dir: &Path, schema: &Schema) -> Option<(Index, Option<i64>)> {
    let directory = MmapDirectory::open(dir).ok()?;
    if !Index::exists(&directory).ok()? {
        return None;
    }
    let index = Index::open(directory).ok()?;
    if index.schema() != *schema {
        return None;
    }
    let meta = index.load_metas().ok()?;
    match meta.payload.as_deref() {
        Some(p) => {
            let payload: Payload = serde_json::from_str(p).ok()?;
            (payload.schema == SCHEMA_VERSION).then_some((index, Some(payload.stamp)))
        }
        // Created but never committed: an empty index of this schema.
        None => meta.segments.is_empty().then_some((index, None)),
    }
}

/// Removes everything inside `dir` (not `dir` itself).
fn wipe(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}
