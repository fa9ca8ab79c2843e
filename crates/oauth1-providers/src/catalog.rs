//! The catalog: every preset by name ([`catalog`], [`PresetInfo`]), built from options
//! ([`Preset::by_name`], [`PresetOptions`]), and [`Preset`], which is any of them.

use std::fmt;

use http::{HeaderMap, StatusCode};
use oauth1_core::Placement;
use oauth1_flow::{Endpoints, ProviderError, ServiceProvider};

use crate::base::{shown, BaseUrlError};
use crate::check::Finding;
use crate::discogs::{Discogs, DiscogsMethod, UserAgentError};
use crate::flickr::{Flickr, Perms};
use crate::garmin::Garmin;
use crate::jira::Jira;
use crate::lti::Lti;
use crate::magento::Magento;
use crate::netsuite::{AccountIdError, NetSuite};
use crate::smugmug::{Access, Permissions, SmugMug};
use crate::trello::{Expiration, Scope, Trello};
use crate::tumblr::Tumblr;
use crate::woocommerce::{WooCommerce, WooMethod};
use crate::zotero::{GroupAccess, KeyPermissions, Zotero};
use crate::{discogs, flickr, garmin, jira, lti, magento, netsuite, smugmug, trello, tumblr};
use crate::{woocommerce, zotero};

/// The shapes of flow a preset supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowShape {
    /// The three-legged dance: request token, the user authorizes, access token.
    ThreeLegged,
    /// One-legged: the consumer key and secret alone sign each call
    /// ([`Flow::consumer_client`](oauth1_flow::Flow::consumer_client)).
    OneLegged,
    /// A token issued in the service's UI, used as is.
    IssuedToken,
    /// Magento 2's integration activation: the store posts the consumer credentials and a
    /// verifier, then request and access tokens.
    Activation,
    /// An LTI 1.1 launch: a signed form `POST` to a tool.
    Launch,
}

impl FlowShape {
    /// A short name (`three-legged`, `one-legged`, `issued-token`, `activation`, `launch`).
    pub fn as_str(self) -> &'static str {
        match self {
            FlowShape::ThreeLegged => "three-legged",
            FlowShape::OneLegged => "one-legged",
            FlowShape::IssuedToken => "issued-token",
            FlowShape::Activation => "activation",
            FlowShape::Launch => "launch",
        }
    }
}

impl fmt::Display for FlowShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An option a preset takes (a field of [`PresetOptions`], a flag on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OptionInfo {
    /// The name, as on the command line (`account`, `perms`, `base-url`, …).
    pub name: &'static str,
    /// Whether the preset needs it.
    pub required: bool,
    /// The values it takes, or empty for free text.
    pub values: &'static [&'static str],
    /// What it is.
    pub help: &'static str,
}

/// A preset as the catalog lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PresetInfo {
    /// The name, as on the command line (`netsuite`).
    pub name: &'static str,
    /// The service, as people call it (`NetSuite`).
    pub service: &'static str,
    /// One line on what it is.
    pub description: &'static str,
    /// The flow shapes it supports.
    pub flows: &'static [FlowShape],
    /// The signature methods the service accepts, the preset's default first.
    pub methods: &'static [&'static str],
    /// The options it takes.
    pub options: &'static [OptionInfo],
}

impl PresetInfo {
    /// The option named `name`, if the preset takes it.
    pub fn option(&self, name: &str) -> Option<&'static OptionInfo> {
        self.options.iter().find(|o| o.name == name)
    }
}

const fn opt(
    name: &'static str,
    required: bool,
    values: &'static [&'static str],
    help: &'static str,
) -> OptionInfo {
    OptionInfo {
        name,
        required,
        values,
        help,
    }
}

const BASE_OPTIONAL: OptionInfo = opt(
    "base-url",
    false,
    &[],
    "every host of the service pointed at this URL (the local provider, a proxy)",
);

const HOSTED_BASE: OptionInfo = opt(
    "base-url",
    true,
    &[],
    "the site's base URL (self-hosted: there is no default host)",
);

