//! Where `nameauth sandbox --tls` (and the sandbox library under every front end's
//! testing helper) writes its CA: a fresh private directory, never a predictable `/tmp`
//! path that another local user could plant, removed on exit and on SIGINT/SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use nameauth_sandbox::Sandbox;

mod common;
use common::BIN;

/// Starts an HTTPS sandbox in this process on a port chosen here (retrying if another
/// process takes the port in between), after `plant` has prepared that port's old path.
fn start_on_a_known_port(plant: impl Fn(u16)) -> (Sandbox, u16) {
    for _ in 0..20 {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        plant(port);
        match Sandbox::builder()
            .listen(([127, 0, 0, 1], port).into())
            .tls(true)
            .start()
        {
            Ok(sb) => return (sb, port),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => panic!("the sandbox did not start: {e}"),
        }
    }
    panic!("no free port in 20 tries");
}

/// The path the sandbox used to write its CA under: `$TMPDIR/nameauth-sandbox-PID-PORT`.
fn old_path(port: u16) -> PathBuf {
    std::env::temp_dir().join(format!("nameauth-sandbox-{}-{port}", std::process::id()))
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_directory_or_link_planted_at_the_old_path_is_not_followed() {
    let victim = tempfile::tempdir().unwrap();
    let victims_ca = victim.path().join("ca.pem");
    let victims_file = victim.path().join("precious.txt");
    std::fs::write(&victims_ca, "the victim's own CA").unwrap();
    std::fs::write(&victims_file, "the victim's own file").unwrap();

    // A symbolic link to the victim's directory at the old path...
    let (linked, port) = start_on_a_known_port(|port| {
        let _ = std::fs::remove_file(old_path(port));
        symlink(victim.path(), old_path(port)).unwrap();
    });
    // ...and a directory of the attacker's with ca.pem linked to the victim's file.
    let (planted, port2) = start_on_a_known_port(|port| {
        let _ = std::fs::remove_dir_all(old_path(port));
        std::fs::create_dir(old_path(port)).unwrap();
        symlink(&victims_file, old_path(port).join("ca.pem")).unwrap();
    });

    for sb in [&linked, &planted] {
        let ca = sb.ca_file().unwrap();
        assert_eq!(
            std::fs::read_to_string(ca).unwrap(),
            sb.ca_pem().unwrap(),
            "{}",
            ca.display()
        );
        let dir = ca.parent().unwrap();
        assert!(!dir.starts_with(old_path(port)) && !dir.starts_with(old_path(port2)));
        assert!(!dir.starts_with(victim.path()), "{}", dir.display());
        assert_eq!(mode(dir), 0o700, "{}", dir.display());
        assert!(!std::fs::symlink_metadata(dir)
            .unwrap()
            .file_type()
            .is_symlink());
    }
    assert_eq!(
        std::fs::read_to_string(&victims_ca).unwrap(),
        "the victim's own CA"
    );
    assert_eq!(
        std::fs::read_to_string(&victims_file).unwrap(),
        "the victim's own file"
    );
    let dirs: Vec<PathBuf> = [&linked, &planted]
        .iter()
        .map(|sb| sb.ca_file().unwrap().parent().unwrap().to_path_buf())
        .collect();
    drop(linked);
    drop(planted);
    for dir in dirs {
        assert!(!dir.exists(), "{} outlived its sandbox", dir.display());
    }
    let _ = std::fs::remove_file(old_path(port));
    let _ = std::fs::remove_dir_all(old_path(port2));
}

#[test]
fn a_link_at_ca_pem_in_a_given_cert_dir_is_refused() {
    let victim = tempfile::tempdir().unwrap();
    let victims_file = victim.path().join("precious.txt");
    std::fs::write(&victims_file, "the victim's own file").unwrap();
    let certs = tempfile::tempdir().unwrap();
    symlink(&victims_file, certs.path().join("ca.pem")).unwrap();
    let err = Sandbox::builder()
        .tls(true)
        .cert_dir(certs.path())
        .start()
        .err()
        .expect("a link at ca.pem was followed");
    assert!(err.to_string().contains("ca.pem"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&victims_file).unwrap(),
        "the victim's own file"
    );
}

/// A child process killed if a test fails before it ends.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `nameauth sandbox --tls` with its own temp dir; returns it and NAMEAUTH_CA_FILE.
fn spawn_tls_sandbox(tmp: &Path) -> (Killed, PathBuf) {
    let mut child = Command::new(BIN)
        .args(["sandbox", "--tls", "--listen", "127.0.0.1:0"])
        .env("TMPDIR", tmp)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut ca = None;
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(path) = line.strip_prefix("export NAMEAUTH_CA_FILE=") {
            ca = Some(PathBuf::from(path));
        }
        if line.starts_with("# try") {
            break;
        }
    }
    (Killed(child), ca.expect("no NAMEAUTH_CA_FILE printed"))
}

#[test]
fn the_cli_keeps_its_ca_in_a_private_directory_gone_after_sigterm_or_sigint() {
    for (signal, number) in [("TERM", 15), ("INT", 2)] {
        let tmp = tempfile::tempdir().unwrap();
        let (mut child, ca) = spawn_tls_sandbox(tmp.path());
        let dir = ca.parent().unwrap().to_path_buf();
        assert_eq!(dir.parent().unwrap(), tmp.path());
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        assert!(name.starts_with("nameauth-sandbox-"), "{name}");
        assert!(
            !name.starts_with(&format!("nameauth-sandbox-{}-", child.0.id())),
            "a predictable name: {name}"
        );
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        assert!(std::fs::read_to_string(&ca)
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----"));

        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &child.0.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.0.wait().unwrap();
        assert_eq!(status.signal(), Some(number), "{status:?}");
        assert!(!dir.exists(), "SIG{signal} left {}", dir.display());
    }
}
