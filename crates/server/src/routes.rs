//! The service's routes with their patterns. The outermost middleware (observe.rs) runs outside the
//! router, once per request, rather than as a layer of the router, which wraps every route in a box
//! cloned for every request; outside, it does not see the route that matched, so it finds the
//! request's pattern here, in a table made from the same calls that build the router.

use axum::routing::MethodRouter;
use axum::Router;

use crate::state::AppState;

/// The label of a request whose path matches no route (docs/http.md, "Operations").
pub const UNMATCHED: &str = "unmatched";

/// A router and the patterns of its routes.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    patterns: Vec<&'static str>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    /// Adds a route, as [`Router::route`].
    pub fn route(mut self, pattern: &'static str, endpoint: MethodRouter<AppState>) -> Routes {
        self.router = self.router.route(pattern, endpoint);
        self.patterns.push(pattern);
        self
    }

    /// Routes built elsewhere (the API documentation's), with the patterns they answer.
    pub fn foreign(router: Router<AppState>, patterns: &[&'static str]) -> Routes {
        Routes {
            router,
            patterns: patterns.to_vec(),
        }
    }

    /// Both sets of routes, as [`Router::merge`].
    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.patterns.extend(other.patterns);
        self
    }

    /// The same routes with layers added by `add` (routes added there would be missing from the
    /// table: add them with [`Routes::route`]).
    pub fn layers(mut self, add: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Routes {
        self.router = add(self.router);
        self
    }

    /// The router, and the table of its patterns.
    pub fn into_parts(self) -> (Router<AppState>, RouteLabels) {
        // A pattern given twice (two calls for two methods) goes into the table once.
        let mut patterns = self.patterns;
        patterns.sort_unstable();
        patterns.dedup();
        let mut table = matchit::Router::new();
        for pattern in patterns {
            // axum's router (matchit too) has accepted every pattern already.
            if let Err(e) = table.insert(pattern, pattern) {
                panic!("the route table refuses {pattern}, which the router took: {e}");
            }
        }
        (self.router, RouteLabels(table))
    }
}

/// Finds the pattern of a request's path, as the router does.
pub struct RouteLabels(matchit::Router<&'static str>);

impl RouteLabels {
    /// The pattern `path` matches, or [`UNMATCHED`].
    pub fn label(&self, path: &str) -> &'static str {
        self.0.at(path).map_or(UNMATCHED, |found| *found.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::MatchedPath;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    fn routes() -> Routes {
        Routes::new()
            .route("/api/v1/jobs", get(|| async {}))
            .route("/api/v1/jobs/{job_id}", get(|| async {}))
            .route("/api/v1/jobs/{job_id}/results", get(|| async {}))
            .merge(Routes::new().route("/static/{name}", get(|| async {})))
            .merge(Routes::foreign(
                Router::new().route("/docs/{*rest}", get(|| async {})),
                &["/docs/{*rest}"],
            ))
    }

    #[test]
    fn a_path_is_labelled_with_the_pattern_it_matches() {
        let (_, labels) = routes().into_parts();
        assert_eq!(labels.label("/api/v1/jobs"), "/api/v1/jobs");
        assert_eq!(labels.label("/api/v1/jobs/job_1"), "/api/v1/jobs/{job_id}");
        assert_eq!(
            labels.label("/api/v1/jobs/job_1/results"),
            "/api/v1/jobs/{job_id}/results"
        );
        assert_eq!(labels.label("/static/page.js"), "/static/{name}");
        assert_eq!(labels.label("/docs/a/b.css"), "/docs/{*rest}");
        assert_eq!(labels.label("/api/v1/jobs/"), UNMATCHED);
        assert_eq!(labels.label("/nowhere"), UNMATCHED);
    }

    /// The label is the router's own matched pattern, for every route of the service.
    #[tokio::test]
    async fn labels_agree_with_the_router() {
        let state = crate::app::test_state("labels");
        let dir = state.config.data_dir.clone();
        let routes = crate::app::routes(&state);
        // A path of every pattern: each parameter given a value, a catch-all two segments.
        let paths: Vec<(&str, String)> = routes
            .patterns
            .iter()
            .map(|&pattern| {
                let path = pattern
                    .split('/')
                    .map(|segment| match segment.strip_prefix('{') {
                        Some(p) if p.starts_with('*') => "a/b.css",
                        Some(_) => "x1",
                        None => segment,
                    })
                    .collect::<Vec<_>>()
                    .join("/");
                (pattern, path)
            })
            .collect();
        assert!(paths.len() > 20, "{paths:?}");
        let (router, labels) = routes.into_parts();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
        let spy = {
            let seen = seen.clone();
            axum::middleware::from_fn(
                move |req: axum::extract::Request, next: axum::middleware::Next| {
                    *seen.lock().unwrap() = req
                        .extensions()
                        .get::<MatchedPath>()
                        .map(|m| m.as_str().to_owned());
                    next.run(req)
                },
            )
        };
        let router = router.layer(spy).with_state(state);
        for (pattern, path) in &paths {
            *seen.lock().unwrap() = None;
            let _ = router
                .clone()
                .oneshot(Request::get(path.as_str()).body(Body::empty()).unwrap())
                .await
                .unwrap();
            let matched = seen.lock().unwrap().clone();
            assert_eq!(labels.label(path), *pattern, "{path}");
            assert_eq!(matched.as_deref(), Some(labels.label(path)), "{path}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