static CATALOG: &[PresetInfo] = &[
    #[cfg(feature = "twitter")]
    PresetInfo {
        name: "twitter",
        service: "Twitter/X",
        description: "X's API v1.1 and v2 user context (api.x.com)",
        flows: &[FlowShape::ThreeLegged],
        methods: crate::twitter::METHODS,
        options: &[
            opt(
                "access",
                false,
                &["read", "write"],
                "x_auth_access_type on the request token (default: the app's permission)",
            ),
            BASE_OPTIONAL,
        ],
    },
    PresetInfo {
        name: "netsuite",
        service: "NetSuite",
        description: "NetSuite token-based authentication: RESTlets and REST web services on the account's domains",
        flows: &[FlowShape::IssuedToken, FlowShape::ThreeLegged],
        methods: netsuite::METHODS,
        options: &[
            opt(
                "account",
                true,
                &[],
                "the account id, as in hosts (1234567-sb1) or realms (1234567_SB1)",
            ),
            BASE_OPTIONAL,
        ],
    },
    PresetInfo {
        name: "jira",
        service: "Jira/Confluence Data Center",
        description: "Jira and Confluence Data Center application links (RSA-SHA1, no consumer secret)",
        flows: &[FlowShape::ThreeLegged],
        methods: jira::METHODS,
        options: &[HOSTED_BASE],
    },
    PresetInfo {
        name: "woocommerce",
        service: "WooCommerce",
        description: "WooCommerce REST API over http: one-legged, parameters in the query",
        flows: &[FlowShape::OneLegged],
        methods: &["HMAC-SHA256", "HMAC-SHA1"],
        options: &[
            HOSTED_BASE,
            opt("method", false, &["HMAC-SHA256", "HMAC-SHA1"], "the signature method"),
        ],
    },
    PresetInfo {
        name: "magento",
        service: "Magento 2",
        description: "Magento 2 / Adobe Commerce integrations: activation or the admin's tokens",
        flows: &[FlowShape::Activation, FlowShape::IssuedToken],
        methods: magento::METHODS,
        options: &[HOSTED_BASE],
    },
    PresetInfo {
        name: "garmin",
        service: "Garmin Connect",
        description: "Garmin Connect developer program (Health and Activity APIs)",
        flows: &[FlowShape::ThreeLegged],
        methods: garmin::METHODS,
        options: &[BASE_OPTIONAL],
    },
    PresetInfo {
        name: "flickr",
        service: "Flickr",
        description: "Flickr API, with perms on the authorization page",
        flows: &[FlowShape::ThreeLegged],
        methods: flickr::METHODS,
        options: &[
            opt("perms", false, Perms::NAMES, "what the app asks for (default read)"),
            BASE_OPTIONAL,
        ],
    },
    PresetInfo {
        name: "trello",
        service: "Trello",
        description: "Trello REST API, with the app's name, scope and expiration",
        flows: &[FlowShape::ThreeLegged],
        methods: trello::METHODS,
        options: &[
            opt("app-name", false, &[], "the name shown on the authorization page"),
            opt("scope", false, Scope::NAMES, "comma-separated scopes (default read)"),
            opt("expiration", false, Expiration::NAMES, "how long the token lasts (default 30days)"),
            BASE_OPTIONAL,
        ],
    },
    PresetInfo {
        name: "tumblr",
        service: "Tumblr",
        description: "Tumblr API v2",
        flows: &[FlowShape::ThreeLegged],
        methods: tumblr::METHODS,
        options: &[BASE_OPTIONAL],
    },
    PresetInfo {
        name: "discogs",
        service: "Discogs",
        description: "Discogs API, with the application's User-Agent on every request",
        flows: &[FlowShape::ThreeLegged],
        methods: &["HMAC-SHA1", "PLAINTEXT"],
        options: &[
            opt("user-agent", true, &[], "the application's User-Agent (MyApp/1.0 +https://myapp.example)"),
            opt("method", false, &["HMAC-SHA1", "PLAINTEXT"], "the signature method"),
            BASE_OPTIONAL,
        ],
    },
    PresetInfo {
        name: "smugmug",
        service: "SmugMug",
        description: "SmugMug API v2, with Access and Permissions on the authorization page",
        flows: &[FlowShape::ThreeLegged],
        methods: smugmug::METHODS,
        options: &[
            opt("access", false, Access::NAMES, "which data (default Public)"),
            opt("permissions", false, Permissions::NAMES, "what the token may do (default Read)"),
            BASE_OPTIONAL,
        ],
    },
    PresetInfo {
        name: "zotero",
        service: "Zotero",
        description: "Zotero API keys through OAuth, with the key's permissions",
        flows: &[FlowShape::ThreeLegged],
        methods: zotero::METHODS,
        options: &[
            opt("app-name", false, &[], "the key's name"),
            opt("key-access", false, KeyPermissions::NAMES, "comma-separated key permissions"),
            opt("all-groups", false, GroupAccess::NAMES, "access to all the user's groups"),
            BASE_OPTIONAL,
        ],
    },
    PresetInfo {
        name: "lti",
        service: "LTI 1.1",
        description: "LTI 1.1 basic launch from the tool consumer: a signed form POST to a tool",
        flows: &[FlowShape::Launch],
        methods: lti::METHODS,
        options: &[opt("base-url", true, &[], "the tool's launch URL")],
    },
];

