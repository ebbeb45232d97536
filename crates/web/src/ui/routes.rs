//! The portal's route table: every page and form is registered with its policy, and the
//! table is published so that a test can walk it and check each policy is kept.

use std::collections::BTreeMap;

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::MethodRouter;
use axum::Router;

use crate::AppState;

/// Who may use a portal route. Handlers enforce it through the service's desks; the
/// policy test (`tests/it/policy.rs`) checks every route behaves as declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Anyone, signed in or not (home, sign-in, the agreement, an invitation's preview,
    /// static files).
    Public,
    /// Any signed-in user, for their own organisation (the Admin Center). Others are sent
    /// to sign in and brought back.
    SignedIn,
    /// A signed-in user of a partner organisation holding a partner role (Partner
    /// Center). Other signed-in users get 403 `not_a_partner`.
    PartnerUser,
    /// A signed-in user holding the provider's operator role (the console). Other
    /// signed-in users get 403 `operator_role_required`.
    Operator,
}

/// One registered route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalRoute {
    pub method: Method,
    pub path: &'static str,
    pub policy: Policy,
}

/// Collects routes with their policies.
#[derive(Default)]
pub(crate) struct Table {
    routes: BTreeMap<&'static str, MethodRouter<AppState>>,
    list: Vec<PortalRoute>,
}

impl Table {
    fn add(
        mut self,
        method: Method,
        path: &'static str,
        policy: Policy,
        mr: MethodRouter<AppState>,
    ) -> Self {
        let merged = match self.routes.remove(path) {
            Some(existing) => existing.merge(mr),
            None => mr,
        };
        self.routes.insert(path, merged);
        self.list.push(PortalRoute {
            method,
            path,
            policy,
        });
        self
    }

    pub fn get<H, T>(self, path: &'static str, policy: Policy, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, policy, axum::routing::get(h))
    }

    pub fn post<H, T>(self, path: &'static str, policy: Policy, h: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, policy, axum::routing::post(h))
    }

    /// A POST whose body may be larger than the portal's usual 64 KiB (a file upload).
    pub fn post_with_limit<H, T>(
        self,
        path: &'static str,
        policy: Policy,
        limit: usize,
        h: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            Method::POST,
            path,
            policy,
            axum::routing::post(h).layer(axum::extract::DefaultBodyLimit::max(limit)),
        )
    }

    pub fn merge(mut self, other: Table) -> Self {
        self.list.extend(other.list);
        for (path, mr) in other.routes {
            let merged = match self.routes.remove(path) {
                Some(existing) => existing.merge(mr),
                None => mr,
            };
            self.routes.insert(path, merged);
        }
        self
    }

    pub fn build(self) -> (Router<AppState>, Vec<PortalRoute>) {
        let mut router = Router::new();
        for (path, mr) in self.routes {
            router = router.route(path, mr);
        }
        (router, self.list)
    }
}
