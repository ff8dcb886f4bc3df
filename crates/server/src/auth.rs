//! JWT authentication (docs/http.md): verification with exactly one configured algorithm, scopes, the
//! request-level middleware that identifies the caller, and the extractor handlers use.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::clock::unix_seconds;
use crate::config::{AuthConfig, JwtAlgorithm};
use crate::error::ApiError;

/// The scopes of docs/http.md.
pub const SCOPE_DESIGN: &str = "design";
pub const SCOPE_ANALYZE: &str = "analyze";
pub const ALL_SCOPES: [&str; 2] = [SCOPE_DESIGN, SCOPE_ANALYZE];

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    pub scopes: BTreeSet<String>,
    pub email: Option<String>,
    /// An invitation: the one live session this token opens, and nothing else.
    pub session: Option<String>,
}

impl Identity {
    /// The caller when authentication is off: anonymous, with every scope.
    fn anonymous() -> Identity {
        Identity {
            sub: "anonymous".into(),
            scopes: ALL_SCOPES.iter().map(|s| s.to_string()).collect(),
            email: None,
            session: None,
        }
    }

    /// 403 unless the caller has `scope`; an invitation's token is refused here too, since it opens
    /// only its session ([`Identity::may_join`]).
    pub fn require(&self, scope: &'static str) -> Result<(), ApiError> {
        if let Some(session) = &self.session {
            return Err(ApiError::InvitationOnly(session.clone()));
        }
        if self.scopes.contains(scope) {
            Ok(())
        } else {
            Err(ApiError::InsufficientScope(scope))
        }
    }

    /// Whether the caller may join live session `session` (with the design scope).
    pub fn may_join(&self, session: &str) -> Result<(), ApiError> {
        match &self.session {
            Some(invited) if invited != session => Err(ApiError::InvitationOnly(invited.clone())),
            _ if self.scopes.contains(SCOPE_DESIGN) => Ok(()),
            _ => Err(ApiError::InsufficientScope(SCOPE_DESIGN)),
        }
    }
}

/// The outcome of looking at a request's credentials, kept in its extensions.
#[derive(Debug, Clone)]
pub enum Caller {
    /// Authentication is off.
    Open,
    /// No token was sent.
    Anonymous,
    Authenticated(Arc<Identity>),
    /// A token was sent and is not acceptable: never treated as anonymous.
    Rejected(String),
}

impl Caller {
    /// The identity a handler may act for, or the 401 to answer with.
    pub fn identity(&self) -> Result<Arc<Identity>, ApiError> {
        match self {
            Caller::Open => Ok(Arc::new(Identity::anonymous())),
            Caller::Authenticated(id) => Ok(id.clone()),
            Caller::Anonymous => Err(ApiError::Unauthorized {
                invalid_token: false,
                reason: "no token".into(),
            }),
            Caller::Rejected(reason) => Err(ApiError::Unauthorized {
                invalid_token: true,
                reason: reason.clone(),
            }),
        }
    }

    /// The rate-limit key part for an authenticated caller.
    pub fn sub(&self) -> Option<&str> {
        match self {
            Caller::Authenticated(id) => Some(&id.sub),
            _ => None,
        }
    }
}

/// Claims of the tokens Beamline accepts and issues.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    /// Seconds since the epoch; a fractional value (allowed by RFC 7519's NumericDate) is rounded
    /// down, to the earlier expiry.
    #[serde(deserialize_with = "seconds_down")]
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<serde_json::Value>,
    /// Rounded up, to the later start.
    #[serde(
        default,
        deserialize_with = "seconds_up",
        skip_serializing_if = "Option::is_none"
    )]
    pub nbf: Option<u64>,
    /// An array of scopes, or one space-separated string.
    #[serde(
        default,
        deserialize_with = "scope_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
    /// An invitation's session (docs/sessions.md, "Invitations").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

/// A NumericDate (RFC 7519 §2): a JSON number of seconds, whole or not, never negative.
fn numeric_date(value: serde_json::Value) -> Result<f64, String> {
    match value.as_f64() {
        Some(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("expected a number of seconds, got {value}")),
    }
}