/// Every preset, in the order `oauth1 providers` lists them.
///
/// ```
/// let names: Vec<&str> = oauth1_providers::catalog().iter().map(|p| p.name).collect();
/// assert!(names.contains(&"netsuite") && names.contains(&"lti"));
/// ```
pub fn catalog() -> &'static [PresetInfo] {
    CATALOG
}

/// The catalog's entry for `name`.
pub fn info(name: &str) -> Option<&'static PresetInfo> {
    CATALOG.iter().find(|p| p.name == name)
}

/// The options of [`Preset::by_name`], as given on the command line; each preset reads the ones
/// its [`PresetInfo::options`] lists and refuses the others.
///
/// ```
/// use oauth1_providers::PresetOptions;
/// let mut options = PresetOptions::default();
/// options.perms = Some("write".into());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PresetOptions {
    /// `base-url`: every host of the service pointed at this URL; required for self-hosted
    /// services (Jira, Magento, WooCommerce) and the LTI launch URL.
    pub base_url: Option<String>,
    /// `account`: NetSuite's account id (`1234567-sb1` or `1234567_SB1`).
    pub account: Option<String>,
    /// `method`: the signature method where the service offers a choice (Discogs,
    /// WooCommerce).
    pub method: Option<String>,
    /// `perms`: Flickr's `read`, `write` or `delete`.
    pub perms: Option<String>,
    /// `app-name`: Trello's `name`, Zotero's key name.
    pub app_name: Option<String>,
    /// `scope`: Trello's comma-separated `read`, `write`, `account`.
    pub scope: Option<String>,
    /// `expiration`: Trello's `1hour`, `1day`, `30days`, `never`.
    pub expiration: Option<String>,
    /// `access`: SmugMug's `Public` or `Full`; Twitter's `read` or `write`
    /// (`x_auth_access_type`).
    pub access: Option<String>,
    /// `permissions`: SmugMug's `Read`, `Add` or `Modify`.
    pub permissions: Option<String>,
    /// `user-agent`: the application's `User-Agent` (required by Discogs).
    pub user_agent: Option<String>,
    /// `key-access`: Zotero's comma-separated `library`, `notes`, `write`.
    pub key_access: Option<String>,
    /// `all-groups`: Zotero's `none`, `read` or `write`.
    pub all_groups: Option<String>,
}

