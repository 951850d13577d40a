//! Name resolution with a short cache, so a keep-alive call costs no thread and no lookup.

use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs};
use ureq::unversioned::transport::NextTimeout;

/// How long resolved addresses of a host name are reused.
const DNS_CACHE_TTL: Duration = Duration::from_secs(30);

/// ureq resolves before it looks for a pooled connection, and with a timeout set its
/// default resolver spawns a thread per request. This one answers IP literals directly
/// and keeps a host name's addresses for `DNS_CACHE_TTL`, so a keep-alive call costs no
/// thread and no lookup.
#[derive(Debug, Default)]
pub(super) struct Resolver {
    cache: std::sync::Mutex<Option<(String, Instant, ResolvedSocketAddrs)>>,
}

impl ureq::unversioned::resolver::Resolver for Resolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let default_port = if uri.scheme_str() == Some("http") {
            80
        } else {
            443
        };
        let port = uri.port_u16().unwrap_or(default_port);
        if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse() {
            let mut addrs = self.empty();
            addrs.push(std::net::SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = format!("{host}:{port}");
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((k, at, addrs)) = &*cache {
            if *k == key && at.elapsed() < DNS_CACHE_TTL {
                return Ok(addrs.clone());
            }
        }
        drop(cache);
        let addrs = DefaultResolver::default().resolve(uri, config, timeout)?;
        cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        *cache = Some((key, Instant::now(), addrs.clone()));
        Ok(addrs)
    }
}
