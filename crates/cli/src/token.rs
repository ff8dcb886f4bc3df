//! `beamline token`: mint a token from the configured HS256 secret, and `beamline user add`.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use beamline_server::auth::Authenticator;
use beamline_server::config::{Config, Overrides};
use beamline_server::users::UsersFile;
use clap::{Args, Subcommand};

use crate::serve::load_config;

#[derive(Args, Debug)]
pub struct TokenArgs {
    /// The subject (user) the token speaks for.
    #[arg(long)]
    pub sub: String,
    /// Comma-separated scopes: design, analyze.
    #[arg(long, default_value = "design,analyze", value_delimiter = ',')]
    pub scopes: Vec<String>,
    /// Lifetime: 3600, 90s, 30m, 12h or 7d.
    #[arg(long, default_value = "1h", value_parser = parse_ttl)]
    pub ttl: u64,
    /// Configuration file [env: BEAMLINE_CONFIG].
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn parse_ttl(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (number, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: u64 = number.parse().map_err(|_| format!("bad duration {s:?}"))?;
    let factor = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("bad duration unit in {s:?}: use s, m, h or d")),
    };
    match n.checked_mul(factor) {
        Some(0) | None => Err(format!("duration {s:?} must be positive and sensible")),
        Some(v) => Ok(v),
    }
}

/// The configuration, or the exit code 2 with the reason on stderr.
fn config_or_exit(overrides: Overrides) -> Result<Config, ExitCode> {
    load_config(&overrides).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

pub fn run_token(args: TokenArgs) -> ExitCode {
    let config = match config_or_exit(Overrides {
        config_file: args.config,
        ..Overrides::default()
    }) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if config.auth.jwt_secret.is_none() {
        eprintln!(
            "error: no JWT secret configured: set BEAMLINE_JWT_SECRET (at least 32 bytes) or \
             auth.jwt_secret in the config file, the same one the server uses"
        );
        return ExitCode::from(2);
    }
    let auth = match Authenticator::from_config(&config.auth) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let scopes: Vec<String> = args
        .scopes
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    match auth.issue(&args.sub, &scopes, args.ttl) {
        Ok(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a user (or replace one) in the users file; the password is read from standard input.
    Add(UserAddArgs),
}

#[derive(Args, Debug)]
pub struct UserAddArgs {
    pub username: String,
    /// Comma-separated scopes: design, analyze.
    #[arg(long, default_value = "design,analyze", value_delimiter = ',')]
    pub scopes: Vec<String>,
    /// Configuration file [env: BEAMLINE_CONFIG].
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Data directory (the users file defaults to <data-dir>/users.toml) [env: BEAMLINE_DATA_DIR].
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

pub fn run_user(command: UserCommand) -> ExitCode {
    let UserCommand::Add(args) = command;
    let config = match config_or_exit(Overrides {
        config_file: args.config,
        data_dir: args.data_dir,
        ..Overrides::default()
    }) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut password = String::new();
    if std::io::stdin().lock().read_line(&mut password).is_err() {
        eprintln!("error: cannot read the password from standard input");
        return ExitCode::from(2);
    }
    let password = password.trim_end_matches(['\r', '\n']);
    let path = config.users_file();
    let result = UsersFile::load(&path).and_then(|mut users| {
        users.upsert(&args.username, password, args.scopes.clone())?;
        users.save(&path)
    });
    match result {
        Ok(()) => {
            println!("user {} saved in {}", args.username, path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_ttl("3600"), Ok(3600));
        assert_eq!(parse_ttl("90s"), Ok(90));
        assert_eq!(parse_ttl("30m"), Ok(1800));
        assert_eq!(parse_ttl("1h"), Ok(3600));
        assert_eq!(parse_ttl("7d"), Ok(604_800));
        assert!(parse_ttl("0").is_err());
        assert!(parse_ttl("1y").is_err());
        assert!(parse_ttl("h").is_err());
    }
}
