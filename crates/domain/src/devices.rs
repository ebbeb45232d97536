//! OEM PC partners register devices for a customer (SPEC F10): a CSV file of device
//! identities — serial number, product id, hardware hash, the columns of the usual
//! device-registration export — read row by row, every row checked, and refused as a
//! whole when any row is wrong. Rows are numbered as a spreadsheet shows them: the header
//! is row 1, the first device row 2.

use std::collections::HashMap;

use base64::Engine;

use crate::{DomainError, InvalidReason};

/// The most devices one file registers (the common limit of device-registration imports).
pub const MAX_DEVICE_ROWS: usize = 500;

/// The largest file read: 500 rows of 4 KB hardware hashes with room to spare.
pub const MAX_DEVICE_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The most row errors one refusal lists (the count names them all).
pub const MAX_ROW_ERRORS: usize = 100;

/// The longest serial number and product id.
pub const MAX_SERIAL: usize = 64;

/// The longest hardware hash (base64).
pub const MAX_HARDWARE_HASH: usize = 8_192;

/// One device of a file, as registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceIdentity {
    /// Its row in the file (the header is row 1).
    pub row: usize,
    /// Upper case.
    pub serial_number: String,
    /// Upper case; `None` when the column is absent or the cell empty.
    pub product_id: Option<String>,
    /// Base64, as given.
    pub hardware_hash: String,
}

/// What is wrong with one row of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    /// `serial_number`, `product_id`, `hardware_hash`, or `row` for the row as a whole.
    pub field: String,
    pub reason: InvalidReason,
}

impl RowError {
    pub fn new(row: usize, field: &str, reason: InvalidReason) -> Self {
        Self {
            row,
            field: field.to_string(),
            reason,
        }
    }
}

/// Which of the three identities a header cell names, if any. Spaces, `_` and `-` and
/// case do not matter: "Device Serial Number", `serial_number` and "Serial number" are
/// one column.
fn column_of(header: &str) -> Option<&'static str> {
    let k: String = header
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    match k.as_str() {
        "deviceserialnumber" | "serialnumber" | "serial" => Some("serial_number"),
        "windowsproductid" | "productid" => Some("product_id"),
        "hardwarehash" => Some("hardware_hash"),
        _ => None,
    }
}

fn file_error(reason: InvalidReason) -> DomainError {
    DomainError::invalid("file", reason)
}

fn check_serial(s: &str) -> Result<String, InvalidReason> {
    if s.is_empty() {
        return Err(InvalidReason::Required);
    }
    if s.chars().count() > MAX_SERIAL
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        return Err(InvalidReason::SerialNumber { max: MAX_SERIAL });
    }
    Ok(s.to_ascii_uppercase())
}

fn check_product_id(s: &str) -> Result<Option<String>, InvalidReason> {
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > MAX_SERIAL || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(InvalidReason::ProductId { max: MAX_SERIAL });
    }
    Ok(Some(s.to_ascii_uppercase()))
}

fn check_hardware_hash(s: &str) -> Result<String, InvalidReason> {
    if s.is_empty() {
        return Err(InvalidReason::Required);
    }
    let ok = s.len() <= MAX_HARDWARE_HASH
        && base64::engine::general_purpose::STANDARD
            .decode(s)
            .is_ok_and(|b| b.len() >= 16);
    if ok {
        Ok(s.to_string())
    } else {
        Err(InvalidReason::HardwareHash {
            max: MAX_HARDWARE_HASH,
        })
    }
}

