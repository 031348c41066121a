//! The server's secret keys: each is configured, or generated once into a file of its own in the
//! data folder, and refused (the node does not start) when it is short or repeats itself. Each
//! key has one purpose, so that replacing one never breaks what another protects: the token
//! signing secret ([`SIGNING_SECRET`]) and the access-code key ([`ACCESS_CODE_KEY`]).
use std::path::Path;

use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use uuid::Uuid;

/// One of the server's keys: where it is kept and what losing it costs.
#[derive(Debug, Clone, Copy)]
pub struct KeyKind {
    /// What the key is, in messages ("signing secret").
    pub what: &'static str,
    /// Its file in the data folder, used when it is not configured.
    pub file: &'static str,
    /// The environment variable that configures it.
    pub env: &'static str,
    /// What replacing it costs, told to whoever must delete a weak key file.
    pub replacing_costs: &'static str,
}

/// The HS256 secret of staff and candidate tokens.
pub const SIGNING_SECRET: KeyKind = KeyKind {
    what: "signing secret",
    file: "secret.key",
    env: "MERITEST__AUTH__SECRET",
    replacing_costs: "everyone signed in must then sign in again",
};

/// The HMAC key under which access codes are stored and looked up.
pub const ACCESS_CODE_KEY: KeyKind = KeyKind {
    what: "access-code key",
    file: "access-code.key",
    env: "MERITEST__AUTH__ACCESS_CODE_KEY",
    replacing_costs: "every access code issued so far stops working and must be reissued",
};

/// Shortest key accepted, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// Least entropy a key must show, in bits, estimated from how often each of its bytes occurs (a
/// random 32-byte key in hex or base64 shows about 220; `aaaa…` shows 0).
pub const MIN_SECRET_BITS: f64 = 128.0;

/// Why a key is too weak to use, or `None` when it will do.
fn weakness(secret: &str) -> Option<String> {
    if secret.len() < MIN_SECRET_BYTES {
        return Some(format!(
            "it is {} bytes long; at least {MIN_SECRET_BYTES} are needed",
            secret.len()
        ));
    }
    let bits = entropy_bits(secret);
    (bits < MIN_SECRET_BITS).then(|| {
        format!(
            "it repeats itself too much (about {bits:.0} bits of entropy; at least \
             {MIN_SECRET_BITS:.0} are needed)"
        )
    })
}

/// Shannon's estimate of the entropy of `s`: its length times `H = -Σ p·log₂ p` over the
/// frequencies `p` of its bytes.
fn entropy_bits(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in s.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = s.len() as f64;
    let per_byte: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum();
    per_byte * n
}

fn refuse(what: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what)
}

/// The key of this kind: the configured one, else the one kept in its file in `data_dir`,
/// generated on first use so that what it protects survives a restart. A key that is short or
/// repeats itself is refused, whether configured or found on disk.
pub fn load_or_create(
    kind: KeyKind,
    configured: Option<&SecretString>,
    data_dir: &Path,
) -> std::io::Result<SecretString> {
    if let Some(s) = configured {
        return match weakness(s.expose_secret()) {
            None => Ok(s.clone()),
            Some(why) => Err(refuse(format!(
                "the configured {} ({}) is too weak: {why}; generate one, e.g. with \
                 `openssl rand -hex 32`",
                kind.what, kind.env
            ))),
        };
    }
    let path = data_dir.join(kind.file);
    if !path.exists() {
        std::fs::create_dir_all(data_dir)?;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        write_new_private(&path, &hex::encode(bytes))?;
    }
    // Another node sharing the folder may have won the race to create it: whatever is on disk
    // is the key.
    let on_disk = std::fs::read_to_string(&path)?;
    let on_disk = on_disk.trim();
    match weakness(on_disk) {
        None => Ok(SecretString::from(on_disk.to_owned())),
        Some(why) => Err(refuse(format!(
            "{} holds a {} that is too weak: {why}; delete the file to have a new one generated \
             ({})",
            path.display(),
            kind.what,
            kind.replacing_costs
        ))),
    }
}

