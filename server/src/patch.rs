//! Partial updates (`PATCH`): a field left out keeps its value, a field sent as `null` clears it.

use serde::{Deserialize, Deserializer};

/// For `#[serde(default, deserialize_with = "present")]` on an `Option<Option<T>>`: a field
/// that is present becomes `Some` (holding `None` for `null`); an absent one stays `None`
/// through `default`.
///
/// # Errors
/// As `T`'s own deserializer.
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "present")]
        field: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_a_value_are_three_things() {
        let parse = |s: &str| serde_json::from_str::<Probe>(s).unwrap().field;
        assert_eq!(parse("{}"), None);
        assert_eq!(parse(r#"{"field": null}"#), Some(None));
        assert_eq!(parse(r#"{"field": "x"}"#), Some(Some("x".into())));
    }
}