/// The options by their names on the command line, one list for reading and for setting them.
macro_rules! option_names {
    ($($name:literal => $field:ident),* $(,)?) => {
        impl PresetOptions {
            /// The options that are set, by name.
            fn given(&self) -> Vec<(&'static str, &str)> {
                [$(($name, &self.$field)),*]
                    .into_iter()
                    .filter_map(|(n, v)| v.as_deref().map(|v| (n, v)))
                    .collect()
            }

            /// Sets the option called `name` as on the command line (`account`, `base-url`,
            /// `perms`, …; see [`PresetInfo::options`]); `false`, and nothing set, when no
            /// option has that name.
            ///
            /// ```
            /// use oauth1_providers::PresetOptions;
            /// let mut options = PresetOptions::default();
            /// assert!(options.set("base-url", "https://jira.example.com"));
            /// assert_eq!(options.base_url.as_deref(), Some("https://jira.example.com"));
            /// assert!(!options.set("color", "blue"));
            /// ```
            pub fn set(&mut self, name: &str, value: impl Into<String>) -> bool {
                match name {
                    $($name => self.$field = Some(value.into()),)*
                    _ => return false,
                }
                true
            }
        }
    };
}

option_names!(
    "base-url" => base_url,
    "account" => account,
    "method" => method,
    "perms" => perms,
    "app-name" => app_name,
    "scope" => scope,
    "expiration" => expiration,
    "access" => access,
    "permissions" => permissions,
    "user-agent" => user_agent,
    "key-access" => key_access,
    "all-groups" => all_groups,
);

/// Why [`Preset::by_name`] refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PresetError {
    /// No preset has this name.
    #[error("no preset is named `{name}`: use one of {}", valid.join(", "))]
    Unknown {
        /// The name given (cut to 64 characters).
        name: String,
        /// The names there are.
        valid: Vec<&'static str>,
    },
    /// The preset needs an option that was not given.
    #[error("the {preset} preset needs --{option}: {help}")]
    Missing {
        /// The preset.
        preset: &'static str,
        /// The option.
        option: &'static str,
        /// What it is.
        help: &'static str,
    },
    /// The preset does not take an option that was given.
    #[error("the {preset} preset takes no --{option}: it takes {}", if takes.is_empty() { "no options".to_owned() } else { takes.iter().map(|t| format!("--{t}")).collect::<Vec<_>>().join(", ") })]
    NotTaken {
        /// The preset.
        preset: &'static str,
        /// The option given.
        option: &'static str,
        /// The options it takes.
        takes: Vec<&'static str>,
    },
    /// An option's value is not one the preset takes.
    #[error("--{option} `{value}` is not valid for {preset}: use {}", valid.join(", "))]
    BadValue {
        /// The preset.
        preset: &'static str,
        /// The option.
        option: &'static str,
        /// The value given (cut to 64 characters).
        value: String,
        /// The values it takes.
        valid: &'static [&'static str],
    },
    /// NetSuite's account id was refused.
    #[error("the netsuite preset's --account is not an account id")]
    Account(#[source] AccountIdError),
    /// A base URL was refused.
    #[error("the {preset} preset's --base-url is not usable")]
    BaseUrl {
        /// The preset.
        preset: &'static str,
        /// Why.
        #[source]
        source: BaseUrlError,
    },
    /// Discogs' user agent was refused.
    #[error("the discogs preset's --user-agent is not usable")]
    UserAgent(#[source] UserAgentError),
}

/// Any preset of the catalog, implementing [`ServiceProvider`] by delegation.
///
/// ```
/// use oauth1_flow::{ClientCredentials, Flow, ServiceProvider};
/// use oauth1_providers::{Preset, PresetOptions};
///
/// let mut options = PresetOptions::default();
/// options.perms = Some("write".into());
/// let flickr = Preset::by_name("flickr", &options)?;
/// assert_eq!(flickr.name(), "flickr");
/// assert_eq!(flickr.authorize_params(), [("perms".to_owned(), "write".to_owned())]);
/// let flow = Flow::new(flickr, ClientCredentials::new("key", "secret"))?;
///
/// let error = Preset::by_name("flikr", &PresetOptions::default()).unwrap_err();
/// assert!(error.to_string().contains("flickr"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Preset {
    /// Twitter/X.
    #[cfg(feature = "twitter")]
    #[cfg_attr(docsrs, doc(cfg(feature = "twitter")))]
    Twitter(crate::twitter::Twitter),
    /// NetSuite.
    NetSuite(NetSuite),
    /// Jira/Confluence Data Center.
    Jira(Jira),
    /// WooCommerce.
    WooCommerce(WooCommerce),
    /// Magento 2.
    Magento(Magento),
    /// Garmin.
    Garmin(Garmin),
    /// Flickr.
    Flickr(Flickr),
    /// Trello.
    Trello(Trello),
    /// Tumblr.
    Tumblr(Tumblr),
    /// Discogs.
    Discogs(Discogs),
    /// SmugMug.
    SmugMug(SmugMug),
    /// Zotero.
    Zotero(Zotero),
    /// LTI 1.1 launches.
    Lti(Lti),
}

