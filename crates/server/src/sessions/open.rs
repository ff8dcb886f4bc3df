//! How many live sessions each user holds open (docs/sessions.md): a place taken per connection
//! and given back when it ends.

/// Live connections per user, released when a connection ends.
#[derive(Default)]
pub struct OpenPerUser(std::sync::Mutex<std::collections::HashMap<String, usize>>);

/// A user's place among their open connections; given back on drop.
pub struct Place {
    counts: std::sync::Arc<OpenPerUser>,
    sub: String,
}

impl OpenPerUser {
    /// A place for `sub`, unless they hold `max` already.
    pub fn take(self: &std::sync::Arc<Self>, sub: &str, max: usize) -> Option<Place> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(sub.to_owned()).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Place {
            counts: self.clone(),
            sub: sub.to_owned(),
        })
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut map = self.counts.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.sub) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.sub);
            }
        }
    }
}
