//! What every operation answers when it fails, stated once for the whole document: every
//! error is `application/problem+json`; a secured operation can answer 401; one with a
//! body 400, 413, 415 and 422; one with query parameters 400 and 422. And the body rules
//! that a plain struct schema cannot say (which fields go together), so that the document
//! describes exactly the requests the server accepts.

use serde_json::{json, Value};

/// Text without control characters but tab and line breaks.
const NO_CONTROLS: &str = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$";

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

/// The finished document, as JSON text.
pub fn complete(doc: utoipa::openapi::OpenApi) -> String {
    let mut d = serde_json::to_value(&doc).unwrap_or(Value::Null);
    if let Some(paths) = d.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for op in item.values_mut() {
                parameter_items(op);
                declare_failures(op);
            }
        }
    }
    if let Some(schemas) = d
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        body_rules(schemas);
    }
    sort_keys(&mut d);
    serde_json::to_string_pretty(&d).unwrap_or_default()
}

/// Item rules of query parameters that the derive cannot state.
fn parameter_items(op: &mut Value) {
    let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
        return;
    };
    for p in params {
        let items = match p["name"].as_str() {
            Some("country") => json!({"type": "string", "pattern": "^[A-Za-z]{2}$"}),
            Some("city") => {
                json!({"type": "string", "maxLength": 80, "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*$"})
            }
            _ => continue,
        };
        if p["schema"]["type"] == "array" || p["schema"]["type"] == json!(["array", "null"]) {
            p["schema"]["items"] = items;
        }
    }
}

fn declare_failures(op: &mut Value) {
    let secured = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty());
    let has_body = op.get("requestBody").is_some();
    // A file body (`text/csv`): text without control characters, as the server reads it.
    let csv_body = op.pointer("/requestBody/content/text~1csv").is_some();
    if let Some(schema) = op.pointer_mut("/requestBody/content/text~1csv/schema") {
        *schema = json!({
            "type": "string",
            "pattern": NO_CONTROLS,
            "maxLength": accord_domain::MAX_DEVICE_FILE_BYTES
        });
    }
    let has_param = |place: &str| {
        op.get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == place))
    };
    let (has_query, has_path) = (has_param("query"), has_param("path"));
    // Text parameters cannot hold control characters (400 invalid_text): say so.
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in params {
            let schema = &mut p["schema"];
            if schema["type"] == "string"
                && schema.get("format").is_none()
                && schema.get("pattern").is_none()
            {
                schema["pattern"] = json!(NO_CONTROLS);
            }
        }
    }
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    for (status, r) in responses.iter_mut() {
        if status.starts_with('4') || status.starts_with('5') {
            let description = r["description"].as_str().unwrap_or_default().to_string();
            *r = problem(if description.is_empty() {
                "See `code` in the problem document."
            } else {
                &description
            });
        }
    }
    let mut add = |status: &str, description: &str| {
        responses
            .entry(status.to_string())
            .or_insert_with(|| problem(description));
    };
    if secured {
        add(
            "401",
            "No bearer token (`authentication_required`), or one that is malformed, expired or revoked (`invalid_token`).",
        );
    }
    if csv_body {
        add(
            "400",
            "The body cannot be read (`invalid_body`) or holds a control character (`invalid_text`).",
        );
    }
    if has_body {
        add(
            "400",
            "The body is not JSON or not a JSON object (`invalid_json`), or holds text that cannot be stored (`invalid_text`).",
        );
        add(
            "413",
            "The body is larger than 64 KiB (`payload_too_large`).",
        );
        add(
            "415",
            "No `Content-Type: application/json` (`unsupported_media_type`).",
        );
        add(
            "422",
            "The body does not match the schema or breaks a rule (`invalid_input` with `field`, or the rule's code).",
        );
    }
    if has_path {
        add(
            "400",
            "A path segment cannot be read (`invalid_path`) or holds text that cannot be stored (`invalid_text`).",
        );
    }
    if has_query {
        add(
            "400",
            "The query string cannot be read (`invalid_query`), the cursor was not issued by this server (`invalid_cursor`), or it holds text that cannot be stored (`invalid_text`).",
        );
        add(
            "422",
            "A query value is out of range (`invalid_input` with `field`).",
        );
    }
}