macro_rules! each {
    ($self:expr, $p:ident => $e:expr) => {
        match $self {
            #[cfg(feature = "twitter")]
            Preset::Twitter($p) => $e,
            Preset::NetSuite($p) => $e,
            Preset::Jira($p) => $e,
            Preset::WooCommerce($p) => $e,
            Preset::Magento($p) => $e,
            Preset::Garmin($p) => $e,
            Preset::Flickr($p) => $e,
            Preset::Trello($p) => $e,
            Preset::Tumblr($p) => $e,
            Preset::Discogs($p) => $e,
            Preset::SmugMug($p) => $e,
            Preset::Zotero($p) => $e,
            Preset::Lti($p) => $e,
        }
    };
}

/// Reads options of one preset, refusing what it does not take.
struct Reader<'a> {
    info: &'static PresetInfo,
    options: &'a PresetOptions,
}

impl<'a> Reader<'a> {
    fn new(info: &'static PresetInfo, options: &'a PresetOptions) -> Result<Self, PresetError> {
        for (name, _) in options.given() {
            if info.option(name).is_none() {
                return Err(PresetError::NotTaken {
                    preset: info.name,
                    option: name,
                    takes: info.options.iter().map(|o| o.name).collect(),
                });
            }
        }
        Ok(Reader { info, options })
    }

