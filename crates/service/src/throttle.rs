//! Sign-in throttling, held in memory on each node.
//!
//! Three sliding windows of attempts that did not succeed (15 minutes each):
//! - per client address: 30, then that address waits until its oldest attempt leaves the
//!   window — one address cannot guess at many accounts;
//! - per account and address: 5, then the same — one address cannot guess at one account;
//! - per account from any address: 50, then at most one attempt a minute — many
//!   addresses cannot guess at one account. An address that has signed in to the account
//!   before is exempt from this window, so an attacker spreading attempts over many
//!   addresses cannot keep the real user out.
//!
//! An attempt is counted when it starts, before the password is hashed, so concurrent
//! attempts cannot all slip through before the first failure is recorded; a success takes
//! its count back. Addresses are IPv4 hosts and IPv6 /64 networks (one subscriber). The
//! table holds at most [`MAX_KEYS`] windows: expired ones are swept, and past the cap the
//! oldest half goes. Limits are per node: with N nodes an attacker gets at most N times
//! the budget.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

const WINDOW: Duration = Duration::minutes(15);
const PER_ADDRESS: usize = 30;
const PER_ACCOUNT_AND_ADDRESS: usize = 5;
const PER_ACCOUNT: usize = 50;
/// The longest wait the per-account window imposes.
const ACCOUNT_SPACING: Duration = Duration::minutes(1);
/// The most windows held.
pub(crate) const MAX_KEYS: usize = 100_000;
/// The most (account, address) pairs remembered as having signed in.
const MAX_KNOWN: usize = 100_000;

#[derive(Clone, Debug, Hash, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Address(String),
    AccountAddress(String, String),
    Account(String),
}

#[derive(Default)]
struct State {
    attempts: HashMap<Key, VecDeque<DateTime<Utc>>>,
    known: HashSet<(String, String)>,
    last_sweep: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub(crate) struct Throttle {
    state: Mutex<State>,
}

/// The address as throttled: IPv4 hosts, IPv6 /64 networks; anything else as given.
fn address_key(address: &str) -> String {
    match address.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(ip) => ip.to_string(),
        Err(_) => address.to_string(),
    }
}

fn wait_for(times: &VecDeque<DateTime<Utc>>, limit: usize, now: DateTime<Utc>) -> Option<Duration> {
    let recent: Vec<_> = times.iter().filter(|t| now - **t < WINDOW).collect();
    (recent.len() >= limit).then(|| *recent[recent.len() - limit] + WINDOW - now)
}

impl State {
    fn sweep(&mut self, now: DateTime<Utc>) {
        if self.attempts.len() < MAX_KEYS / 2
            || self
                .last_sweep
                .is_some_and(|t| now - t < Duration::seconds(10))
        {
            return;
        }
        self.last_sweep = Some(now);
        self.attempts
            .retain(|_, times| times.back().is_some_and(|t| now - *t < WINDOW));
        if self.attempts.len() >= MAX_KEYS {
            // Still full: keep the most recently used half.
            let mut by_age: Vec<_> = self
                .attempts
                .iter()
                .map(|(k, t)| (t.back().copied(), k.clone()))
                .collect();
            by_age.sort();
            for (_, k) in by_age.into_iter().take(MAX_KEYS / 2) {
                self.attempts.remove(&k);
            }
        }
    }

    fn record(&mut self, key: Key, now: DateTime<Utc>) {
        let times = self.attempts.entry(key).or_default();
        times.push_back(now);
        while times.len() > PER_ADDRESS.max(PER_ACCOUNT) {
            times.pop_front();
        }
    }

    fn take_back(&mut self, key: &Key, at: DateTime<Utc>) {
        if let Some(times) = self.attempts.get_mut(key) {
            if let Some(i) = times.iter().rposition(|t| *t == at) {
                times.remove(i);
            }
        }
    }
}

