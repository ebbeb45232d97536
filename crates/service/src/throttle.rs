//! Sign-in throttling, held in memory on each node.
//!
//! Three sliding windows of unsuccessful attempts (15 minutes each):
//! - per client address: 30 failures, then that address waits until its oldest failure
//!   leaves the window — one address cannot guess at many accounts;
//! - per account and address: 5 failures, then the same — one address cannot guess at
//!   one account;
//! - per account from any address: 50 failures, then at most one attempt a minute — many
//!   addresses cannot guess at one account, yet an attacker cannot lock the real user
//!   out for longer than a minute at a time.
//!
//! Checks happen before the password is hashed, so a flood costs no hashing. A
//! successful sign-in clears its account-and-address window. Limits are per node: with
//! N nodes behind a load balancer an attacker gets at most N times the budget.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

const WINDOW: Duration = Duration::minutes(15);
const PER_ADDRESS: usize = 30;
const PER_ACCOUNT_AND_ADDRESS: usize = 5;
const PER_ACCOUNT: usize = 50;
/// The longest wait the per-account window imposes.
const ACCOUNT_SPACING: Duration = Duration::minutes(1);
/// Past this many keys, expired windows are swept.
const SWEEP_AT: usize = 50_000;

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
enum Key {
    Address(String),
    AccountAddress(String, String),
    Account(String),
}

#[derive(Default)]
pub(crate) struct Throttle {
    failures: Mutex<HashMap<Key, VecDeque<DateTime<Utc>>>>,
}

impl Throttle {
    fn keys(account: &str, address: &str) -> [(Key, usize); 3] {
        [
            (Key::Address(address.to_string()), PER_ADDRESS),
            (
                Key::AccountAddress(account.to_string(), address.to_string()),
                PER_ACCOUNT_AND_ADDRESS,
            ),
            (Key::Account(account.to_string()), PER_ACCOUNT),
        ]
    }

    /// `Err(seconds to wait)` when an attempt now would exceed a window.
    pub fn check(&self, account: &str, address: &str, now: DateTime<Utc>) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = Duration::zero();
        for (key, limit) in Self::keys(account, address) {
            let Some(times) = map.get(&key) else { continue };
            let recent: Vec<_> = times.iter().filter(|t| now - **t < WINDOW).collect();
            if recent.len() < limit {
                continue;
            }
            let until = match key {
                Key::Account(_) => {
                    let last = recent.iter().max().map(|t| **t).unwrap_or(now);
                    last + ACCOUNT_SPACING
                }
                _ => {
                    let oldest = recent[recent.len() - limit];
                    *oldest + WINDOW
                }
            };
            wait = wait.max(until - now);
        }
        if wait > Duration::zero() {
            Err(u64::try_from(wait.num_seconds()).unwrap_or(0).max(1))
        } else {
            Ok(())
        }
    }

    pub fn failed(&self, account: &str, address: &str, now: DateTime<Utc>) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= SWEEP_AT {
            map.retain(|_, times| times.back().is_some_and(|t| now - *t < WINDOW));
        }
        for (key, limit) in Self::keys(account, address) {
            let times = map.entry(key).or_default();
            times.push_back(now);
            while times.len() > limit.max(1) * 2 {
                times.pop_front();
            }
        }
    }

    /// `Err(seconds to wait)` when the address has used up its window (for attempts that
    /// name no account, such as sign-ups that could probe for registered addresses).
    pub fn check_address(&self, address: &str, now: DateTime<Utc>) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let Some(times) = map.get(&Key::Address(address.to_string())) else {
            return Ok(());
        };
        let recent: Vec<_> = times.iter().filter(|t| now - **t < WINDOW).collect();
        if recent.len() < PER_ADDRESS {
            return Ok(());
        }
        let until = *recent[recent.len() - PER_ADDRESS] + WINDOW;
        Err(u64::try_from((until - now).num_seconds())
            .unwrap_or(0)
            .max(1))
    }

    pub fn failed_address(&self, address: &str, now: DateTime<Utc>) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let times = map.entry(Key::Address(address.to_string())).or_default();
        times.push_back(now);
        while times.len() > PER_ADDRESS * 2 {
            times.pop_front();
        }
    }

    pub fn succeeded(&self, account: &str, address: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&Key::AccountAddress(
            account.to_string(),
            address.to_string(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap_or_default()
    }

    #[test]
    fn one_address_gets_five_guesses_at_one_account() {
        let t = Throttle::default();
        for i in 0..5 {
            assert_eq!(t.check("a@x", "1.1.1.1", at(i)), Ok(()));
            t.failed("a@x", "1.1.1.1", at(i));
        }
        let wait = t.check("a@x", "1.1.1.1", at(10)).unwrap_err();
        assert_eq!(wait, 15 * 60 - 10);
        // Another address is not affected; the window slides.
        assert_eq!(t.check("a@x", "2.2.2.2", at(10)), Ok(()));
        assert_eq!(t.check("a@x", "1.1.1.1", at(15 * 60)), Ok(()));
    }

    #[test]
    fn many_addresses_cannot_lock_an_account_for_more_than_a_minute() {
        let t = Throttle::default();
        for i in 0..60 {
            t.failed("victim@x", &format!("10.0.0.{i}"), at(i));
        }
        let wait = t.check("victim@x", "192.0.2.1", at(60)).unwrap_err();
        assert!(wait <= 60, "{wait}");
        assert_eq!(t.check("victim@x", "192.0.2.1", at(60 + 60)), Ok(()));
    }

    #[test]
    fn one_address_cannot_spray_many_accounts() {
        let t = Throttle::default();
        for i in 0..30 {
            t.failed(&format!("u{i}@x"), "6.6.6.6", at(i));
        }
        assert!(t.check("fresh@x", "6.6.6.6", at(31)).is_err());
        assert_eq!(t.check("fresh@x", "7.7.7.7", at(31)), Ok(()));
    }

    #[test]
    fn success_clears_the_account_and_address_window() {
        let t = Throttle::default();
        for i in 0..4 {
            t.failed("a@x", "1.1.1.1", at(i));
        }
        t.succeeded("a@x", "1.1.1.1");
        for i in 0..4 {
            t.failed("a@x", "1.1.1.1", at(10 + i));
        }
        assert_eq!(t.check("a@x", "1.1.1.1", at(20)), Ok(()));
    }
}
