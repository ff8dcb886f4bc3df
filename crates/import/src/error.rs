//! What went wrong in an import: every unreadable cell with its file, line and column, at once.

use std::fmt;

/// Where a value was read: file, sheet (XLSX), line (1-based, as an editor or spreadsheet shows it)
/// and column (a number in CSV, a letter in XLSX) with its header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub line: usize,
    /// `9` in a CSV, `I` in a sheet; empty when the problem is the whole line or table.
    pub column: String,
    /// The column's header, when it has one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub header: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " [{sheet}]")?;
        }
        write!(f, ", line {}", self.line)?;
        if !self.column.is_empty() {
            write!(f, ", column {}", self.column)?;
        }
        if !self.header.is_empty() {
            write!(f, " ({})", self.header)?;
        }
        Ok(())
    }
}

/// One problem, where it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Location>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{at}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The most problems one import reports (the first ones, in file order).
pub const MAX_PROBLEMS: usize = 100;

/// An import that could not be completed: every problem found, each with where it is.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize)]
#[error("{}", summary(.problems))]
pub struct ImportError {
    pub problems: Vec<Problem>,
}

fn summary(problems: &[Problem]) -> String {
    match problems {
        [one] => one.to_string(),
        many => format!("{} problems; the first: {}", many.len(), many[0]),
    }
}

/// Problems gathered while reading; reading goes on after each so that all are reported at once.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn at(&mut self, at: Location, message: impl Into<String>) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(Problem {
                at: Some(at),
                message: message.into(),
            });
        }
    }

    pub fn general(&mut self, message: impl Into<String>) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(Problem {
                at: None,
                message: message.into(),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing went wrong.
    pub fn finish<T>(self, value: T) -> Result<T, ImportError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(ImportError { problems: self.0 })
        }
    }
}
