//! LTI 1.1 basic launches, from the tool consumer's side (the LMS): a form `POST` to the tool's
//! launch URL, signed with HMAC-SHA1 by the consumer key and secret alone, the OAuth
//! parameters in the form body, `oauth_callback=about:blank`.
//!
//! - The required launch fields are typed: `lti_message_type=basic-lti-launch-request`,
//!   `lti_version` (`LTI-1p0`), `resource_link_id`; the recommended ones (`user_id`, `roles`,
//!   `context_id`, …) have setters, and any other (`custom_…`, `ext_…`) goes through
//!   [`Launch::param`].
//! - There is no token and no dance: the endpoints of [`ServiceProvider`] are the launch URL,
//!   and the flow shape is a launch ([`Lti::launch`] → [`Launch::sign`] → an
//!   `http::Request` to post, or to render as an auto-submitting HTML form).
//! - A tool answers a bad signature as it likes (often an HTML page); the default error parser
//!   keeps a snippet.
//!
//! Source: IMS Global, "Learning Tools Interoperability Implementation Guide, Version 1.1.1"
//! (www.imsglobal.org/specs/ltiv1p1p1/implementation-guide), sections 4 (Basic Launch Data)
//! and 4.1.1 (OAuth).

use oauth1_core::{ClientCredentials, HmacSha1, OAuthParams, Placement, Signer};
use oauth1_flow::{Endpoint, Endpoints, ServiceProvider};

use crate::base::{shown, BaseUrlError};
use crate::check::{common, Finding, FindingKind, Inspected};

/// The preset's name in the catalog.
pub(crate) const NAME: &str = "lti";
/// The signature method of LTI 1.1.
pub(crate) const METHODS: &[&str] = &["HMAC-SHA1"];

/// The fields every basic launch has.
const REQUIRED: [&str; 3] = ["lti_message_type", "lti_version", "resource_link_id"];

/// Why a launch could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LaunchError {
    /// `resource_link_id` is empty.
    #[error("the launch has an empty resource_link_id: give the id of the link the user clicked")]
    EmptyResourceLink,
    /// A parameter named `oauth_…` was given; the signer adds those.
    #[error("the launch parameter `{0}` is reserved: the signer adds the oauth_ parameters")]
    Reserved(String),
    /// The request could not be signed.
    #[error("the launch could not be signed")]
    Signing(#[source] oauth1_core::Error),
    /// The request could not be built.
    #[error("the launch request could not be built")]
    Request(#[source] http::Error),
}

/// A role in the launch's `roles` (LIS context roles, the short names).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Role {
    /// `Learner`.
    Learner,
    /// `Instructor`.
    Instructor,
    /// `ContentDeveloper`.
    ContentDeveloper,
    /// `Member`.
    Member,
    /// `Manager`.
    Manager,
    /// `Mentor`.
    Mentor,
    /// `Administrator`.
    Administrator,
    /// `TeachingAssistant`.
    TeachingAssistant,
    /// A full URN (`urn:lti:role:ims/lis/Learner/NonCreditLearner`).
    Urn(String),
}

impl Role {
    /// The value in `roles`.
    pub fn as_str(&self) -> &str {
        match self {
            Role::Learner => "Learner",
            Role::Instructor => "Instructor",
            Role::ContentDeveloper => "ContentDeveloper",
            Role::Member => "Member",
            Role::Manager => "Manager",
            Role::Mentor => "Mentor",
            Role::Administrator => "Administrator",
            Role::TeachingAssistant => "TeachingAssistant",
            Role::Urn(urn) => urn,
        }
    }
}

