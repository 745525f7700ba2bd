//! Secret files (the pepper and the store's signing key): created once with mode 0600, never
//! overwritten, and refused when other users could read them.

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;
use zeroize::Zeroizing;

#[derive(Debug, Error)]
pub enum SecretFileError {
    #[error(
        "the {what} file {path} is missing; it cannot be recreated without invalidating what it protects: restore it from your backup"
    )]
    Missing { what: &'static str, path: PathBuf },
    #[error(
        "the {what} file {path} can be read by other users (mode {mode:o}); run `chmod 600 {path}`"
    )]
    Exposed {
        what: &'static str,
        path: PathBuf,
        mode: u32,
    },
    #[error("cannot {action} the {what} file {path}: {source}")]
    Io {
        action: &'static str,
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Creates a folder (and its parents) that only the kiosk's user can enter.
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    if path.as_os_str().is_empty() || path.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Writes a new secret file: fails if it already exists, durable before returning.
pub fn create_secret_file(
    path: &Path,
    what: &'static str,
    bytes: &[u8],
) -> Result<(), SecretFileError> {
    let io_error = |action, source| SecretFileError::Io {
        action,
        what,
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        create_private_dir(parent).map_err(|e| io_error("create the folder of", e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| io_error("create", e))?;
    file.write_all(bytes).map_err(|e| io_error("write", e))?;
    file.sync_all().map_err(|e| io_error("sync", e))?;
    // The new directory entry must survive a power cut too.
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(folder) = std::fs::File::open(parent)
    {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Reads a secret file, refusing one that other users can read.
pub fn read_secret_file(
    path: &Path,
    what: &'static str,
) -> Result<Zeroizing<Vec<u8>>, SecretFileError> {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(SecretFileError::Missing {
                what,
                path: path.to_path_buf(),
            });
        }
        Err(source) => {
            return Err(SecretFileError::Io {
                action: "read",
                what,
                path: path.to_path_buf(),
                source,
            });
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(SecretFileError::Exposed {
                what,
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = metadata;
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|source| SecretFileError::Io {
            action: "read",
            what,
            path: path.to_path_buf(),
            source,
        })
}
