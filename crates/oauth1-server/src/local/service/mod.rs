//! [`Service`]: which real service the local provider plays, and the rules it enforces for it.
//!
//! One file per service holds that service's rules (paths, signature methods, placement,
//! realm, authorize parameters, token fields, error shape, protected resource) as a
//! [`Rules`] value, with the sources they come from; [`handlers`] runs any of them.

mod discogs;
mod flickr;
mod garmin;
pub(crate) mod handlers;
mod jira;
mod lti;
mod magento;
mod netsuite;
mod rules;
mod smugmug;
mod trello;
mod tumblr;
mod twitter;
mod woocommerce;
mod zotero;

pub(crate) use rules::Rules;

/// The services, in [`Service::names`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Twitter,
    NetSuite,
    Jira,
    WooCommerce,
    Magento,
    Garmin,
    Flickr,
    Trello,
    Tumblr,
    Discogs,
    SmugMug,
    Zotero,
    Lti,
}

const KINDS: [(Kind, &str); 13] = [
    (Kind::Twitter, "twitter"),
    (Kind::NetSuite, "netsuite"),
    (Kind::Jira, "jira"),
    (Kind::WooCommerce, "woocommerce"),
    (Kind::Magento, "magento"),
    (Kind::Garmin, "garmin"),
    (Kind::Flickr, "flickr"),
    (Kind::Trello, "trello"),
    (Kind::Tumblr, "tumblr"),
    (Kind::Discogs, "discogs"),
    (Kind::SmugMug, "smugmug"),
    (Kind::Zotero, "zotero"),
    (Kind::Lti, "lti"),
];

/// The names alone, from [`KINDS`].
const NAMES: [&str; 13] = {
    let mut names = [""; 13];
    let mut i = 0;
    while i < KINDS.len() {
        names[i] = KINDS[i].1;
        i += 1;
    }
    names
};

/// The NetSuite account a [`Service::netsuite`] plays when none is given
/// (`Service::by_name("netsuite")`).
pub const DEFAULT_NETSUITE_ACCOUNT: &str = "1234567";

/// The service the local provider plays (set with
/// [`LocalProviderConfig::service`](crate::LocalProviderConfig::service); default
/// [`Service::twitter`]). Each enforces that service's documented rules: its signature methods,
/// placement, realm, authorization parameters, token-response fields, error shape and status
/// codes, and the flow it runs. `docs/local-provider.md` has a section per service with its
/// sources.
///
/// Every host a service uses maps to the provider's one loopback base URL; the paths stay the
/// service's own ([`request_token_path`](Self::request_token_path) and the others).
///
/// ```
/// use oauth1_server::Service;
///
/// let netsuite = Service::netsuite("1234567-sb1");
/// assert_eq!(netsuite.name(), "netsuite");
/// assert_eq!(netsuite.realm(), Some("1234567_SB1"));
/// assert_eq!(netsuite.request_token_path(), Some("/rest/requesttoken"));
/// assert_eq!(Service::by_name("flickr").unwrap().resource_path(), "/services/rest");
/// assert!(Service::by_name("myspace").is_none());
/// assert_eq!(Service::names().len(), 13);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Service {
    kind: Kind,
    /// NetSuite's account id in realm form (`1234567_SB1`).
    account: Option<String>,
}