/// A tool's launch URL as a [`ServiceProvider`]: HMAC-SHA1, form body placement, no token.
///
/// ```
/// use oauth1_flow::ClientCredentials;
/// use oauth1_providers::lti::{Lti, Role};
///
/// let tool = Lti::new("https://tool.example.com/launch")?;
/// let request = tool
///     .launch("88391-e1919-bb3456")
///     .user_id("0ae836b9-7fc9-4060-006f-27b2066ac545")
///     .roles(&[Role::Instructor])
///     .context_title("Design of Personal Environments")
///     .sign(&ClientCredentials::new("lms.example.edu", "secret"))?;
/// let body = String::from_utf8(request.body().clone())?;
/// assert!(body.contains("lti_message_type=basic-lti-launch-request"));
/// assert!(body.contains("oauth_callback=about%3Ablank"));
/// assert!(tool.check(&request).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lti {
    launch_url: String,
    endpoints: Endpoints,
}

impl Lti {
    /// The tool at `launch_url` (an absolute http(s) URL; it may have a query).
    pub fn new(launch_url: &str) -> Result<Self, BaseUrlError> {
        let url = launch_url.trim();
        let uri: Option<http::Uri> = url.parse().ok();
        let ok = uri.as_ref().is_some_and(|u| {
            u.scheme_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
                && u.host().is_some_and(|h| !h.is_empty())
        });
        if !ok || url.contains('#') {
            return Err(BaseUrlError::NotAbsolute {
                shown: shown(launch_url),
            });
        }
        Ok(Lti {
            launch_url: url.to_owned(),
            endpoints: Endpoints {
                request_token: Endpoint::post(url),
                authorize: url.to_owned(),
                authenticate: None,
                access_token: Endpoint::post(url),
                invalidate_token: None,
            },
        })
    }

    /// The launch URL.
    pub fn launch_url(&self) -> &str {
        &self.launch_url
    }

    /// A basic launch of resource link `resource_link_id`.
    pub fn launch(&self, resource_link_id: impl Into<String>) -> Launch {
        Launch {
            url: self.launch_url.clone(),
            resource_link_id: resource_link_id.into(),
            version: "LTI-1p0",
            params: Vec::new(),
            stamp: None,
        }
    }

    /// LTI's checks of a signed launch: a form `POST`, HMAC-SHA1 in the body, no token,
    /// `oauth_callback=about:blank`, the required launch fields.
    pub fn check<B: AsRef<[u8]>>(&self, request: &http::Request<B>) -> Vec<Finding> {
        let seen = Inspected::read(request);
        let mut out = Vec::new();
        if seen.method != "POST" {
            out.push(Finding::new(
                NAME,
                FindingKind::Method {
                    found: shown(&seen.method),
                    expected: "POST (a form)",
                },
            ));
        }
        if !common(NAME, &seen, Placement::Body, METHODS, &mut out) {
            return out;
        }
        if seen.has_token() {
            out.push(Finding::new(NAME, FindingKind::UnexpectedToken));
        }
        match seen.get("oauth_callback") {
            Some("about:blank") => {}
            other => out.push(Finding::new(
                NAME,
                FindingKind::ParameterValue {
                    name: "oauth_callback",
                    found: shown(other.unwrap_or("")),
                    expected: "about:blank",
                },
            )),
        }
        for name in REQUIRED {
            if !seen.form.iter().any(|(n, v)| n == name && !v.is_empty()) {
                out.push(Finding::new(NAME, FindingKind::MissingParameter { name }));
            }
        }
        out
    }
}

impl ServiceProvider for Lti {
    fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }
    fn placement(&self) -> Placement {
        Placement::Body
    }
}

/// A basic launch being built; [`Launch::sign`] gives the signed form `POST`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a launch does nothing until signed"]
pub struct Launch {
    url: String,
    resource_link_id: String,
    version: &'static str,
    params: Vec<(String, String)>,
    stamp: Option<(String, u64)>,
}

impl Launch {
    fn set(mut self, name: &str, value: impl Into<String>) -> Self {
        self.params.retain(|(n, _)| n != name);
        self.params.push((name.to_owned(), value.into()));
        self
    }

    /// `user_id`: the LMS's opaque id of the user.
    pub fn user_id(self, id: impl Into<String>) -> Self {
        self.set("user_id", id)
    }