impl Throttle {
    /// Counts an attempt to sign in to `account` (a normalised e-mail address, or `None`
    /// when the address given is not one) from `address`; `Err(seconds to wait)` when a
    /// window is full, in which case nothing is counted.
    pub fn attempt(
        &self,
        account: Option<&str>,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<(), u64> {
        let address = address_key(address);
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = Duration::zero();
        let mut consider = |key: &Key, limit: usize, st: &State| {
            if let Some(times) = st.attempts.get(key) {
                if let Some(w) = wait_for(times, limit, now) {
                    wait = wait.max(w);
                }
            }
        };
        consider(&Key::Address(address.clone()), PER_ADDRESS, &st);
        if let Some(account) = account {
            consider(
                &Key::AccountAddress(account.to_string(), address.clone()),
                PER_ACCOUNT_AND_ADDRESS,
                &st,
            );
            let known = st.known.contains(&(account.to_string(), address.clone()));
            if !known {
                if let Some(times) = st.attempts.get(&Key::Account(account.to_string())) {
                    let recent = times.iter().filter(|t| now - **t < WINDOW).count();
                    if recent >= PER_ACCOUNT {
                        let last = times.back().copied().unwrap_or(now);
                        wait = wait.max(last + ACCOUNT_SPACING - now);
                    }
                }
            }
        }
        if wait > Duration::zero() {
            return Err(u64::try_from(wait.num_seconds()).unwrap_or(0).max(1));
        }
        st.sweep(now);
        st.record(Key::Address(address.clone()), now);
        if let Some(account) = account {
            st.record(
                Key::AccountAddress(account.to_string(), address.clone()),
                now,
            );
            st.record(Key::Account(account.to_string()), now);
        }
        Ok(())
    }

    /// An attempt counted at `at` succeeded: it no longer counts, the account and address
    /// start afresh, and the address is known to the account from now on.
    pub fn succeeded(&self, account: &str, address: &str, at: DateTime<Utc>) {
        let address = address_key(address);
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.take_back(&Key::Address(address.clone()), at);
        st.take_back(&Key::Account(account.to_string()), at);
        st.attempts
            .remove(&Key::AccountAddress(account.to_string(), address.clone()));
        if st.known.len() >= MAX_KNOWN {
            st.known.clear();
        }
        st.known.insert((account.to_string(), address));
    }

    /// An attempt counted at `at` failed for a reason that says nothing about the
    /// password (the database was away): it no longer counts.
    pub fn inconclusive(&self, account: Option<&str>, address: &str, at: DateTime<Utc>) {
        let address = address_key(address);
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.take_back(&Key::Address(address.clone()), at);
        if let Some(account) = account {
            st.take_back(&Key::AccountAddress(account.to_string(), address), at);
            st.take_back(&Key::Account(account.to_string()), at);
        }
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
            assert_eq!(t.attempt(Some("a@x"), "1.1.1.1", at(i)), Ok(()));
        }
        let wait = t.attempt(Some("a@x"), "1.1.1.1", at(10)).unwrap_err();
        assert_eq!(wait, 15 * 60 - 10);
        // Another address is not affected; the window slides.
        assert_eq!(t.attempt(Some("a@x"), "2.2.2.2", at(10)), Ok(()));
        assert_eq!(t.attempt(Some("a@x"), "1.1.1.1", at(15 * 60)), Ok(()));
    }

    #[test]
    fn concurrent_attempts_are_counted_before_any_hashing() {
        let t = Throttle::default();
        let allowed = (0..20)
            .filter(|_| t.attempt(Some("a@x"), "1.1.1.1", at(0)).is_ok())
            .count();
        assert_eq!(allowed, 5, "a burst gets no more than the window");
    }

    #[test]
    fn many_addresses_cannot_keep_a_known_address_out() {
        let t = Throttle::default();
        assert_eq!(t.attempt(Some("victim@x"), "192.0.2.1", at(0)), Ok(()));
        t.succeeded("victim@x", "192.0.2.1", at(0));
        for i in 0..60 {
            let _ = t.attempt(
                Some("victim@x"),
                &format!("10.0.{}.{}", i / 200, i % 200),
                at(i),
            );
        }
        // An unknown address waits at most a minute; the known one does not wait.
        let wait = t
            .attempt(Some("victim@x"), "198.51.100.1", at(61))
            .unwrap_err();
        assert!(wait <= 60, "{wait}");
        assert_eq!(t.attempt(Some("victim@x"), "192.0.2.1", at(61)), Ok(()));
    }

    #[test]
    fn one_address_cannot_spray_many_accounts() {
        let t = Throttle::default();
        for i in 0..30 {
            assert!(t
                .attempt(Some(&format!("u{i}@x")), "6.6.6.6", at(i))
                .is_ok());
        }
        assert!(t.attempt(Some("fresh@x"), "6.6.6.6", at(31)).is_err());
        assert!(t.attempt(None, "6.6.6.6", at(31)).is_err());
        assert_eq!(t.attempt(Some("fresh@x"), "7.7.7.7", at(31)), Ok(()));
    }

    #[test]
    fn ipv6_addresses_count_by_64_network_and_mapped_ipv4_as_ipv4() {
        assert_eq!(
            address_key("2001:db8:1:2:aaaa::1"),
            address_key("2001:db8:1:2:bbbb::9")
        );
        assert_ne!(
            address_key("2001:db8:1:2::1"),
            address_key("2001:db8:1:3::1")
        );
        assert_eq!(address_key("::ffff:192.0.2.7"), "192.0.2.7");
    }

    #[test]
    fn success_takes_its_attempt_back() {
        let t = Throttle::default();
        for i in 0..4 {
            assert!(t.attempt(Some("a@x"), "1.1.1.1", at(i)).is_ok());
        }
        assert!(t.attempt(Some("a@x"), "1.1.1.1", at(5)).is_ok());
        t.succeeded("a@x", "1.1.1.1", at(5));
        for i in 0..5 {
            assert!(t.attempt(Some("a@x"), "1.1.1.1", at(10 + i)).is_ok(), "{i}");
        }
    }

    #[test]
    fn the_table_stays_bounded() {
        let t = Throttle::default();
        for i in 0..(MAX_KEYS as i64 + 10) {
            let _ = t.attempt(
                None,
                &format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255),
                at(i / 1000),
            );
        }
        let held = t.state.lock().map(|s| s.attempts.len()).unwrap_or(0);
        assert!(held <= MAX_KEYS, "{held}");
    }
}
