//! Serde for [`Secret`]: the value itself (a parked state must be able to resume), so store
//! serialized states privately.

use oauth1_core::Secret;
use serde::{Deserialize, Deserializer, Serializer};

pub(crate) fn serialize<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.secret())
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    let value = zeroize::Zeroizing::new(String::deserialize(d)?);
    Ok(Secret::new(value.as_str()))
}