fn seconds_down<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let x = numeric_date(serde_json::Value::deserialize(d)?).map_err(serde::de::Error::custom)?;
    Ok(x.floor().min(u64::MAX as f64) as u64)
}

fn seconds_up<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let x = numeric_date(serde_json::Value::deserialize(d)?).map_err(serde::de::Error::custom)?;
    Ok(Some(x.ceil().min(u64::MAX as f64) as u64))
}

fn scope_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scopes {
        List(Vec<String>),
        Text(String),
    }
    Ok(Some(match Scopes::deserialize(d)? {
        Scopes::List(list) => list,
        Scopes::Text(text) => text.split_whitespace().map(str::to_owned).collect(),
    }))
}

#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    #[error("cannot read the public key {path}: {message}")]
    PublicKey { path: String, message: String },
    #[error("tokens can only be issued with an HS256 secret")]
    CannotIssue,
    #[error("cannot sign the token: {0}")]
    Sign(String),
}

/// Verifies (and, with an HS256 secret, issues) tokens.
pub struct Authenticator {
    enabled: bool,
    decoding: DecodingKey,
    encoding: Option<EncodingKey>,
    validation: Validation,
    algorithm: Algorithm,
    issuer: Option<String>,
    audience: Option<String>,
    /// True when the secret was made up at start-up (no key configured).
    pub generated_secret: bool,
    cache: VerifiedCache,
}

/// Tokens already verified, with their validity window, so that a client sending the same token on
/// every request pays for the signature check once. An entry is used only for the exact token string
/// and only while `exp` (and `nbf`) still hold, with the same leeway as a full check.
struct VerifiedCache {
    shards: Vec<Mutex<HashMap<String, Verified>>>,
    leeway: u64,
}

struct Verified {
    identity: Arc<Identity>,
    exp: u64,
    nbf: u64,
}

const CACHE_SHARDS: usize = 8;
const CACHE_ENTRIES_PER_SHARD: usize = 1024;

impl VerifiedCache {
    fn new(leeway: u64) -> Self {
        VerifiedCache {
            shards: (0..CACHE_SHARDS)
                .map(|_| Mutex::new(HashMap::new()))
                .collect(),
            leeway,
        }
    }

    fn shard(&self, token: &str) -> std::sync::MutexGuard<'_, HashMap<String, Verified>> {
        // The signature's last bytes are as good as random.
        let i = token.bytes().last().map_or(0, usize::from) % CACHE_SHARDS;
        self.shards[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, token: &str, now: u64) -> Option<Arc<Identity>> {
        let shard = self.shard(token);
        let entry = shard.get(token)?;
        let live = now < entry.exp.saturating_add(self.leeway)
            && now.saturating_add(self.leeway) >= entry.nbf;
        live.then(|| entry.identity.clone())
    }

    fn put(&self, token: &str, verified: Verified) {
        let mut shard = self.shard(token);
        if shard.len() >= CACHE_ENTRIES_PER_SHARD {
            shard.clear();
        }
        shard.insert(token.to_owned(), verified);
    }
}

