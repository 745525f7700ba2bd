//! The carriers' check-digit rules, each on plain ASCII bytes that the caller has already
//! shaped (digits where a rule wants digits). They return the check value the data calls for,
//! so a caller compares it with the printed one and a test can print what was expected.

/// GS1 mod 10 (SSCC-18, USPS IMpb and legacy 20-digit numbers, FedEx Ground 15 and "96"):
/// from the right, the data digits weigh 3, 1, 3, ...; the check tops the sum up to a multiple
/// of 10. Every single-digit change and most swaps of neighbours are caught.
pub fn gs1_mod10(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(index, byte)| {
            let weight = if index % 2 == 0 { 3 } else { 1 };
            u32::from(byte - b'0') * weight
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// UPS `1Z` mod 10 over the 15 characters after `1Z`: a letter counts as (code - 3) mod 10
/// (A=2 ... H=9, I=0 ...), every second character from the left is doubled. Doubling means a
/// digit changed by 5 in a doubled place goes unseen: that is the published rule, not a slip.
pub fn ups_mod10(characters: &[u8]) -> u8 {
    let sum: u32 = characters
        .iter()
        .enumerate()
        .map(|(index, byte)| {
            let value = if byte.is_ascii_digit() {
                u32::from(byte - b'0')
            } else {
                (u32::from(*byte) - 3) % 10
            };
            if index % 2 == 1 { value * 2 } else { value }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// FedEx Express mod 11: from the right the digits weigh 1, 3, 7, 1, 3, 7, ...; the check is
/// the sum mod 11, with 10 written as 0 (so 0 stands for two remainders).
pub fn fedex_mod11(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(index, byte)| u32::from(byte - b'0') * [1, 3, 7][index % 3])
        .sum();
    (sum % 11 % 10) as u8
}

/// DHL Express mod 7: the check is the number formed by the data digits, mod 7. A digit
/// changed by 7 (0<->7, 1<->8, 2<->9) keeps the remainder: the rule cannot see it.
pub fn dhl_mod7(digits: &[u8]) -> u8 {
    let remainder = digits
        .iter()
        .fold(0_u32, |acc, byte| (acc * 10 + u32::from(byte - b'0')) % 7);
    remainder as u8
}

/// UPU S10 mod 11 over the 8 serial digits with weights 8 6 4 2 3 5 9 7; the check is
/// 11 - sum mod 11, where 10 is written 0 and 11 is written 5.
pub fn upu_s10(digits: &[u8]) -> u8 {
    const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(byte, weight)| u32::from(byte - b'0') * weight)
        .sum();
    match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        check => check as u8,
    }
}

/// ISO 7064 MOD 37,36 (DPD's parcel number and label): a hybrid system over 0-9 and A-Z that
/// yields one character of the same alphabet. Returns `None` for a character outside it.
pub fn iso7064_mod37_36(characters: &[u8]) -> Option<u8> {
    const MODULUS: u32 = 36;
    let mut product = MODULUS;
    for byte in characters {
        let value = match byte {
            b'0'..=b'9' => u32::from(byte - b'0'),
            b'A'..=b'Z' => u32::from(byte - b'A') + 10,
            _ => return None,
        };
        let mut sum = (product + value) % MODULUS;
        if sum == 0 {
            sum = MODULUS;
        }
        product = (sum * 2) % (MODULUS + 1);
    }
    let check = (MODULUS + 1 - product) % MODULUS;
    let check = u8::try_from(check).ok()?;
    Some(if check < 10 {
        b'0' + check
    } else {
        b'A' + check - 10
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Global Release Identifier example A1-2425G-ABC1234002-M, whose check character is
    /// ISO 7064 MOD 37,36 (en.wikipedia.org/wiki/Global_Release_Identifier; also the GRid test
    /// value in the ronanguilloux/IsoCodes and rxweb validator suites).
    #[test]
    fn iso7064_mod37_36_matches_the_standards_example() {
        assert_eq!(iso7064_mod37_36(b"A12425GABC1234002"), Some(b'M'));
        assert_eq!(iso7064_mod37_36(b"a"), None);
    }

    /// GS1's SSCC example (00)106141412345678908 (company prefix 0614141, as in the GS1 EPC Tag
    /// Data Standard's `urn:epc:id:sscc:0614141.1234567890`).
    #[test]
    fn gs1_mod10_matches_the_gs1_example() {
        assert_eq!(gs1_mod10(b"10614141234567890"), 8);
    }
}
