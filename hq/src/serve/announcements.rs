//! The announcements end of `serve`: a kiosk's signed request in, the store's pending
//! announcements out, signed with head office's key. One database connection of its own (a
//! kiosk asks about once a minute), used off the async threads.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use handoff_kiosk::domain::link_wire::{
    AnnouncementRequest, AnnouncementsReply, sign_announcements,
};
use handoff_kiosk::domain::signing::StoreKey;
use postgres::Client;

use crate::announce::pending_for;
use crate::db;

#[derive(Clone)]
pub(super) struct Announcements {
    url: String,
    key: Arc<StoreKey>,
    /// `None` after a failure: the next request connects again.
    client: Arc<Mutex<Option<Client>>>,
}

impl Announcements {
    pub(super) fn new(url: &str, key: Arc<StoreKey>) -> Self {
        Self {
            url: url.to_owned(),
            key,
            client: Arc::new(Mutex::new(None)),
        }
    }

    /// The answer to one request; `Err` when the database failed (the kiosk asks again later).
    pub(super) async fn answer(
        &self,
        request: AnnouncementRequest,
    ) -> Result<AnnouncementsReply, String> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.answer_blocking(&request))
            .await
            .map_err(|e| e.to_string())?
    }

    fn answer_blocking(&self, request: &AnnouncementRequest) -> Result<AnnouncementsReply, String> {
        let mut slot = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        let client = match slot.as_mut() {
            Some(client) => client,
            None => slot.insert(db::connect(&self.url).map_err(|e| e.to_string())?),
        };
        match pending_for(client, request) {
            Ok(Ok(announcements)) => {
                sign_announcements(&self.key, &request.store_id, announcements, Utc::now())
            }
            Ok(Err(reason)) => Ok(AnnouncementsReply::Refused { reason }),
            Err(error) => {
                *slot = None;
                Err(error.to_string())
            }
        }
    }
}