fn body_rules(schemas: &mut serde_json::Map<String, Value>) {
    let admin_roles: Vec<Value> = schemas
        .get("DirectoryRole")
        .and_then(|r| r["enum"].as_array())
        .map(|e| e.iter().filter(|r| *r != "user").cloned().collect())
        .unwrap_or_default();
    schemas.insert(
        "AdminRole".into(),
        json!({
            "type": "string",
            "description": "A directory role a partner may ask for (any but `user`).",
            "enum": admin_roles
        }),
    );
    // Accepting means ticking the box: `false` is refused with 422.
    for name in ["AcceptIn", "AcceptAgreementIn"] {
        if let Some(a) = schemas.get_mut(name) {
            a["properties"]["accept_agreement"] = json!({
                "type": "boolean", "const": true,
                "description": "Must be `true`: \"I have read and accept the customer agreement\"."
            });
        }
    }
    // Item rules the derive cannot state.
    let name_item = json!({
        "type": "string", "minLength": 1, "maxLength": 40,
        "pattern": "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
    });
    if let Some(p) = schemas.get_mut("ProfileIn") {
        p["properties"]["keywords"]["items"] = name_item;
    }
    if let Some(l) = schemas.get_mut("LeadIn") {
        l["properties"]["partner_ids"]["uniqueItems"] = json!(true);
    }
    // A published profile must be findable by the directory's filters.
    if let Some(p) = schemas.get_mut("ProfileIn") {
        p["oneOf"] = json!([
            {"title": "A draft (not listed)", "properties": {"published": {"const": false}}},
            {
                "title": "Published (listed in the directory)",
                "required": ["published", "org_sizes", "services", "languages"],
                "properties": {
                    "published": {"const": true},
                    "org_sizes": {"minItems": 1},
                    "services": {"minItems": 1},
                    "languages": {"minItems": 1}
                }
            }
        ]);
    }
    let Some(req) = schemas.get_mut("NewRequestIn") else {
        return;
    };
    let null = json!({"type": "null"});
    req["properties"]["admin_roles"] = json!({
        "type": ["array", "null"],
        "items": {"$ref": "#/components/schemas/AdminRole"},
        "minItems": 1,
        "description": "Granular, time-bound grant: the directory roles asked for (a role named twice counts once)."
    });
    req["properties"]["duration_days"] = json!({
        "type": ["integer", "null"], "format": "int32", "minimum": 1, "maximum": 730,
        "description": "Granular grant duration, 1 to 730 days."
    });
    req["properties"]["types"] = json!({
        "type": ["array", "null"],
        "items": {"$ref": "#/components/schemas/PartnerType"},
        "minItems": 1,
        "description": "The partner types asked for (default [\"reseller\"])."
    });
    req["properties"]["customer_email"] = json!({
        "type": ["string", "null"], "format": "email", "minLength": 3, "maxLength": 254,
        "description": "Whom the draft e-mail is addressed to."
    });
    req["additionalProperties"] = json!(false);
    req["oneOf"] = json!([
        {
            "title": "No admin privileges, or the legacy full grant",
            "properties": {"admin_roles": null, "duration_days": null, "auto_extend": null}
        },
        {
            "title": "A granular, time-bound grant",
            "required": ["admin_roles", "duration_days"],
            "properties": {
                "include_admin_privileges": {"const": true},
                "admin_roles": {"type": "array"},
                "duration_days": {"type": "integer"}
            },
            "if": {"properties": {"admin_roles": {"contains": {"const": "global_admin"}}}},
            "then": {"properties": {"auto_extend": {"enum": [false, null]}}}
        }
    ]);
    // The admin types come with admin privileges.
    req["if"] = json!({
        "properties": {"include_admin_privileges": {"const": false}},
        "required": ["include_admin_privileges"]
    });
    req["then"] = json!({
        "properties": {"types": {"anyOf": [
            {"type": "null"},
            {"type": "array", "items": {"enum": ["reseller", "partner", "mpsa", "oem_pc", "lob"]}}
        ]}}
    });
    // `null` above is JSON null; each branch needs a schema that only null matches.
    if let Some(first) = req.pointer_mut("/oneOf/0/properties") {
        for k in ["admin_roles", "duration_days", "auto_extend"] {
            first[k] = null.clone();
        }
    }
}

/// Orders every object's keys, so the document is the same bytes whether or not some crate
/// in the build turned on serde_json's `preserve_order` (a benchmark peer does).
fn sort_keys(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, mut child) in entries {
                sort_keys(&mut child);
                map.insert(k, child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}
