//! A throwaway PostgreSQL cluster for tests and the benchmark: `initdb` and `pg_ctl` in a temp
//! folder, listening on a Unix socket only. PostgreSQL refuses to run as root, so as root the
//! cluster runs as the `postgres` system user that the operating system's package creates.
//! A watcher process stops the cluster and removes its folder when this process ends, however
//! it ends (a test binary's statics are never dropped).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

pub struct Cluster {
    base: PathBuf,
    bin: PathBuf,
    socket_dir: PathBuf,
    as_postgres: bool,
}

/// The PostgreSQL server programs: `pg_config --bindir` when it holds `initdb`, else the
/// newest `/usr/lib/postgresql/*/bin` (Debian keeps them there, off the PATH).
pub fn find_bin_dir() -> Option<PathBuf> {
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        .filter(|dir| dir.join("initdb").is_file());
    from_pg_config.or_else(|| {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let version = entry.file_name().to_string_lossy().parse().ok()?;
                let bin = entry.path().join("bin");
                bin.join("initdb").is_file().then_some((version, bin))
            })
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| bin)
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn postgres_ids() -> Result<(u32, u32)> {
    let id = |flag: &str| -> Result<u32> {
        let out = Command::new("id").args([flag, "postgres"]).output()?;
        if !out.status.success() {
            bail!(
                "running as root, PostgreSQL needs an unprivileged user and there is no `postgres` user (the postgresql package creates it)"
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
    };
    Ok((id("-u")?, id("-g")?))
}

impl Cluster {
    /// Starts a new cluster. `durable` keeps PostgreSQL's default fsync and synchronous commit
    /// (the benchmark); without it the cluster skips fsync, which only matters if the machine
    /// itself crashes (tests kill clients, never the server).
    pub fn start(durable: bool) -> Result<Cluster> {
        Self::start_with(durable, &[])
    }

    /// [`Cluster::start`] with more server settings, `name=value` each (the benchmark's
    /// `shared_preload_libraries=pg_stat_statements`); values must not need quoting.
    pub fn start_with(durable: bool, settings: &[&str]) -> Result<Cluster> {
        let bin = find_bin_dir().context("no PostgreSQL server programs (initdb) found")?;
        let as_postgres = is_root();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let base = std::env::temp_dir().join(format!("kiosk-hq-pg-{}-{nanos}", std::process::id()));
        let socket_dir = base.join("socket");
        std::fs::create_dir_all(&socket_dir)
            .with_context(|| format!("creating {}", socket_dir.display()))?;
        if as_postgres {
            let (uid, gid) = postgres_ids()?;
            for path in [&base, &socket_dir] {
                std::os::unix::fs::chown(path, Some(uid), Some(gid))
                    .with_context(|| format!("handing {} to postgres", path.display()))?;
            }
        }
        let cluster = Cluster {
            base,
            bin,
            socket_dir,
            as_postgres,
        };
        let data = cluster.base.join("data");
        cluster.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )?;
        let mut options = format!(
            "-k {} -c listen_addresses='' -c max_connections=40 -c shared_buffers=128MB",
            cluster.socket_dir.display()
        );
        if !durable {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        for setting in settings {
            options.push_str(" -c ");
            options.push_str(setting);
        }
        let log = cluster.base.join("server.log");
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                &data.to_string_lossy(),
                "-o",
                &options,
                "-l",
                &log.to_string_lossy(),
                "-w",
                "start",
            ],
        )?;
        cluster.watch_this_process()?;
        Ok(cluster)
    }

    /// The command line that runs `program` from the server's bin folder, as `postgres` when
    /// this process is root.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<()> {
        let out = self
            .command(program)
            .args(args)
            .current_dir(&self.base)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running {program}"))?;
        if !out.status.success() {
            bail!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }

    /// A shell that waits for this process to end, then stops the cluster and removes it.
    fn watch_this_process(&self) -> Result<()> {
        let pg_ctl = self.bin.join("pg_ctl");
        let runner = if self.as_postgres {
            "runuser -u postgres -- "
        } else {
            ""
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {runner}'{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{base}'",
            pid = std::process::id(),
            pg_ctl = pg_ctl.display(),
            data = self.base.join("data").display(),
            base = self.base.display(),
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting the cluster's watcher")?;
        Ok(())
    }

    /// A connection string for database `name` over the cluster's socket.
    pub fn url(&self, name: &str) -> String {
        format!(
            "host={} port=5432 user=postgres dbname={name}",
            self.socket_dir.display()
        )
    }

    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The server's main process (its first line of `postmaster.pid`), whose children are
    /// the backends: the benchmark adds up their CPU time from /proc.
    pub fn postmaster_pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.base.join("data").join("postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// The folder of the server's programs (psql is beside them).
    pub fn bin_dir(&self) -> &Path {
        &self.bin
    }

    /// Creates an empty database `name` (letters, digits and `_` only) and returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            bail!("database name {name:?}: letters, digits and _ only");
        }
        let mut admin = crate::db::connect(&self.url("postgres"))?;
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))?;
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
        Ok(self.url(name))
    }

    /// Stops the cluster now (the watcher would do it at exit anyway).
    pub fn stop(&self) -> Result<()> {
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.base.join("data").to_string_lossy(),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        )?;
        let _ = std::fs::remove_dir_all(&self.base);
        Ok(())
    }
}