impl Authenticator {
    pub fn from_config(config: &AuthConfig) -> Result<Authenticator, AuthSetupError> {
        let algorithm = match config.algorithm {
            JwtAlgorithm::HS256 => Algorithm::HS256,
            JwtAlgorithm::RS256 => Algorithm::RS256,
            JwtAlgorithm::ES256 => Algorithm::ES256,
        };
        let mut generated_secret = false;
        let (decoding, encoding) = match (&config.public_key_file, algorithm) {
            (Some(path), Algorithm::RS256 | Algorithm::ES256) => {
                let pem = std::fs::read(path).map_err(|e| AuthSetupError::PublicKey {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
                let key = if algorithm == Algorithm::RS256 {
                    DecodingKey::from_rsa_pem(&pem)
                } else {
                    DecodingKey::from_ec_pem(&pem)
                };
                let key = key.map_err(|e| AuthSetupError::PublicKey {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
                (key, None)
            }
            _ => {
                let secret = match &config.jwt_secret {
                    Some(s) => s.as_bytes().to_vec(),
                    None => {
                        generated_secret = true;
                        rand::random::<[u8; 32]>().to_vec()
                    }
                };
                (
                    DecodingKey::from_secret(&secret),
                    Some(EncodingKey::from_secret(&secret)),
                )
            }
        };
        // Exactly one algorithm; `none` and every other algorithm are refused by the library.
        let mut validation = Validation::new(algorithm);
        // `exp` is required by `Claims` itself, and checked in `verify` with `nbf`, so that a
        // fractional NumericDate is understood.
        let mut required = vec!["sub"];
        if config.issuer.is_some() {
            required.push("iss");
        }
        if config.audience.is_some() {
            required.push("aud");
        }
        validation.set_required_spec_claims(&required);
        validation.leeway = config.leeway_seconds;
        validation.validate_exp = false;
        validation.validate_nbf = false;
        match &config.issuer {
            Some(iss) => validation.set_issuer(&[iss]),
            None => validation.iss = None,
        }
        match &config.audience {
            Some(aud) => validation.set_audience(&[aud]),
            None => validation.validate_aud = false,
        }
        Ok(Authenticator {
            enabled: config.enabled,
            decoding,
            encoding,
            validation,
            algorithm,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            generated_secret,
            cache: VerifiedCache::new(config.leeway_seconds),
        })
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Checks a token and returns who it speaks for.
    pub fn verify(&self, token: &str) -> Result<Arc<Identity>, String> {
        if let Some(identity) = self.cache.get(token, unix_seconds()) {
            return Ok(identity);
        }
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| e.to_string())?;
        let claims = data.claims;
        if claims.sub.is_empty() {
            return Err("empty sub".into());
        }
        let (now, leeway) = (unix_seconds(), self.validation.leeway);
        if now >= claims.exp.saturating_add(leeway) {
            return Err("ExpiredSignature".into());
        }
        if claims
            .nbf
            .is_some_and(|nbf| now.saturating_add(leeway) < nbf)
        {
            return Err("ImmatureSignature".into());
        }
        let mut scopes: BTreeSet<String> = claims.scopes.unwrap_or_default().into_iter().collect();
        if let Some(s) = claims.scope {
            scopes.extend(s.split_whitespace().map(str::to_owned));
        }
        let identity = Arc::new(Identity {
            sub: claims.sub,
            scopes,
            email: claims.email,
            session: claims.session,
        });
        self.cache.put(
            token,
            Verified {
                identity: identity.clone(),
                exp: claims.exp,
                nbf: claims.nbf.unwrap_or(0),
            },
        );
        Ok(identity)
    }

    /// Issues a token for `sub` with `scopes`, valid for `ttl_seconds` (HS256 only).
    pub fn issue(
        &self,
        sub: &str,
        scopes: &[String],
        ttl_seconds: u64,
    ) -> Result<String, AuthSetupError> {
        self.sign(sub, scopes.to_vec(), ttl_seconds, None)
    }

    /// An invitation to one live session: a token with the design scope that opens that session and
    /// nothing else, for `ttl_seconds`.
    pub fn invite(
        &self,
        sub: &str,
        session: &str,
        ttl_seconds: u64,
    ) -> Result<String, AuthSetupError> {
        let scopes = vec![SCOPE_DESIGN.to_owned()];
        self.sign(sub, scopes, ttl_seconds, Some(session.to_owned()))
    }

    fn sign(
        &self,
        sub: &str,
        scopes: Vec<String>,
        ttl_seconds: u64,
        session: Option<String>,
    ) -> Result<String, AuthSetupError> {
        let key = self.encoding.as_ref().ok_or(AuthSetupError::CannotIssue)?;
        let now = unix_seconds();
        let claims = Claims {
            sub: sub.to_owned(),
            exp: now + ttl_seconds,
            iat: Some(serde_json::Value::from(now)),
            nbf: None,
            scopes: Some(scopes),
            scope: None,
            email: None,
            iss: self.issuer.clone(),
            aud: self.audience.clone().map(serde_json::Value::from),
            session,
        };
        jsonwebtoken::encode(&Header::new(self.algorithm), &claims, key)
            .map_err(|e| AuthSetupError::Sign(e.to_string()))
    }

    pub fn can_issue(&self) -> bool {
        self.encoding.is_some()
    }
}

/// The token of a request: `Authorization: Bearer …`, or, where `query_token` allows it, `?token=`
/// on a GET (the event streams and WebSockets, which browsers open without headers).
fn token_of(req: &Request, query_token: bool) -> Option<String> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let value = value.to_str().unwrap_or("");
        // The scheme is case-insensitive (RFC 7235 §2.1): `Bearer`, `bearer`, `BEARER`.
        let token = match value.trim_start().split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token,
            _ => "",
        };
        return Some(token.trim().to_owned());
    }
    if query_token && req.method() == Method::GET {
        return req.uri().query().and_then(|q| {
            q.split('&')
                .find_map(|pair| pair.strip_prefix("token="))
                .map(str::to_owned)
        });
    }
    None
}

/// Where [`identify`] looks for a token.
#[derive(Clone)]
pub struct Identify {
    pub auth: Arc<Authenticator>,
    /// Whether `?token=` counts on a GET.
    pub query_token: bool,
}

/// Identifies the caller of a request and records it as a [`Caller`] extension. It never rejects:
/// the rate limiter counts every request, and the handler's [`AuthUser`] answers 401 or 403.
pub async fn identify(
    State(Identify { auth, query_token }): State<Identify>,
    mut req: Request,
    next: Next,
) -> Response {
    let caller = if !auth.enabled() {
        Caller::Open
    } else {
        match token_of(&req, query_token) {
            None => Caller::Anonymous,
            Some(token) if token.is_empty() => Caller::Rejected("empty token".into()),
            Some(token) => match auth.verify(&token) {
                Ok(id) => Caller::Authenticated(id),
                Err(reason) => Caller::Rejected(reason),
            },
        }
    };
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// The authenticated caller; a missing or bad token is a 401 (with `WWW-Authenticate`).
pub struct AuthUser(pub Arc<Identity>);

impl AuthUser {
    /// 403 unless the caller has `scope`.
    pub fn require(&self, scope: &'static str) -> Result<(), ApiError> {
        self.0.require(scope)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .unwrap_or(&Caller::Anonymous)
            .identity()
            .map(AuthUser)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hs256() -> Authenticator {
        Authenticator::from_config(&AuthConfig {
            jwt_secret: Some("0123456789abcdef0123456789abcdef".into()),
            ..AuthConfig::default()
        })
        .unwrap()
    }

    #[test]
    fn issued_tokens_verify_with_their_scopes() {
        let auth = hs256();
        let token = auth.issue("alice", &["design".into()], 60).unwrap();
        let id = auth.verify(&token).unwrap();
        assert_eq!(id.sub, "alice");
        assert!(id.require(SCOPE_DESIGN).is_ok());
        assert!(matches!(
            id.require(SCOPE_ANALYZE),
            Err(ApiError::InsufficientScope("analyze"))
        ));
    }

    #[test]
    fn space_separated_scope_claim_is_read() {
        let auth = hs256();
        let claims = serde_json::json!({"sub": "bob", "exp": unix_seconds() + 60, "scope": "design analyze"});
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .unwrap();
        assert_eq!(auth.verify(&token).unwrap().scopes.len(), 2);
    }

    #[test]
    fn cached_tokens_still_expire() {
        let auth = hs256();
        let token = auth.issue("alice", &["design".into()], 60).unwrap();
        assert!(auth.verify(&token).is_ok());
        assert!(auth.cache.get(&token, unix_seconds()).is_some());
        // Past exp + leeway the cached entry is not used.
        assert!(auth.cache.get(&token, unix_seconds() + 60 + 31).is_none());
        // A different token string (one byte changed) is never served from the cache.
        let mut forged = token.clone();
        forged.push('x');
        assert!(auth.verify(&forged).is_err());
    }

    #[test]
    fn generated_secret_when_none_is_configured() {
        let auth = Authenticator::from_config(&AuthConfig::default()).unwrap();
        assert!(auth.generated_secret);
        let token = auth.issue("dev", &["design".into()], 60).unwrap();
        assert!(auth.verify(&token).is_ok());
        assert!(hs256().verify(&token).is_err());
    }
}