/// Writes `contents` to `path` only if nothing is there yet, and whole or not at all: the text
/// goes to a private file of its own first, which is then linked into place (a link never
/// replaces an existing file, and a reader never sees half a key).
fn write_new_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension(format!("tmp-{}", Uuid::new_v4().simple()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let written = opts.open(&tmp).and_then(|mut f| {
        f.write_all(contents.as_bytes())?;
        f.sync_all()
    });
    let linked = written.and_then(|()| match std::fs::hard_link(&tmp, path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    });
    let _ = std::fs::remove_file(&tmp);
    linked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_or_create_secret(
        configured: Option<&SecretString>,
        data_dir: &Path,
    ) -> std::io::Result<SecretString> {
        load_or_create(SIGNING_SECRET, configured, data_dir)
    }

    #[test]
    fn a_short_or_repetitive_configured_secret_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for weak in ["", "x", "hunter2-jwt", &"a".repeat(64), &"ab".repeat(32)] {
            let err = load_or_create_secret(Some(&SecretString::from(weak.to_owned())), dir.path())
                .unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{weak:?}");
            assert!(err.to_string().contains("too weak"), "{err}");
        }
        let strong = SecretString::from(
            "0f1e2d3c4b5a69788796a5b4c3d2e1f00123456789abcdeffedcba9876543210".to_owned(),
        );
        assert!(load_or_create_secret(Some(&strong), dir.path()).is_ok());
        assert!(
            !dir.path().join("secret.key").exists(),
            "a configured secret writes no file"
        );
    }

    #[test]
    fn a_weak_or_empty_secret_file_stops_the_start_instead_of_signing_with_it() {
        for content in ["", "\n", "short", &"0".repeat(64)] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("secret.key"), content).unwrap();
            let err = load_or_create_secret(None, dir.path()).unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{content:?}");
            assert!(err.to_string().contains("delete the file"), "{err}");
            assert_eq!(
                std::fs::read_to_string(dir.path().join("secret.key")).unwrap(),
                content,
                "the file is left for a person to look at"
            );
        }
    }

    #[test]
    fn entropy_is_estimated_from_byte_frequencies() {
        // Two symbols, equally often: one bit each.
        assert!((entropy_bits(&"ab".repeat(32)) - 64.0).abs() < 1e-9);
        assert_eq!(entropy_bits(&"a".repeat(64)), 0.0);
        // Sixteen symbols, equally often: four bits each.
        assert!((entropy_bits(&"0123456789abcdef".repeat(4)) - 256.0).abs() < 1e-9);
    }

    #[test]
    fn the_generated_secret_is_kept_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_create_secret(None, dir.path()).unwrap();
        let b = load_or_create_secret(None, dir.path()).unwrap();
        assert_eq!(a.expose_secret(), b.expose_secret());
        assert_eq!(a.expose_secret().len(), 64);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only secret.key: no temporary file is left");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secret.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
    #[test]
    fn each_kind_of_key_has_a_file_of_its_own_and_says_what_replacing_it_costs() {
        let dir = tempfile::tempdir().unwrap();
        let signing = load_or_create(SIGNING_SECRET, None, dir.path()).unwrap();
        let codes = load_or_create(ACCESS_CODE_KEY, None, dir.path()).unwrap();
        assert_ne!(signing.expose_secret(), codes.expose_secret());
        assert!(dir.path().join("access-code.key").exists());
        std::fs::write(dir.path().join("access-code.key"), "short").unwrap();
        let err = load_or_create(ACCESS_CODE_KEY, None, dir.path()).unwrap_err();
        assert!(err.to_string().contains("access-code key"), "{err}");
        assert!(err.to_string().contains("must be reissued"), "{err}");
        let err = load_or_create(
            ACCESS_CODE_KEY,
            Some(&SecretString::from("x".to_owned())),
            dir.path(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("MERITEST__AUTH__ACCESS_CODE_KEY"),
            "{err}"
        );
    }
}
