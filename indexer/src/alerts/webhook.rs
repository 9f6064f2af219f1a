//! Webhook targets: http(s) only, and not on a private network unless the operator allows it
//! (`--allow-private-webhooks`), so an alert cannot be used to probe the indexer's own network.

use std::net::IpAddr;

/// Why a webhook URL is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("not a URL: {0}")]
    Invalid(String),
    #[error("only http and https webhooks are delivered, not {0}")]
    Scheme(String),
    #[error("the URL has no host")]
    NoHost,
    #[error("{0} does not resolve")]
    Unresolved(String),
    #[error("{0} is on a private or local network (the operator did not allow private webhooks)")]
    Private(IpAddr),
}

/// Whether `ip` is loopback, private, link-local, unspecified or otherwise not public.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                // 100.64.0.0/10, carrier-grade NAT.
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xC0) == 64)
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                // fc00::/7 unique local, fe80::/10 link-local.
                || (v6.segments()[0] & 0xFE00) == 0xFC00
                || (v6.segments()[0] & 0xFFC0) == 0xFE80
                || v6.to_ipv4_mapped().is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}

/// Checks `url` (and every address its host resolves to) before it is stored or called.
pub async fn check(url: &str, allow_private: bool) -> Result<reqwest::Url, WebhookError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| WebhookError::Invalid(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(WebhookError::Scheme(parsed.scheme().to_string()));
    }
    let host = parsed.host_str().ok_or(WebhookError::NoHost)?.to_string();
    let port = parsed.port_or_known_default().unwrap_or(80);
    let lookup = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let addrs: Vec<IpAddr> = tokio::net::lookup_host((lookup.as_str(), port))
        .await
        .map_err(|_| WebhookError::Unresolved(host.clone()))?
        .map(|a| a.ip())
        .collect();
    if addrs.is_empty() {
        return Err(WebhookError::Unresolved(host));
    }
    if !allow_private {
        if let Some(ip) = addrs.into_iter().find(|ip| is_private(*ip)) {
            return Err(WebhookError::Private(ip));
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_public_http_targets_pass_unless_private_ones_are_allowed() {
        assert!(matches!(
            check("ftp://example.com/x", true).await,
            Err(WebhookError::Scheme(_))
        ));
        assert!(matches!(
            check("not a url", true).await,
            Err(WebhookError::Invalid(_))
        ));
        assert!(matches!(
            check("http://127.0.0.1:9/hook", false).await,
            Err(WebhookError::Private(_))
        ));
        assert!(check("http://127.0.0.1:9/hook", true).await.is_ok());
        assert!(matches!(
            check("http://[::1]/", false).await,
            Err(WebhookError::Private(_))
        ));
        for ip in [
            "10.1.2.3",
            "192.168.0.1",
            "172.16.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
        assert!(is_private("::ffff:10.0.0.1".parse().unwrap()));
    }
}