    /// `roles`: the user's roles in the context.
    pub fn roles(self, roles: &[Role]) -> Self {
        let list: Vec<&str> = roles.iter().map(Role::as_str).collect();
        self.set("roles", list.join(","))
    }

    /// `context_id`: the course's id.
    pub fn context_id(self, id: impl Into<String>) -> Self {
        self.set("context_id", id)
    }

    /// `context_title`: the course's title.
    pub fn context_title(self, title: impl Into<String>) -> Self {
        self.set("context_title", title)
    }

    /// `context_label`: the course's short label.
    pub fn context_label(self, label: impl Into<String>) -> Self {
        self.set("context_label", label)
    }

    /// `resource_link_title`.
    pub fn resource_link_title(self, title: impl Into<String>) -> Self {
        self.set("resource_link_title", title)
    }

    /// `lis_person_name_full`.
    pub fn person_name_full(self, name: impl Into<String>) -> Self {
        self.set("lis_person_name_full", name)
    }

    /// `lis_person_contact_email_primary`.
    pub fn person_email(self, email: impl Into<String>) -> Self {
        self.set("lis_person_contact_email_primary", email)
    }

    /// `launch_presentation_return_url`: where the tool sends the user back.
    pub fn return_url(self, url: impl Into<String>) -> Self {
        self.set("launch_presentation_return_url", url)
    }

    /// `tool_consumer_instance_guid`: the LMS installation.
    pub fn tool_consumer_instance_guid(self, guid: impl Into<String>) -> Self {
        self.set("tool_consumer_instance_guid", guid)
    }

    /// Any other launch parameter (`custom_…`, `ext_…`, `launch_presentation_locale`, …),
    /// replacing one of the same name.
    pub fn param(self, name: &str, value: impl Into<String>) -> Self {
        self.set(name, value)
    }

    /// A fixed nonce and timestamp (tests); otherwise a random nonce and the system clock.
    pub fn stamp(mut self, nonce: impl Into<String>, timestamp: u64) -> Self {
        self.stamp = Some((nonce.into(), timestamp));
        self
    }

    /// The launch's form fields, in order, before signing.
    pub fn fields(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (
                "lti_message_type".to_owned(),
                "basic-lti-launch-request".to_owned(),
            ),
            ("lti_version".to_owned(), self.version.to_owned()),
            ("resource_link_id".to_owned(), self.resource_link_id.clone()),
        ];
        out.extend(
            self.params
                .iter()
                .filter(|(n, _)| !REQUIRED.contains(&n.as_str()))
                .cloned(),
        );
        out
    }

    /// The signed form `POST`: HMAC-SHA1 with the consumer key and secret, no token,
    /// `oauth_callback=about:blank`, `oauth_version=1.0`, the OAuth parameters in the body.
    pub fn sign(
        &self,
        consumer: &ClientCredentials,
    ) -> Result<http::Request<Vec<u8>>, LaunchError> {
        if self.resource_link_id.trim().is_empty() {
            return Err(LaunchError::EmptyResourceLink);
        }
        if let Some((name, _)) = self.params.iter().find(|(n, _)| n.starts_with("oauth_")) {
            return Err(LaunchError::Reserved(shown(name)));
        }
        let form = self
            .fields()
            .iter()
            .map(|(n, v)| {
                format!(
                    "{}={}",
                    oauth1_core::encode::percent_encode(n),
                    oauth1_core::encode::percent_encode(v)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        let mut request = http::Request::post(&self.url)
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form.into_bytes())
            .map_err(LaunchError::Request)?;
        let signer = Signer::new(HmacSha1, consumer, None).map_err(LaunchError::Signing)?;
        let oauth = match &self.stamp {
            Some((nonce, timestamp)) => OAuthParams::new(nonce.clone(), *timestamp),
            None => OAuthParams::fresh().map_err(LaunchError::Signing)?,
        }
        .callback("about:blank")
        .version(true);
        signer
            .sign_http(&mut request, Placement::Body, &oauth)
            .map_err(LaunchError::Signing)?;
        Ok(request)
    }
}