    fn value(&self, name: &'static str) -> Option<&'a str> {
        self.options
            .given()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    fn required(&self, name: &'static str) -> Result<&'a str, PresetError> {
        self.value(name).ok_or_else(|| PresetError::Missing {
            preset: self.info.name,
            option: name,
            help: self.info.option(name).map(|o| o.help).unwrap_or(""),
        })
    }

    fn bad(&self, option: &'static str, value: &str) -> PresetError {
        PresetError::BadValue {
            preset: self.info.name,
            option,
            value: shown(value),
            valid: self.info.option(option).map(|o| o.values).unwrap_or(&[]),
        }
    }

    fn base(&self, e: BaseUrlError) -> PresetError {
        PresetError::BaseUrl {
            preset: self.info.name,
            source: e,
        }
    }

    /// `Some(with_base(url))` when `base-url` is given.
    fn rebased<T>(
        &self,
        preset: T,
        with_base: impl FnOnce(&str) -> Result<T, BaseUrlError>,
    ) -> Result<T, PresetError> {
        match self.value("base-url") {
            Some(url) => with_base(url).map_err(|e| self.base(e)),
            None => Ok(preset),
        }
    }
}

impl Preset {
    /// The preset named `name` (as in [`catalog`]) with `options`. Unknown names, options the
    /// preset does not take, missing required options and bad values are refused with an error
    /// that lists what is valid.
    pub fn by_name(name: &str, options: &PresetOptions) -> Result<Preset, PresetError> {
        let key = name.trim().to_ascii_lowercase();
        let info = info(&key).ok_or_else(|| PresetError::Unknown {
            name: shown(name),
            valid: CATALOG.iter().map(|p| p.name).collect(),
        })?;
        let r = Reader::new(info, options)?;
        Ok(match info.name {
            #[cfg(feature = "twitter")]
            "twitter" => {
                let mut twitter = r.rebased(crate::twitter::Twitter::new(), |b| {
                    crate::base::base_url(b).map(|b| crate::twitter::Twitter::with_base(&b))
                })?;
                if let Some(a) = r.value("access") {
                    twitter = twitter.access_type(match a.trim().to_ascii_lowercase().as_str() {
                        "read" => crate::twitter::AccessType::Read,
                        "write" => crate::twitter::AccessType::Write,
                        _ => return Err(r.bad("access", a)),
                    });
                }
                Preset::Twitter(twitter)
            }
            "netsuite" => {
                let account =
                    NetSuite::account(r.required("account")?).map_err(PresetError::Account)?;
                Preset::NetSuite(r.rebased(account.clone(), |b| account.with_base(b))?)
            }
            "jira" => Preset::Jira(Jira::new(r.required("base-url")?).map_err(|e| r.base(e))?),
            "woocommerce" => {
                let shop = WooCommerce::new(r.required("base-url")?).map_err(|e| r.base(e))?;
                Preset::WooCommerce(match r.value("method") {
                    None => shop,
                    Some(m) if m.eq_ignore_ascii_case("HMAC-SHA256") => {
                        shop.method(WooMethod::HmacSha256)
                    }
                    Some(m) if m.eq_ignore_ascii_case("HMAC-SHA1") => {
                        shop.method(WooMethod::HmacSha1)
                    }
                    Some(m) => return Err(r.bad("method", m)),
                })
            }
            "magento" => {
                Preset::Magento(Magento::new(r.required("base-url")?).map_err(|e| r.base(e))?)
            }
            "garmin" => Preset::Garmin(r.rebased(Garmin::new(), Garmin::with_base)?),
            "flickr" => {
                let mut flickr = r.rebased(Flickr::new(), Flickr::with_base)?;
                if let Some(p) = r.value("perms") {
                    flickr = flickr.perms(Perms::from_name(p).ok_or_else(|| r.bad("perms", p))?);
                }
                Preset::Flickr(flickr)
            }
            "trello" => {
                let mut trello = r.rebased(Trello::new(), Trello::with_base)?;
                if let Some(n) = r.value("app-name") {
                    trello = trello.name(n);
                }
                if let Some(s) = r.value("scope") {
                    let scope = Scope::parse_list(s).map_err(|bad| r.bad("scope", &bad))?;
                    trello = trello.scope(&scope);
                }
                if let Some(e) = r.value("expiration") {
                    trello = trello.expiration(
                        Expiration::from_name(e).ok_or_else(|| r.bad("expiration", e))?,
                    );
                }
                Preset::Trello(trello)
            }
            "tumblr" => Preset::Tumblr(r.rebased(Tumblr::new(), Tumblr::with_base)?),
            "discogs" => {
                let mut discogs =
                    Discogs::new(r.required("user-agent")?).map_err(PresetError::UserAgent)?;
                if let Some(m) = r.value("method") {
                    discogs = discogs.method(if m.eq_ignore_ascii_case("PLAINTEXT") {
                        DiscogsMethod::Plaintext
                    } else if m.eq_ignore_ascii_case("HMAC-SHA1") {
                        DiscogsMethod::HmacSha1
                    } else {
                        return Err(r.bad("method", m));
                    });
                }
                let copy = discogs.clone();
                Preset::Discogs(r.rebased(discogs, |b| copy.with_base(b))?)
            }
            "smugmug" => {
                let mut smugmug = r.rebased(SmugMug::new(), SmugMug::with_base)?;
                if let Some(a) = r.value("access") {
                    smugmug =
                        smugmug.access(Access::from_name(a).ok_or_else(|| r.bad("access", a))?);
                }
                if let Some(p) = r.value("permissions") {
                    smugmug = smugmug.permissions(
                        Permissions::from_name(p).ok_or_else(|| r.bad("permissions", p))?,
                    );
                }
                Preset::SmugMug(smugmug)
            }
            "zotero" => {
                let mut zotero = r.rebased(Zotero::new(), Zotero::with_base)?;
                let mut permissions = KeyPermissions::default();
                if let Some(k) = r.value("key-access") {
                    permissions =
                        KeyPermissions::parse_list(k).map_err(|bad| r.bad("key-access", &bad))?;
                }
                if let Some(g) = r.value("all-groups") {
                    permissions.all_groups =
                        Some(GroupAccess::from_name(g).ok_or_else(|| r.bad("all-groups", g))?);
                }
                if let Some(n) = r.value("app-name") {
                    zotero = zotero.name(n);
                }
                Preset::Zotero(zotero.permissions(permissions))
            }
            _ => Preset::Lti(Lti::new(r.required("base-url")?).map_err(|e| r.base(e))?),
        })
    }

    /// The preset's name, as in the [`catalog`].
    pub fn name(&self) -> &'static str {
        self.info().name
    }

    /// The preset's entry in the [`catalog`].
    pub fn info(&self) -> &'static PresetInfo {
        let name = match self {
            #[cfg(feature = "twitter")]
            Preset::Twitter(_) => crate::twitter::NAME,
            Preset::NetSuite(_) => netsuite::NAME,
            Preset::Jira(_) => jira::NAME,
            Preset::WooCommerce(_) => woocommerce::NAME,
            Preset::Magento(_) => magento::NAME,
            Preset::Garmin(_) => garmin::NAME,
            Preset::Flickr(_) => flickr::NAME,
            Preset::Trello(_) => trello::NAME,
            Preset::Tumblr(_) => tumblr::NAME,
            Preset::Discogs(_) => discogs::NAME,
            Preset::SmugMug(_) => smugmug::NAME,
            Preset::Zotero(_) => zotero::NAME,
            Preset::Lti(_) => lti::NAME,
        };
        // Every variant's name is in the catalog (a unit test checks it).
        info(name).unwrap_or(&CATALOG[0])
    }

    /// The service's own checks of a signed request (see [`Finding`]): what the service would
    /// refuse that a generic OAuth check does not know about. Empty when nothing was found.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        match self {
            #[cfg(feature = "twitter")]
            Preset::Twitter(_) => crate::twitter::check(request),
            Preset::NetSuite(p) => p.check(request),
            Preset::Jira(p) => p.check(request),
            Preset::WooCommerce(p) => p.check(request),
            Preset::Magento(p) => p.check(request),
            Preset::Garmin(p) => p.check(request),
            Preset::Flickr(p) => p.check(request),
            Preset::Trello(p) => p.check(request),
            Preset::Tumblr(p) => p.check(request),
            Preset::Discogs(p) => p.check(request),
            Preset::SmugMug(p) => p.check(request),
            Preset::Zotero(p) => p.check(request),
            Preset::Lti(p) => p.check(request),
        }
    }
}

