//! Reading the provider's answers: the status, and the form of a token response.

use http::StatusCode;
use oauth1_core::Secret;

use crate::error::{Error, Step};
use crate::problem::ProviderError;

/// Reads an error body (a provider's [`ServiceProvider::parse_error`], or the default).
pub(crate) type ErrorParser<'a> = &'a dyn Fn(StatusCode, &http::HeaderMap, &[u8]) -> ProviderError;

/// An error for a non-2xx response, read by `parse`.
pub(crate) fn check_status(
    parse: ErrorParser<'_>,
    step: Step,
    response: &http::Response<Vec<u8>>,
) -> Result<(), Error> {
    if response.status().is_success() {
        return Ok(());
    }
    Err(Error::Provider {
        step,
        error: Box::new(parse(
            response.status(),
            response.headers(),
            response.body(),
        )),
    })
}

/// The fields of a 2xx token response (form-encoded), or a typed error.
fn token_fields(
    parse: ErrorParser<'_>,
    step: Step,
    response: &http::Response<Vec<u8>>,
) -> Result<TokenFields, Error> {
    check_status(parse, step, response)?;
    let body = response.body();
    let not_form = || {
        let text = String::from_utf8_lossy(body);
        Error::NotFormEncoded {
            step,
            content_type: response
                .headers()
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_owned(),
            snippet: text.trim().chars().take(80).collect(),
        }
    };
    let text = std::str::from_utf8(body).map_err(|_| not_form())?;
    let looks_like_markup = matches!(text.trim_start().bytes().next(), Some(b'<' | b'{' | b'['));
    if looks_like_markup {
        return Err(not_form());
    }
    let mut fields = oauth1_core::encode::form_decode_str(text.trim()).map_err(|_| not_form())?;
    let mut take = |name: &'static str| -> Result<String, Error> {
        let i = fields
            .iter()
            .position(|(n, _)| n == name)
            .ok_or(Error::MissingField { step, field: name })?;
        Ok(fields.remove(i).1)
    };
    let token = take("oauth_token")?;
    let secret = Secret::new(take("oauth_token_secret")?);
    Ok(TokenFields {
        token,
        secret,
        rest: fields,
    })
}

/// A token response: the token, its secret, and the other fields in order.
pub(super) struct TokenFields {
    pub(super) token: String,
    pub(super) secret: Secret,
    pub(super) rest: Vec<(String, String)>,
}

/// A state waiting for a token response: what [`read`] needs of it.
pub(super) trait Awaiting: Sized {
    /// The state a good response leads to.
    type Next;

    /// The step whose response it reads.
    fn step(&self) -> Step;

    /// The next state, from the fields of a 2xx token response.
    fn next(self, fields: TokenFields) -> Result<Self::Next, Error>;
}

/// What every `handle_response` and `handle_response_for` of a waiting state does: reads the
/// status and the fields of the response (an error body through `parse`), and makes the next
/// state of them.
pub(super) fn read<S: Awaiting>(
    state: S,
    parse: ErrorParser<'_>,
    response: http::Response<Vec<u8>>,
) -> Result<S::Next, Error> {
    let fields = token_fields(parse, state.step(), &response)?;
    state.next(fields)
}