/// Reads a device file: a header naming at least the serial number and hardware hash
/// columns (the product id column may be absent or empty; other columns are ignored),
/// then one device per row, 1 to [`MAX_DEVICE_ROWS`]. Refused as a whole — file-level
/// problems as `invalid_input` on `file`, row problems as `device_rows_invalid` listing
/// each row, a device repeated within the file included.
pub fn parse_device_csv(bytes: &[u8]) -> Result<Vec<DeviceIdentity>, DomainError> {
    if bytes.len() > MAX_DEVICE_FILE_BYTES {
        return Err(file_error(InvalidReason::FileTooLarge {
            max_kib: MAX_DEVICE_FILE_BYTES / 1024,
        }));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(file_error(InvalidReason::CsvUnreadable {
            detail: "the file is not UTF-8 text".into(),
        }));
    };
    if text.trim().is_empty() {
        return Err(file_error(InvalidReason::Required));
    }
    crate::check_text("file", text, usize::MAX)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| {
            file_error(InvalidReason::CsvUnreadable {
                detail: e.to_string(),
            })
        })?
        .clone();
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some(c) = column_of(h) {
            index.entry(c).or_insert(i);
        }
    }
    let missing: Vec<&str> = ["serial_number", "hardware_hash"]
        .into_iter()
        .filter(|c| !index.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(file_error(InvalidReason::CsvHeader {
            missing: missing.join(", "),
        }));
    }
    let width = headers.len();
    let mut devices = Vec::new();
    let mut errors = Vec::new();
    let mut seen_serial: HashMap<String, usize> = HashMap::new();
    let mut seen_hash: HashMap<String, usize> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        if i >= MAX_DEVICE_ROWS {
            return Err(file_error(InvalidReason::CsvTooManyRows {
                max: MAX_DEVICE_ROWS,
            }));
        }
        let record = record.map_err(|e| {
            file_error(InvalidReason::CsvUnreadable {
                detail: e.to_string(),
            })
        })?;
        if record.iter().all(str::is_empty) {
            errors.push(RowError::new(row, "row", InvalidReason::Required));
            continue;
        }
        if record.len() != width {
            errors.push(RowError::new(
                row,
                "row",
                InvalidReason::ColumnCount {
                    expected: width,
                    found: record.len(),
                },
            ));
            continue;
        }
        let cell = |c: &str| index.get(c).and_then(|&i| record.get(i)).unwrap_or("");
        let serial = check_serial(cell("serial_number"))
            .map_err(|r| errors.push(RowError::new(row, "serial_number", r)));
        let product = check_product_id(cell("product_id"))
            .map_err(|r| errors.push(RowError::new(row, "product_id", r)));
        let hash = check_hardware_hash(cell("hardware_hash"))
            .map_err(|r| errors.push(RowError::new(row, "hardware_hash", r)));
        let (Ok(serial), Ok(product_id), Ok(hardware_hash)) = (serial, product, hash) else {
            continue;
        };
        if let Some(&first) = seen_serial.get(&serial) {
            errors.push(RowError::new(
                row,
                "serial_number",
                InvalidReason::DuplicateRow { first_row: first },
            ));
            continue;
        }
        if let Some(&first) = seen_hash.get(&hardware_hash) {
            errors.push(RowError::new(
                row,
                "hardware_hash",
                InvalidReason::DuplicateRow { first_row: first },
            ));
            continue;
        }
        seen_serial.insert(serial.clone(), row);
        seen_hash.insert(hardware_hash.clone(), row);
        devices.push(DeviceIdentity {
            row,
            serial_number: serial,
            product_id,
            hardware_hash,
        });
    }
    if !errors.is_empty() {
        return Err(DomainError::rows_invalid(errors));
    }
    if devices.is_empty() {
        return Err(file_error(InvalidReason::CsvNoRows));
    }
    Ok(devices)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH_A: &str = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=";
    const HASH_B: &str = "MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3A=";

    fn reasons(e: DomainError) -> Vec<(usize, String, &'static str)> {
        match e {
            DomainError::DeviceRowsInvalid { rows, .. } => rows
                .into_iter()
                .map(|r| (r.row, r.field, r.reason.id()))
                .collect(),
            other => panic!("expected row errors, got {other:?}"),
        }
    }

    #[test]
    fn reads_the_usual_export_with_a_byte_order_mark() {
        let csv = format!(
            "\u{feff}Device Serial Number,Windows Product ID,Hardware Hash\r\n\
             pf-0001,00330-80000-00000-AA123,{HASH_A}\r\n\
             PF-0002,,{HASH_B}\r\n"
        );
        let d = parse_device_csv(csv.as_bytes()).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].serial_number, "PF-0001");
        assert_eq!(d[0].row, 2);
        assert_eq!(d[0].product_id.as_deref(), Some("00330-80000-00000-AA123"));
        assert_eq!(d[1].product_id, None);
    }

    #[test]
    fn names_every_bad_row_and_refuses_the_file() {
        let csv = format!(
            "serial_number,product_id,hardware_hash,group tag\n\
             A1,,{HASH_A},x\n\
             ,,{HASH_B},x\n\
             A1,,{HASH_B},x\n\
             B2,??,not base64,x\n\
             C3,,{HASH_A},x\n\
             D4,,{HASH_B}\n"
        );
        let got = reasons(parse_device_csv(csv.as_bytes()).unwrap_err());
        assert_eq!(
            got,
            vec![
                (3, "serial_number".into(), "required"),
                (4, "serial_number".into(), "duplicate-row"),
                (5, "product_id".into(), "product-id"),
                (5, "hardware_hash".into(), "hardware-hash"),
                (6, "hardware_hash".into(), "duplicate-row"),
                (7, "row".into(), "column-count"),
            ]
        );
    }

    #[test]
    fn file_level_problems() {
        let e = parse_device_csv(b"serial,product\nA,B\n").unwrap_err();
        assert!(matches!(
            e,
            DomainError::InvalidInput { reason: InvalidReason::CsvHeader { ref missing }, .. } if missing == "hardware_hash"
        ));
        let e = parse_device_csv(b"serial number,hardware hash\n").unwrap_err();
        assert!(matches!(
            e,
            DomainError::InvalidInput {
                reason: InvalidReason::CsvNoRows,
                ..
            }
        ));
        let e = parse_device_csv(b"\xff\xfe").unwrap_err();
        assert!(matches!(
            e,
            DomainError::InvalidInput {
                reason: InvalidReason::CsvUnreadable { .. },
                ..
            }
        ));
        let mut big = String::from("serial number,hardware hash\n");
        for i in 0..=MAX_DEVICE_ROWS {
            big.push_str(&format!("S{i},{HASH_A}\n"));
        }
        let e = parse_device_csv(big.as_bytes()).unwrap_err();
        assert!(matches!(
            e,
            DomainError::InvalidInput {
                reason: InvalidReason::CsvTooManyRows { .. },
                ..
            }
        ));
    }
}
