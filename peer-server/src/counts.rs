//! Open-connection counts per tag, so tests can prove a client never holds
//! more than one socket at a time.

use axum::extract::{Query, State};

use axum::response::Response;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The counts of one tag.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct TagCounts {
    /// Connections open now.
    pub open: u32,
    /// The most connections that were open at the same time.
    pub peak: u32,
    /// Connections opened in all.
    pub total: u32,
}

/// Counts for every tag seen.
#[derive(Default)]
pub struct Counts {
    tags: Mutex<HashMap<String, TagCounts>>,
}

/// Holds one open connection in the counts; dropping it counts the close.
pub struct OpenConnection {
    counts: Arc<Counts>,
    tag: String,
}

impl Counts {
    /// Counts a connection as open under `tag` until the returned guard drops.
    pub fn open(self: &Arc<Self>, tag: &str) -> OpenConnection {
        let mut tags = self.tags.lock().unwrap_or_else(|e| e.into_inner());
        let entry = tags.entry(tag.to_owned()).or_default();
        entry.open += 1;
        entry.total += 1;
        entry.peak = entry.peak.max(entry.open);
        OpenConnection {
            counts: self.clone(),
            tag: tag.to_owned(),
        }
    }

    fn get(&self, tag: &str) -> TagCounts {
        let tags = self.tags.lock().unwrap_or_else(|e| e.into_inner());
        tags.get(tag).copied().unwrap_or_default()
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        let mut tags = self.counts.tags.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = tags.get_mut(&self.tag) {
            entry.open = entry.open.saturating_sub(1);
        }
    }
}

/// `GET /stats?tag=T` → `{"open":n,"peak":n,"total":n}`, readable cross-origin.
pub async fn handle(
    State(app): State<crate::App>,
    Query(query): Query<crate::TagQuery>,
) -> Response {
    crate::readable_json(&app.counts.get(&query.tag))
}