impl Default for Service {
    fn default() -> Self {
        Service::twitter()
    }
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Service {
    fn of(kind: Kind) -> Service {
        let account = (kind == Kind::NetSuite).then(|| DEFAULT_NETSUITE_ACCOUNT.to_owned());
        Service { kind, account }
    }

    /// The service called `name` (one of [`names`](Self::names), any case), with its default
    /// options (NetSuite: account [`DEFAULT_NETSUITE_ACCOUNT`]).
    pub fn by_name(name: &str) -> Option<Service> {
        KINDS
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name.trim()))
            .map(|&(kind, _)| Service::of(kind))
    }

    /// Every service's name: `twitter`, `netsuite`, `jira`, `woocommerce`, `magento`,
    /// `garmin`, `flickr`, `trello`, `tumblr`, `discogs`, `smugmug`, `zotero`, `lti`.
    pub fn names() -> &'static [&'static str] {
        &NAMES
    }

    /// This service's name (as in [`names`](Self::names)).
    pub fn name(&self) -> &str {
        KINDS
            .iter()
            .find(|(k, _)| *k == self.kind)
            .map_or("twitter", |(_, n)| n)
    }

    /// Twitter/X: today's behaviour (the default).
    pub fn twitter() -> Service {
        Service::of(Kind::Twitter)
    }

    /// NetSuite token-based authentication for the account `account_id`, written either as in
    /// hosts (`1234567-sb1`) or as in realms (`1234567_SB1`).
    pub fn netsuite(account_id: &str) -> Service {
        Service::of(Kind::NetSuite).account(account_id)
    }

    /// Jira / Confluence Data Center application links (RSA-SHA1).
    pub fn jira() -> Service {
        Service::of(Kind::Jira)
    }

    /// WooCommerce's REST API over http (one-legged).
    pub fn woocommerce() -> Service {
        Service::of(Kind::WooCommerce)
    }

    /// Magento 2 / Adobe Commerce integrations (activation, or tokens issued in the admin).
    pub fn magento() -> Service {
        Service::of(Kind::Magento)
    }

    /// Garmin Connect's Health API.
    pub fn garmin() -> Service {
        Service::of(Kind::Garmin)
    }

    /// Flickr.
    pub fn flickr() -> Service {
        Service::of(Kind::Flickr)
    }

    /// Trello.
    pub fn trello() -> Service {
        Service::of(Kind::Trello)
    }

    /// Tumblr.
    pub fn tumblr() -> Service {
        Service::of(Kind::Tumblr)
    }

    /// Discogs.
    pub fn discogs() -> Service {
        Service::of(Kind::Discogs)
    }

    /// SmugMug.
    pub fn smugmug() -> Service {
        Service::of(Kind::SmugMug)
    }

    /// Zotero (OAuth gives an API key).
    pub fn zotero() -> Service {
        Service::of(Kind::Zotero)
    }

    /// An LTI 1.1 tool: the provider verifies the launch a tool consumer (an LMS) signs.
    pub fn lti() -> Service {
        Service::of(Kind::Lti)
    }

    /// Sets NetSuite's account id (either form: `1234567-sb1` or `1234567_SB1`); ignored by the
    /// other services.
    #[must_use]
    pub fn account(mut self, account_id: &str) -> Service {
        if self.kind == Kind::NetSuite {
            self.account = Some(netsuite::realm_of(account_id));
        }
        self
    }

    /// The timestamp skew the service accepts either way, where it differs from the provider's
    /// default and the service says (WooCommerce: 15 minutes); `None` for the others.
    /// [`LocalProviderConfig::service`](crate::LocalProviderConfig::service) sets it as the
    /// provider's window.
    ///
    /// ```
    /// use oauth1_server::Service;
    /// use std::time::Duration;
    /// assert_eq!(Service::woocommerce().window(), Some(Duration::from_secs(900)));
    /// assert_eq!(Service::twitter().window(), None);
    /// ```
    pub fn window(&self) -> Option<std::time::Duration> {
        self.rules().window
    }

    /// NetSuite's account id as its realm is written (`1234567_SB1`); `None` for the others.
    pub fn realm(&self) -> Option<&str> {
        self.account.as_deref()
    }

    /// The hosts the real service uses, each of which maps to the provider's base URL (NetSuite's
    /// are derived from the account id: `1234567-sb1.restlets.api.netsuite.com`, ...).
    pub fn hosts(&self) -> Vec<String> {
        match self.kind {
            Kind::NetSuite => netsuite::hosts(self.account.as_deref().unwrap_or_default()),
            _ => self
                .static_hosts()
                .iter()
                .map(|h| (*h).to_owned())
                .collect(),
        }
    }

    fn static_hosts(&self) -> &'static [&'static str] {
        match self.kind {
            Kind::Twitter => twitter::HOSTS,
            Kind::NetSuite => &[],
            Kind::Jira => jira::HOSTS,
            Kind::WooCommerce => woocommerce::HOSTS,
            Kind::Magento => magento::HOSTS,
            Kind::Garmin => garmin::HOSTS,
            Kind::Flickr => flickr::HOSTS,
            Kind::Trello => trello::HOSTS,
            Kind::Tumblr => tumblr::HOSTS,
            Kind::Discogs => discogs::HOSTS,
            Kind::SmugMug => smugmug::HOSTS,
            Kind::Zotero => zotero::HOSTS,
            Kind::Lti => lti::HOSTS,
        }
    }

    /// The rules the provider enforces for this service.
    pub(crate) fn rules(&self) -> Rules {
        match self.kind {
            Kind::Twitter => twitter::rules(),
            Kind::NetSuite => netsuite::rules(self.account.as_deref().unwrap_or_default()),
            Kind::Jira => jira::rules(),
            Kind::WooCommerce => woocommerce::rules(),
            Kind::Magento => magento::rules(),
            Kind::Garmin => garmin::rules(),
            Kind::Flickr => flickr::rules(),
            Kind::Trello => trello::rules(),
            Kind::Tumblr => tumblr::rules(),
            Kind::Discogs => discogs::rules(),
            Kind::SmugMug => smugmug::rules(),
            Kind::Zotero => zotero::rules(),
            Kind::Lti => lti::rules(),
        }
    }

    /// Whether this is Twitter (the provider's original endpoints).
    pub(crate) fn is_twitter(&self) -> bool {
        self.kind == Kind::Twitter
    }

    /// The request-token path (e.g. NetSuite `/rest/requesttoken`); `None` for a service
    /// without one (WooCommerce, LTI).
    pub fn request_token_path(&self) -> Option<&'static str> {
        self.rules().request_token.map(|e| e.path)
    }

    /// The request-token method (`POST`, or `GET` for Discogs).
    pub fn request_token_method(&self) -> Option<http::Method> {
        self.rules().request_token.map(|e| e.verb.method())
    }

    /// The authorization page's path; `None` without one (Magento, WooCommerce, LTI).
    pub fn authorize_path(&self) -> Option<&'static str> {
        self.rules().authorize
    }

    /// The access-token path; `None` without one.
    pub fn access_token_path(&self) -> Option<&'static str> {
        self.rules().access_token.map(|e| e.path)
    }

    /// The access-token method (`POST` for all of them).
    pub fn access_token_method(&self) -> Option<http::Method> {
        self.rules().access_token.map(|e| e.verb.method())
    }

    /// The path of the protected resource shaped like the service's (NetSuite
    /// `/services/rest/record/v1/customer`, Jira `/rest/api/2/myself`, ...; LTI's launch URL).
    pub fn resource_path(&self) -> &'static str {
        self.rules().resource.path
    }

    /// The protected resource's method.
    pub fn resource_method(&self) -> http::Method {
        self.rules().resource.verb.method()
    }

    /// The accepted `oauth_signature_method` values.
    pub fn signature_methods(&self) -> &'static [&'static str] {
        self.rules().methods
    }
}
