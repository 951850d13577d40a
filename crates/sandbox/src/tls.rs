//! A CA and a server certificate made at start, so HTTPS can be tested end to end: the
//! client is told to trust the CA (`ca_file`), and full host-name verification applies.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The CA to trust (PEM) and the server's TLS configuration.
pub(crate) struct Certs {
    pub(crate) ca_pem: String,
    pub(crate) server_config: Arc<rustls::ServerConfig>,
}

/// A fresh CA and a server certificate for `localhost`, `127.0.0.1` and `::1`.
pub(crate) fn make() -> Result<Certs, String> {
    fn e(what: &'static str) -> impl Fn(rcgen::Error) -> String {
        move |err| format!("sandbox TLS: {what}: {err}")
    }
    let ca_key = KeyPair::generate().map_err(e("CA key"))?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(e("CA params"))?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(
        DnType::CommonName,
        "nameauth sandbox CA (made at start, not a real CA)",
    );
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca_params
        .self_signed(&ca_key)
        .map_err(e("CA certificate"))?;
    let issuer = Issuer::new(ca_params, ca_key);

    let leaf_key = KeyPair::generate().map_err(e("server key"))?;
    let mut leaf_params = CertificateParams::new(vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ])
    .map_err(e("server params"))?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "nameauth sandbox");
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf = leaf_params
        .signed_by(&leaf_key, &issuer)
        .map_err(e("server certificate"))?;

    let chain = vec![leaf.der().clone(), ca_cert.der().clone()];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let server_config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|err| format!("sandbox TLS: {err}"))?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .map_err(|err| format!("sandbox TLS: {err}"))?;
    Ok(Certs {
        ca_pem: ca_cert.pem(),
        server_config: Arc::new(server_config),
    })
}