impl ServiceProvider for Preset {
    fn endpoints(&self) -> &Endpoints {
        each!(self, p => p.endpoints())
    }
    fn signature_method(&self) -> &str {
        each!(self, p => p.signature_method())
    }
    fn placement(&self) -> Placement {
        each!(self, p => p.placement())
    }
    fn realm(&self) -> Option<&str> {
        each!(self, p => p.realm())
    }
    fn supports_xauth(&self) -> bool {
        each!(self, p => p.supports_xauth())
    }
    fn request_token_params(&self) -> Vec<(String, String)> {
        each!(self, p => p.request_token_params())
    }
    fn authorize_params(&self) -> Vec<(String, String)> {
        each!(self, p => p.authorize_params())
    }
    fn headers(&self) -> HeaderMap {
        each!(self, p => p.headers())
    }
    fn requires_callback_confirmed(&self) -> bool {
        each!(self, p => p.requires_callback_confirmed())
    }
    fn parse_error(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ProviderError {
        each!(self, p => p.parse_error(status, headers, body))
    }
}

macro_rules! from_preset {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        $(impl From<$ty> for Preset {
            fn from(p: $ty) -> Self {
                Preset::$variant(p)
            }
        })*
    };
}

from_preset!(
    NetSuite(NetSuite),
    Jira(Jira),
    WooCommerce(WooCommerce),
    Magento(Magento),
    Garmin(Garmin),
    Flickr(Flickr),
    Trello(Trello),
    Tumblr(Tumblr),
    Discogs(Discogs),
    SmugMug(SmugMug),
    Zotero(Zotero),
    Lti(Lti),
);

#[cfg(feature = "twitter")]
impl From<crate::twitter::Twitter> for Preset {
    fn from(p: crate::twitter::Twitter) -> Self {
        Preset::Twitter(p)
    }
}

#[cfg(test)]
mod tests;
