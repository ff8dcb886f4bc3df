//! The users file for the OAuth2 password grant: TOML with argon2id password hashes, written by
//! `beamline user add`.
//!
//! ```toml
//! [[user]]
//! username = "alice"
//! password_hash = "$argon2id$v=19$..."
//! scopes = ["design", "analyze"]
//! ```

use std::path::Path;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub password_hash: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct UsersFile {
    #[serde(default, rename = "user")]
    pub users: Vec<User>,
}

#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("{0}")]
    Invalid(String),
}

/// A hash that no password matches, checked when the user does not exist so that a wrong user name
/// takes as long as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Q5vdxSEYn1MJ1FYPwAtw4dWazXQtINLvvb1rl/9P3qE";

impl UsersFile {
    /// Reads the file; a missing file is an empty list of users.
    pub fn load(path: &Path) -> Result<UsersFile, UsersError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| UsersError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(UsersFile::default()),
            Err(e) => Err(UsersError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }

    pub fn save(&self, path: &Path) -> Result<(), UsersError> {
        let err = |e: String| UsersError::Write {
            path: path.display().to_string(),
            message: e,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
        }
        let text = toml::to_string_pretty(self).map_err(|e| err(e.to_string()))?;
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(|e| err(e.to_string()))?;
        std::fs::rename(&tmp, path).map_err(|e| err(e.to_string()))
    }

    /// Adds a user, or replaces the one with the same name.
    pub fn upsert(
        &mut self,
        username: &str,
        password: &str,
        scopes: Vec<String>,
    ) -> Result<(), UsersError> {
        if username.is_empty() || username.len() > 64 || username.chars().any(char::is_whitespace) {
            return Err(UsersError::Invalid(
                "a user name is 1–64 characters without spaces".into(),
            ));
        }
        if password.len() < 8 {
            return Err(UsersError::Invalid(
                "a password has at least 8 characters".into(),
            ));
        }
        let salt = SaltString::generate(&mut OsRng);
        let password_hash = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| UsersError::Hash(e.to_string()))?
            .to_string();
        self.users.retain(|u| u.username != username);
        self.users.push(User {
            username: username.to_owned(),
            password_hash,
            scopes,
        });
        Ok(())
    }

    /// The user whose name and password match. Takes about as long whether or not the user exists.
    pub fn verify(&self, username: &str, password: &str) -> Option<&User> {
        let user = self.users.iter().find(|u| u.username == username);
        let hash = user.map_or(DUMMY_HASH, |u| u.password_hash.as_str());
        let ok = PasswordHash::new(hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        user.filter(|_| ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_save_load_verify() {
        let dir = std::env::temp_dir().join(format!("beamline-users-{}", std::process::id()));
        let path = dir.join("users.toml");
        let mut users = UsersFile::load(&path).unwrap();
        assert!(users.users.is_empty());
        users
            .upsert("alice", "correct horse", vec!["design".into()])
            .unwrap();
        users.save(&path).unwrap();
        let users = UsersFile::load(&path).unwrap();
        assert_eq!(
            users.verify("alice", "correct horse").unwrap().scopes,
            ["design"]
        );
        assert!(users.verify("alice", "wrong").is_none());
        assert!(users.verify("nobody", "correct horse").is_none());
        assert!(UsersFile::default()
            .upsert("a b", "longenough", vec![])
            .is_err());
        assert!(UsersFile::default().upsert("bob", "short", vec![]).is_err());
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        std::fs::remove_dir_all(dir).ok();
    }
}
